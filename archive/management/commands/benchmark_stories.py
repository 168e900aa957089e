"""manage.py benchmark_stories --steps N [--runs R]: how story pages cost as a story grows.

Puts the N oldest demo articles (generate_articles) into one clearly labelled story,
«Демо-сюжет (замер)», and times with Django's test client, median of R runs: the story
page uncached (cache cleared before each run) and from the cache, its RSS feed uncached,
and the page of the story's middle article with its timeline block (never cached), with
the number of queries of each. Run it on a throwaway database (ARCHIVE_VAR_DIR): it
changes the demo articles' story.
"""

import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive import demo
from archive.models import Article, Story

STORY_NAME = "Демо-сюжет (замер)"


class Command(BaseCommand):
    help = "Time the story page, its feed and an article's timeline for a story of N steps."

    def add_arguments(self, parser):
        parser.add_argument("--steps", type=int, default=1000)
        parser.add_argument("--runs", type=int, default=15)

    def handle(self, steps, runs, **options):
        demo_articles = Article.objects.published().filter(source__name=demo.DEMO_SOURCE)
        pks = list(demo_articles.order_by("published_at", "pk").values_list("pk", flat=True))
        if len(pks) < steps:
            raise CommandError(
                f"{len(pks)} demo articles; run generate_articles --count {steps} first."
            )
        story, _ = Story.objects.get_or_create(name_ru=STORY_NAME)
        Article.objects.filter(story=story).update(story=None)
        Article.objects.filter(pk__in=pks[:steps]).update(story=story)
        middle = Article.objects.get(pk=pks[steps // 2])
        client = Client(HTTP_HOST="localhost")
        self.stdout.write(f"A story of {steps} articles ({Article.objects.count()} in all):")
        self.measure(client, "story page, uncached", story.get_absolute_url(), runs, clear=True)
        self.measure(client, "story page, cached", story.get_absolute_url(), runs)
        self.measure(client, "story feed, uncached", story.get_absolute_url() + "feed/", runs, True)
        self.measure(client, "article with its timeline", middle.get_absolute_url(), runs)

    def measure(self, client, label, path, runs, clear=False):
        times, queries = [], 0
        client.get(path)  # warm up: imports, templates, the content version
        for _ in range(runs):
            if clear:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{path}: {response.status_code}")
            queries = len(captured)
        self.stdout.write(
            f"  {label:28} {statistics.median(times):7.1f} ms median, "
            f"{max(times):7.1f} ms max, {queries} queries, {len(response.content) // 1024} KB"
        )
