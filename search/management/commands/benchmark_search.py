"""manage.py benchmark_search: the archive's search against stock haystack + Whoosh, as figures.

On the articles in the database (optionally generated first with --count, or the shared
corpus imported with --corpus), in one run:

- builds the archive's index (`rebuild_index`, our backend) and a stock one (haystack's
  own `update_index` with `haystack.backends.whoosh_backend.WhooshEngine` and its
  defaults: StemmingAnalyzer, every field stored, spelling on) in temporary directories,
  and prints articles per second, per batch (a slow-down shows) and size on disk;
- draws one-, two- and three-word Russian queries from the articles' own words (no stop
  words; deterministic for --seed) and times each through the JSON endpoint
  (/api/search/ with snippets and facets, Django's test client), through stock
  `SearchQuerySet().load_all().auto_query(q)[:20]` (with its default
  HAYSTACK_LIMIT_TO_REGISTERED_MODELS=True) and through a raw Whoosh searcher kept open
  on the archive's index (the floor: parse, search, read stored fields);
- prints median and p95, the ratios, and the process's peak resident memory;
- beside Tantivy (search.management.tantivy_bench, on when the benchmark-only package is
  installed, --no-tantivy to leave it out): builds a Tantivy index of the same articles
  from the archive's own analysis and times the JSON endpoint, the engine call alone and
  Tantivy's top 20 with stored documents and snippets on the same queries (--passes
  times, in turn), with the ratio the target is written in;
- breaks the endpoint's time down by part (search.management.endpoint_costs): engine,
  query repairs, snippets, label lookups, links, JSON, middleware.

`--engine opensearch` builds and times the archive on an OpenSearch cluster instead
(--opensearch-nodes), under an alias of its own, `bench-<random>`, deleted at the end
with its indices; `--engine both` builds and times both engines on the same queries and
prints how far they agree: the same first ten results, in the same order, the same count
(search.management.engine_bench). The raw Whoosh searcher is timed only with Whoosh.

The work is in search.management: bench_data (the articles, the queries), index_builds
(the builds), stock_bench, raw_whoosh, engine_bench, beside_tantivy, endpoint_costs and
hostile; this command parses the options and prints the figures.

Figures, not a test: run it on a quiet machine, and again when a figure looks noisy. The
stock build is slow (about 11 minutes for 10,000 articles), so --stock-count caps it; the
stock index then holds fewer articles than the archive's, which favours stock.
"""

import argparse
import resource
import shutil
import tempfile
from contextlib import ExitStack, nullcontext
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from search import engines
from search.management import (
    beside_tantivy,
    endpoint_costs,
    engine_bench,
    hostile,
    stock_bench,
)
from search.management.bench_data import (
    DEFAULT_CORPUS,
    article_texts,
    draw_queries,
    prepare_articles,
)
from search.management.index_builds import (
    benchmark_connections,
    build_archive,
    build_stock,
    build_tantivy,
)
from search.management.raw_whoosh import time_raw
from search.search_indexes import ArticleIndex

ENGINE_CHOICES = {
    "whoosh": ("whoosh",),
    "opensearch": ("opensearch",),
    "both": engine_bench.ENGINES,
}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


class Command(BaseCommand):
    help = "Index build, index size, search latency and memory: archive vs stock haystack."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, help="Generate this many demo articles first.")
        parser.add_argument("--words", type=int, default=300, help="Words per generated body.")
        parser.add_argument("--seed", type=int, default=1, help="Seed for articles and queries.")
        parser.add_argument(
            "--corpus",
            nargs="?",
            const=str(DEFAULT_CORPUS),
            help=f"Import the shared corpus first (default {DEFAULT_CORPUS}).",
        )
        parser.add_argument(
            "--queries",
            type=int,
            default=240,
            help="Queries to time (below 200 the percentiles are rough; 0: builds only).",
        )
        parser.add_argument(
            "--stock-count", type=int, help="Index only the first M articles in the stock build."
        )
        parser.add_argument("--no-stock", action="store_true", help="Skip stock haystack.")
        parser.add_argument("--batch-size", type=int, default=1000, help="Stock update batch.")
        parser.add_argument(
            "--build",
            choices=["rebuild", "one-writer", "both"],
            default="rebuild",
            help="Time rebuild_index (haystack's batches), index_articles (one writer for "
            "everything, as generate_articles and imports do), or both.",
        )
        parser.add_argument(
            "--engine",
            choices=list(ENGINE_CHOICES),
            default="whoosh",
            help="The archive's index on Whoosh, on an OpenSearch cluster, or on both "
            "(then their first results are compared).",
        )
        parser.add_argument(
            "--opensearch-nodes",
            default=engine_bench.DEFAULT_NODES,
            help="The cluster's nodes, host:port[,host:port...] (a temporary alias "
            f"{engine_bench.ALIAS_PREFIX}<random> is made there and deleted at the end).",
        )
        parser.add_argument(
            "--tantivy",
            action=argparse.BooleanOptionalAction,
            help="Time Tantivy beside the endpoint on the same queries (default: when the "
            "tantivy package is installed, requirements-bench.txt).",
        )
        parser.add_argument(
            "--passes",
            type=int,
            default=1,
            help="Time the endpoint, the engine alone and Tantivy this many times in turn; "
            "each figure is then the median of the passes'.",
        )

    def handle(self, *args, **options):
        if options["passes"] < 1:
            raise CommandError("--passes: at least 1")
        prepare_articles(options["count"], options["words"], options["seed"], options["corpus"])
        total = ArticleIndex().index_queryset().count()
        if not total:
            raise CommandError("No published articles: use --count N or --corpus.")
        stock_count = min(options["stock_count"] or total, total)
        names = ENGINE_CHOICES[options["engine"]]
        # Alone, the Whoosh index keeps the name the figures in the README have.
        self.labels = {"whoosh": "archive"} if names == ("whoosh",) else {n: n for n in names}
        tmp = Path(tempfile.mkdtemp(prefix="benchmark-search-"))
        # One client asks for everything: the per-client limits would answer 429.
        no_limits = {kind: "0/60" for kind in settings.RATE_LIMITS}
        try:
            with ExitStack() as stack:
                stack.enter_context(benchmark_connections(str(tmp / "archive"), str(tmp / "stock")))
                stack.enter_context(override_settings(RATE_LIMITS=no_limits))
                self.cluster_url = None
                if "opensearch" in names:
                    nodes = options["opensearch_nodes"]
                    self.cluster_url = stack.enter_context(engine_bench.cluster_alias(nodes))
                self.run(options, names, total, stock_count, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def on(self, name):
        """The archive on engine `name` inside: Whoosh's scratch index is already the
        default connection (benchmark_connections), OpenSearch is the temporary alias."""
        return nullcontext() if name == "whoosh" else engines.using(self.cluster_url)

    def out(self, line=""):
        self.stdout.write(line)

    def run(self, options, names, total, stock_count, tmp):
        self.out(
            f"Articles: {total:,} published; {options['queries']} queries, seed {options['seed']}"
        )
        if self.cluster_url:
            alias = self.cluster_url.rsplit("/", 1)[1]
            self.out(
                f"OpenSearch: alias {alias} on {options['opensearch_nodes']} "
                "(deleted at the end with its indices)"
            )

        # --- index builds -----------------------------------------------------------
        self.out("")
        self.out("Index build (full, from the database)")
        builds, build_rss = {}, []
        for name in names:
            label = self.labels[name]
            with self.on(name):
                builds[name] = build_archive(self.out, name, label, options["build"], total)
            build_rss.append(f"{peak_rss_mb():.0f} MB after the {label} build")

        stock = not options["no_stock"]
        if stock:
            stock_build, stock_mb = build_stock(
                self.out, options["batch_size"], total, stock_count, tmp / "stock"
            )
            stock_rate = stock_count / stock_build
            for name, (seconds, size_mb) in builds.items():
                label = self.labels[name]
                self.out(
                    f"  build rate ratio {label}/stock: {total / seconds / stock_rate:.1f}x; "
                    f"size ratio stock/{label}: {stock_mb / size_mb * total / stock_count:.1f}x "
                    "(per article)"
                )

        if not options["queries"]:  # --queries 0: the builds only
            self.out(f"\nPeak memory (ru_maxrss): {peak_rss_mb():.0f} MB")
            return
        tantivy = build_tantivy(self.out, options["tantivy"], tmp / "tantivy")

        # --- searches ---------------------------------------------------------------
        queries = draw_queries(article_texts(stock_count), options["queries"], options["seed"])
        runs, archive_search_rss = self.time_searches(names, queries, stock, tmp)
        if len(runs) == 2:
            engine_bench.report_agreement(self.out, queries, runs)

        for name in names:
            with self.on(name):
                if tantivy:
                    compared = beside_tantivy.compare(
                        queries, runs[name], tantivy, options["passes"]
                    )
                    beside_tantivy.report(self.out, queries, compared, self.labels[name])
                endpoint_costs.report(self.out, endpoint_costs.measure(queries), self.labels[name])

        for name in names:
            with self.on(name):
                hostile.report(self.out, queries, "" if len(names) == 1 else f", {name}")

        self.out("")
        self.out(
            f"Peak memory (ru_maxrss): {', '.join(build_rss)}, "
            f"{archive_search_rss:.0f} MB after the searches, {peak_rss_mb():.0f} MB at the end"
            + (" (stock build included)" if stock else "")
            + (" (Tantivy included: its build, its memory-mapped index)" if tantivy else "")
            + ("; this process only, not the cluster's" if self.cluster_url else "")
        )

    def time_searches(self, names, queries, stock, tmp):
        """The latency table: the JSON endpoint on each engine, stock haystack and the raw
        Whoosh searcher on the same queries, and their ratios: ({engine: JsonRun}, the peak
        memory after the archive's searches)."""
        self.out("")
        self.out(
            f"Search latency, ms, {len(queries)} queries (1-3 words), e.g. "
            + ", ".join(f"«{q}»" for q in queries[:3])
        )
        runs = {}
        for name in names:
            with self.on(name):
                runs[name] = engine_bench.time_json(queries)
        archive_search_rss = peak_rss_mb()
        rows = [
            (f"{self.labels[name]} JSON endpoint (snippets, facets)", run.times, run.found)
            for name, run in runs.items()
        ]
        if stock:
            stock_times, stock_found = stock_bench.time_searches(queries)
            rows.append(("stock SearchQuerySet.auto_query()[:20]", stock_times, stock_found))
        if "whoosh" in runs:  # the floor under the archive's Whoosh engine
            raw_times, raw_found = time_raw(str(tmp / "archive"), queries)
            rows.append(("raw Whoosh searcher, kept open", raw_times, raw_found))
        self.out(f"  {'':44} {'median':>8} {'p95':>8}  queries with hits")
        for label, times, found in rows:
            self.out(f"  {label:44} {times.median:8.1f} {times.p95:8.1f}  {found}/{len(queries)}")
        if stock:
            for name, run in runs.items():
                self.out(
                    f"  stock / {self.labels[name]}: "
                    f"median {stock_times.median / run.times.median:.1f}x, "
                    f"p95 {stock_times.p95 / run.times.p95:.1f}x faster"
                )
        if len(runs) == 2:
            one, other = (runs[name].times for name in engine_bench.ENGINES)
            self.out(
                f"  opensearch / whoosh: median {other.median / one.median:.1f}x, "
                f"p95 {other.p95 / one.p95:.1f}x"
            )
        if "whoosh" in runs:
            whoosh_times = runs["whoosh"].times
            self.out(
                f"  {self.labels['whoosh']} / raw: "
                f"median {whoosh_times.median / raw_times.median:.1f}x, "
                f"p95 {whoosh_times.p95 / raw_times.p95:.1f}x"
            )
        return runs, archive_search_rss
