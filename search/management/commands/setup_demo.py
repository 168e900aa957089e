"""manage.py setup_demo: what `make run` needs, done only where it is missing.

The seed article and its related items are loaded when the seed article is not in
the archive (an editor's later changes to them are kept), demo articles are added
when their seed is new, and the search index is built, repaired or reconciled with the database.
It lives in search, not archive, because it builds the index: archive never imports search.
"""

import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.illustrations import ensure_seed_images
from archive.models import Article
from search import health
from search.reconcile import reconcile

SEED_FIXTURE = Path(__file__).resolve().parents[3] / "archive" / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = "Load the seed article, demo content and the search index where missing."

    def add_arguments(self, parser):
        parser.add_argument("--demo-articles", type=int, default=300)

    def handle(self, demo_articles, verbosity, **options):
        quiet = {"verbosity": max(0, verbosity - 1)}
        seed_slug = next(
            o["fields"]["slug"]
            for o in json.loads(SEED_FIXTURE.read_text("utf-8"))
            if o["model"] == "archive.article"
        )
        if Article.objects.filter(slug=seed_slug).exists():
            self.stdout.write("The seed article is there; not loaded again.")
        else:
            call_command("loaddata", "seed", **quiet)
            self.stdout.write("Loaded the seed article and its related items.")
        # The seed articles' pictures, drawn by the project (archive/illustrations.py).
        if drawn := ensure_seed_images():
            self.stdout.write(f"Drew {drawn} seed pictures (timelines of the convention).")
        if demo_articles:
            call_command("generate_articles", count=demo_articles, seed=1, no_index=True, **quiet)
        # An index that is missing or was left unusable by a crash is rebuilt from the
        # database; otherwise a reconciliation adds what went in without signals
        # (fixtures, demo articles) and fixes any drift.
        outcome = health.repair()
        if outcome is not None:
            self.stdout.write(f"Built the search index: {outcome.documents} articles.")
        else:
            self.stdout.write(f"Search index: {reconcile().summary()}")
        self.stdout.write(f"{Article.objects.published().count()} published articles.")
