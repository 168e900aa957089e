"""manage.py benchmark_admin_lists [--runs N]: what the admin's lists cost on the
database the settings point at (ARCHIVE_VAR_DIR).

Requests the article list (plain, filtered by the most used tag, by a rarely used tag,
by a source, by tag kind, by year, searched) and the tag list through Django's test
client as a logged-in superuser, and prints for each the median time of --runs requests
(rendering included, no network), the number of SQL queries and the size of the HTML.
Figures, not a test; the query counts are held by tests/test_admin_lists.py.

--add-tags N first adds N tags («Корпусный тег 0001»...; once) and gives each article
three of them, a few tags on thousands of articles and most on a handful, as on a real
archive (the demo generator makes a few dozen tags).
"""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from archive.models import Article, Source, Tag


class Command(BaseCommand):
    help = "Time the admin's article and tag lists (median ms, queries, HTML size)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--add-tags", type=int, default=0)

    def handle(self, runs, add_tags, **options):
        if not Article.objects.exists():
            raise CommandError("No articles: run generate_articles first.")
        if add_tags and not Tag.objects.filter(slug__startswith="korpusnyi-teg-").exists():
            self._add_tags(add_tags)
        articles = reverse("admin:archive_article_changelist")
        tags = Tag.objects.annotate(n=Count("articles")).filter(n__gt=0)
        busiest, rarest = tags.order_by("-n").first(), tags.order_by("n").first()
        source = Source.objects.annotate(n=Count("articles")).order_by("-n").first()
        year = Article.objects.latest().published_at.year
        pages = [("article list", articles, {})]
        if busiest:
            pages += [
                (f"  tag with {busiest.n} articles", articles, {"tags__id__exact": busiest.pk}),
                (f"  tag with {rarest.n} articles", articles, {"tags__id__exact": rarest.pk}),
            ]
        pages += [
            (f"  source with {source.n} articles", articles, {"source__id__exact": source.pk}),
            ("  tag kind: person", articles, {"tags__kind": "person"}),
            (f"  year {year}", articles, {"published_at__year": year}),
            ("  search «программа»", articles, {"q": "программа"}),
            (f"tag list ({Tag.objects.count()} tags)", reverse("admin:archive_tag_changelist"), {}),
            (
                "tag autocomplete «а»",
                reverse("admin:autocomplete"),
                {
                    "app_label": "archive",
                    "model_name": "article",
                    "field_name": "tags",
                    "term": "а",
                },
            ),
        ]
        count = Article.objects.count()
        self.stdout.write(f"{count} articles, {Tag.objects.count()} tags; median of {runs} runs")
        self.stdout.write(f"{'page':<34} {'median ms':>9} {'queries':>7} {'HTML KB':>8}")
        user = get_user_model()(username="benchmark-admin-lists", is_staff=True, is_superuser=True)
        user.save()
        try:
            client = Client()
            client.force_login(user)
            with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
                for label, path, params in pages:
                    self.stdout.write(self._measure(client, label, path, params, runs))
        finally:
            user.delete()

    def _add_tags(self, count):
        kinds = list(Tag.Kind)
        tags = [
            Tag(name_ru=f"Корпусный тег {n:04d}", slug=f"korpusnyi-teg-{n:04d}", kind=kinds[n % 4])
            for n in range(count)
        ]
        for tag in tags:
            tag.fill_search_key()  # bulk_create sends no pre_save
        tags = Tag.objects.bulk_create(tags, batch_size=500)
        draw = random.Random(5)
        links = {
            (pk, tags[int(count * draw.random() ** 3)].pk)
            for pk in Article.objects.values_list("pk", flat=True).iterator()
            for _ in range(3)
        }
        through = Article.tags.through
        rows = [through(article_id=a, tag_id=t) for a, t in links]
        through.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        self.stdout.write(f"Added {count} tags on {len(rows)} article-tag rows.")

    def _measure(self, client, label, path, params, runs):
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, params)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{label}: {path} answered {response.status_code}")
        size = len(response.content) / 1024
        median = statistics.median(times)
        return f"{label:<34} {median:>9.1f} {len(queries):>7} {size:>8.1f}"
