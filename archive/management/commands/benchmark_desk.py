"""manage.py benchmark_desk [--runs N]: how long the admin home (the dashboard) and an
article preview take on the database the settings point at (ARCHIVE_VAR_DIR), through
Django's test client, and how many queries each makes.

Generated articles (generate_articles) have no authors, drafts or edit stamps: with
--newsroom it first gives them some, as a newsroom's would be (and commits them: use it on
a throwaway ARCHIVE_VAR_DIR): 30 drafts of the user "benchmark-desk", 15 scheduled
articles, every article's languages stamped, the Azerbaijani translation older than the
Russian text in one in twelve, the Azerbaijani title missing in one in seventeen. The
measuring itself logs in as that user (made if missing) and changes nothing.

"After a change" is the home right after any article was saved (the translation counts
are then computed again, archive/dashboard.py); "again" is every other load.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive.bulk import refresh_statistics
from archive.cache import content_changed
from archive.models import Article

USERNAME = "benchmark-desk"


def timed(client, path, runs, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}")
    return times


class Command(BaseCommand):
    help = "Time the admin home's dashboard and an article preview (test client)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--newsroom", action="store_true", help="Give the articles drafts...")

    def handle(self, runs, newsroom, **options):
        if not Article.objects.exists():
            raise CommandError("No articles: run generate_articles --count 20000 first.")
        editor = get_user_model().objects.filter(username=USERNAME).first()
        if editor is None:
            editor = get_user_model().objects.create_superuser(USERNAME, None, None)
        if newsroom:
            with transaction.atomic():
                self.newsroom(editor)
            refresh_statistics()
        self.measure(editor, runs)

    def newsroom(self, editor):
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE archive_article SET text_edited = json_object("
                "'ru', %s, 'en', %s, 'az', CASE WHEN id %% 12 = 0 THEN %s ELSE %s END)",
                [
                    (now - timezone.timedelta(days=2)).isoformat(),
                    (now - timezone.timedelta(days=1)).isoformat(),
                    (now - timezone.timedelta(days=3)).isoformat(),
                    (now - timezone.timedelta(days=1)).isoformat(),
                ],
            )
        Article.objects.extra(where=["id %% 17 = 0"]).update(title_az="")
        newest = list(Article.objects.order_by("-pk").values_list("pk", flat=True)[:45])
        Article.objects.filter(pk__in=newest[:30]).update(status="draft", created_by=editor)
        for hours, pk in enumerate(newest[30:], start=1):
            Article.objects.filter(pk=pk).update(published_at=now + timezone.timedelta(hours=hours))

    def measure(self, editor, runs):
        drafts = Article.objects.filter(status=Article.Status.DRAFT).order_by("-pk")
        draft = (drafts.first() or Article.objects.first()).pk
        client = Client(HTTP_HOST="localhost")
        client.force_login(editor)
        client.get("/admin/")  # opens the search index, fills the caches
        rows = []
        for label, path, before in (
            ("admin home, again", "/admin/", None),
            ("admin home, after a change", "/admin/", content_changed),
            ("preview of an article", f"/preview/{draft}/", None),
        ):
            times = timed(client, path, runs, before)
            if before:
                before()
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            rows.append((label, statistics.median(times), max(times), len(queries)))
        self.stdout.write(f"{Article.objects.count():,} articles, {runs} runs each")
        for label, median, worst, queries in rows:
            self.stdout.write(
                f"  {label:<28} median {median:6.1f} ms  max {worst:6.1f} ms  {queries} queries"
            )
