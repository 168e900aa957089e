"""manage.py benchmark_search_page: what the search page costs a reader's request, by
kind of page: a first page of results, page 2, an empty page (which counts what each of
its offers would find: other words, each filter dropped, the name in other languages)
and a mistyped word asked for as typed (`exact=1`).

The whole page through Django's test client (middleware, view, template), on the
database and index the settings name; the rate limits are lifted for the run. Prints
the median and p95 in ms and the engine calls per page (search.management.engine_calls).
Figures, not a test: run it on a quiet machine.
"""

import time
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings

from archive.models import Tag
from search.management.engine_bench import Timings
from search.management.engine_calls import counting


class Command(BaseCommand):
    help = "Time the search page: results, page 2, an empty page, a typo as typed."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--query", default="Баку", help="A query with many results.")

    def handle(self, repeat, query, **options):
        place = Tag.objects.filter(kind=Tag.Kind.PLACE).exclude(name_ru=query).first()
        if place is None:
            raise CommandError("No place tag: run generate_articles first.")
        # The query in a year with no article, narrowed by a place too: nothing found, and
        # two filters to offer dropping.
        empty = {"q": query, "place": place.slug, "from": "1901-01-01", "to": "1901-12-31"}
        pages = {
            "results, page 1": {"q": query},
            "results, page 2": {"q": query, "page": "2"},
            "empty: 2 filters": empty,
            "empty: a typo as typed": {"q": "конвинция", "exact": "1"},
        }
        client = Client()
        limits = {k: "0/60" for k in ("search", "suggest", "feed", "sitemap", "assist")}
        with override_settings(RATE_LIMITS=limits, ALLOWED_HOSTS=["testserver"]):
            self.stdout.write(f"{'page':<24} {'median ms':>10} {'p95 ms':>8}  engine calls")
            for name, params in pages.items():
                url = "/search/?" + urlencode(params)
                if client.get(url).status_code != 200:
                    raise CommandError(f"{url} did not answer 200")
                timings = Timings()
                for _n in range(repeat):
                    with counting() as calls:
                        started = time.perf_counter()
                        client.get(url)
                        timings.add(time.perf_counter() - started)
                said = ", ".join(f"{k} {v}" for k, v in sorted(calls.items()))
                self.stdout.write(f"{name:<24} {timings.median:>10.1f} {timings.p95:>8.1f}  {said}")
