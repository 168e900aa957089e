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

Figures, not a test: run it on a quiet machine, and again when a figure looks noisy. The
stock build is slow (about 11 minutes for 10,000 articles), so --stock-count caps it; the
stock index then holds fewer articles than the archive's, which favours stock.
"""

import argparse
import random
import re
import resource
import shutil
import tempfile
import time
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from haystack import connections
from whoosh import index as whoosh_index
from whoosh.qparser import MultifieldParser

from archive.models import Article, Source
from archive.sanitize import html_to_text
from archive.search_connection import search_connection
from search import engines
from search.analysis import RUSSIAN_STOP_WORDS
from search.indexing import index_articles
from search.management import (
    beside_tantivy,
    endpoint_costs,
    engine_bench,
    hostile,
    stock_bench,
    tantivy_bench,
)
from search.management.engine_bench import Timings, directory_mb
from search.rebuild import rebuild
from search.search_indexes import ArticleIndex

CORPUS_SOURCE = "NKTKLN/telegram-news-classifier"
DEFAULT_CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
# A query word: letters only (no digits, no hyphens), at least three of them.
QUERY_WORD = re.compile(r"[^\W\d_]{3,}")
ENGINE_CHOICES = {
    "whoosh": ("whoosh",),
    "opensearch": ("opensearch",),
    "both": engine_bench.ENGINES,
}
LABEL = 38  # width of a build's label


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def draw_queries(texts, count, seed):
    """`count` queries of 1, 2 and 3 words in turn, each taken from a window of one
    article's words, so the words occur together as a reader would remember them."""
    rng = random.Random(seed)
    # A uniform sample of the articles (reservoir sampling): the word lists of all of
    # 100,000 articles took 2.5 GB, which the peak memory figure then reported.
    keep = max(1000, 4 * count)
    word_lists, seen = [], 0
    for text in texts:
        words = [w.lower() for w in QUERY_WORD.findall(text)]
        words = [w for w in words if w.replace("ё", "е") not in RUSSIAN_STOP_WORDS]
        if len(words) < 3:
            continue
        seen += 1
        if len(word_lists) < keep:
            word_lists.append(words)
        elif (slot := rng.randrange(seen)) < keep:
            word_lists[slot] = words
    if not word_lists:
        raise CommandError("No article has three words to draw queries from.")
    queries = []
    for n in range(count):
        size = 1 + n % 3
        window = []
        while len(set(window)) < size:
            words = rng.choice(word_lists)
            start = rng.randrange(max(1, len(words) - 11))
            window = words[start : start + 12]
        picked = []
        while len(picked) < size:
            word = rng.choice(window)
            if word not in picked:
                picked.append(word)
        queries.append(" ".join(picked))
    return queries


@contextmanager
def benchmark_connections(archive_path, stock_path):
    """haystack's 'default' at a fresh Whoosh index for the archive and a 'stock'
    connection with haystack's own Whoosh engine and defaults, both in temporary
    directories (whatever engine SEARCH_URL names)."""
    url = "whoosh://" + quote(archive_path)
    conf = {
        "default": search_connection(url),
        "stock": {"ENGINE": stock_bench.ENGINE, "PATH": stock_path},
    }
    saved = connections.connections_info
    try:
        with override_settings(SEARCH_URL=url, HAYSTACK_CONNECTIONS=conf):
            connections.connections_info = conf
            connections.reload("default")
            connections.reload("stock")
            yield
    finally:
        connections.connections_info = saved
        engines.current().close_readers()
        connections.thread_local.connections.pop("stock", None)
        connections.reload("default")


def spans(batches, closes):
    """Articles per second over consecutive spans of (documents, seconds) batches; a
    span ends at the batch for which `closes(documents, span_documents)` is true."""
    rates, done, seconds = [], 0, 0.0
    for n, s in batches:
        done, seconds = done + n, seconds + s
        if done and closes(n, done):
            rates.append(done / seconds)
            done, seconds = 0, 0.0
    if done:
        rates.append(done / seconds)
    return rates


def tenths(batches, count):
    """Articles per second over each tenth of a build, in whole batches."""
    target = max(1, count // 10)
    return spans(batches, lambda _n, done: done >= target)


class ProgressClock:
    """The builds' progress callback: (documents, seconds) per chunk read and added, and
    (0, seconds) when a part's commit ends (Engine.commit_every)."""

    def __init__(self):
        self.batches = []
        self.last = time.perf_counter()

    def progress(self, n):
        now = time.perf_counter()
        self.batches.append((n, now - self.last))
        self.last = now

    def parts(self):
        """Articles per second of each committed part, its commit included."""
        return spans(self.batches, lambda n, _done: n == 0)


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
            "--queries", type=int, default=240, help="Queries (at least 200; 0: builds only)."
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
        self.prepare_data(options)
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

    def prepare_data(self, options):
        if not (options["count"] or options["corpus"]):
            return
        name = str(settings.DATABASES["default"].get("NAME", ""))
        var = Path(settings.BASE_DIR) / "var"
        if name and not name.startswith(("file:", ":memory:")) and var in Path(name).parents:
            raise CommandError(
                "Refusing to add benchmark data to the database under var/: "
                "set ARCHIVE_VAR_DIR to a scratch directory."
            )
        if Article._meta.db_table not in connection.introspection.table_names():
            call_command("migrate", verbosity=0)  # a fresh scratch database
        if options["count"]:
            call_command(
                "generate_articles",
                count=options["count"],
                seed=options["seed"],
                words=options["words"],
                no_index=True,
                verbosity=0,
            )
        if options["corpus"] and not Source.objects.filter(name=CORPUS_SOURCE).exists():
            files = sorted(str(p) for p in Path(options["corpus"]).glob("*.jsonl*"))
            if not files:
                raise CommandError(f"No *.jsonl files in {options['corpus']}")
            call_command("import_articles", *files, no_index=True, no_progress=True, verbosity=0)

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
            with self.on(name):
                builds[name] = self.build(name, options, total)
            build_rss.append(f"{peak_rss_mb():.0f} MB after the {self.labels[name]} build")

        stock = not options["no_stock"]
        if stock:
            stock_build, stock_mb = self.build_stock(options, total, stock_count, tmp)
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
        tantivy = self.build_tantivy(options, tmp)

        # --- searches ---------------------------------------------------------------
        source = (
            ArticleIndex().index_queryset().prefetch_related(None).values_list("body_ru", flat=True)
        )
        texts = (html_to_text(body) for body in source[:stock_count].iterator())
        queries = draw_queries(texts, options["queries"], options["seed"])
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
            raw_times, raw_found = self.time_raw(str(tmp / "archive"), queries)
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
        if len(runs) == 2:
            self.report_agreement(queries, runs)

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
                self.report_hostile(queries, "" if len(names) == 1 else f", {name}")

        self.out("")
        self.out(
            f"Peak memory (ru_maxrss): {', '.join(build_rss)}, "
            f"{archive_search_rss:.0f} MB after the searches, {peak_rss_mb():.0f} MB at the end"
            + (" (stock build included)" if stock else "")
            + (" (Tantivy included: its build, its memory-mapped index)" if tantivy else "")
            + ("; this process only, not the cluster's" if self.cluster_url else "")
        )

    def build(self, name, options, total):
        """Build the archive's index on engine `name` (in use now) the archive's own way:
        (seconds, MB on disk) of the last build timed."""
        label = self.labels[name]
        if options["build"] in ("one-writer", "both"):
            # What generate_articles and import_articles do: one writer, one commit.
            connections["default"].get_backend().clear()
            clock = ProgressClock()
            pks = list(ArticleIndex().index_queryset().values_list("pk", flat=True))
            started = time.perf_counter()
            index_articles(pks, batch_size=1000, progress=clock.progress)
            seconds = time.perf_counter() - started
            size_mb = engine_bench.index_mb(name)
            self.report_build(f"{label} (index_articles)", total, seconds, size_mb, clock)
        if options["build"] in ("rebuild", "both"):
            # rebuild_index's own work: a new index built aside, then switched in.
            clock = ProgressClock()
            batch = settings.HAYSTACK_CONNECTIONS["default"].get("BATCH_SIZE", 1000)
            started = time.perf_counter()
            rebuild(batch_size=batch, progress=clock.progress)
            seconds = time.perf_counter() - started
            size_mb = engine_bench.index_mb(name)
            label = f"{label} (rebuild_index, {batch}/read)"
            self.report_build(label, total, seconds, size_mb, clock)
            # After the last batch (and Whoosh's last commit): OpenSearch copies the new
            # index to its replicas; then the switch, the catch-up, the reconciliation.
            after = seconds - sum(s for _n, s in clock.batches)
            steps = "replica copies, switch" if name == "opensearch" else "switch"
            self.out(f"  {'':{LABEL}} then {after:.1f} s ({steps}, reconciliation)")
        return seconds, size_mb

    def build_tantivy(self, options, tmp):
        """Tantivy's index of the same articles, when asked for or installed: the
        TantivyArchive, or None."""
        if options["tantivy"] is False:
            return None
        if tantivy_bench.version() is None:
            if options["tantivy"]:
                raise CommandError("--tantivy: pip install -r requirements-bench.txt")
            self.out(
                "  Tantivy: not installed (pip install -r requirements-bench.txt), "
                "so no comparison with it"
            )
            return None
        archive = tantivy_bench.TantivyArchive(tmp / "tantivy")
        clock = ProgressClock()
        built = archive.build(progress=clock.progress)
        label = f"tantivy {tantivy_bench.version()} (our analysis)"
        self.report_build(label, built.documents, built.seconds, built.size_mb, clock)
        self.out(
            f"  {'':{LABEL}} {built.segments} segment(s), merges awaited; "
            "the analysis in Python, as the archive's build"
        )
        return archive

    def build_stock(self, options, total, stock_count, tmp):
        """haystack's own rebuild_index into the stock index: (seconds, MB on disk)."""
        seconds, clock = stock_bench.build(total, stock_count, options["batch_size"])
        size_mb = directory_mb(tmp / "stock")
        label = f"stock (update_index, {options['batch_size']}/batch)"
        self.report_build(label, stock_count, seconds, size_mb, clock)
        if stock_count < total:
            self.out(
                f"  NOTE: stock build capped at {stock_count:,} of {total:,} articles "
                "(--stock-count); its searches run on that smaller index."
            )
        return seconds, size_mb

    def report_agreement(self, queries, runs):
        """Whoosh and OpenSearch on the same queries: the same first results?"""
        found = engine_bench.agreement(queries, runs["whoosh"], runs["opensearch"])
        n = found.queries
        self.out("")
        self.out(f"Agreement whoosh / opensearch, first {engine_bench.FIRST} results, {n} queries")
        self.out(
            f"  same set of {engine_bench.FIRST}: {found.share(found.same_set):.3f} "
            f"({found.same_set}/{n}); same order: {found.share(found.same_order):.3f} "
            f"({found.same_order}/{n}); same count: {found.share(found.same_count):.3f} "
            f"({found.same_count}/{n})"
        )
        shown = {d.query: d for d in found.differences}  # a query may be drawn twice
        for difference in list(shown.values())[:5]:
            parted = (
                f", orders part at rank {difference.first_rank}" if difference.first_rank else ""
            )
            self.out(
                f"  «{difference.query}»: count {difference.counts[0]} / {difference.counts[1]}, "
                f"{difference.shared} of the first {engine_bench.FIRST} shared{parted}"
            )
        if len(shown) > 5:
            self.out(f"  ... and {len(shown) - 5} more queries that differ")

    def report_hostile(self, queries, engine=""):
        """Suggestions after 1-3 letters and the costliest queries one can build
        (search.management.hostile): the cost of each request, rate limits off."""
        words = [w for q in queries for w in q.split()]
        by_length = hostile.measure_suggestions(hostile.suggestion_prefixes(words))
        worst = hostile.measure_worst()
        self.out("")
        self.out(f"Suggestions (/api/suggest/), ms, by letters typed{engine}")
        self.out(f"  {'':44} {'median':>8} {'p95':>8} {'max':>8}")
        for length, times in by_length.items():
            times = Timings(times)
            label = f"{length} letter(s), {len(times)} beginnings"
            self.out(f"  {label:44} {times.median:8.1f} {times.p95:8.1f} {max(times):8.1f}")
        self.out("")
        self.out(f"Costliest queries, ms (5 runs each after a warm-up){engine}")
        self.out(f"  {'':44} {'median':>8} {'max':>8}")
        every = Timings()
        for (label, url), times in worst.items():
            every.extend(times)
            times = Timings(times)
            self.out(f"  {label[:30] + ' ' + url:44} {times.median:8.1f} {max(times):8.1f}")
        self.out(f"  all of them: p95 {every.p95:.1f} ms, max {max(every):.1f} ms")

    def report_build(self, label, count, seconds, size_mb, clock):
        self.out(
            f"  {label:{LABEL}} {count:>8,} articles in {seconds:7.1f} s = "
            f"{count / seconds:7.0f}/s; "
            f"index {size_mb:7.1f} MB ({size_mb * 2**20 / count / 1024:.1f} KB/article)"
        )
        # The rate of each committed part, or else of each tenth of the build (the final
        # commit is then in the total only): a slow-down shows.
        rates, kind = clock.parts(), f"part of {engines.current().commit_every:,}, commit included"
        if len(rates) < 2:
            rates, kind = tenths(clock.batches, count), "tenth"
        if len(rates) > 1:
            self.out(
                f"  {'':{LABEL}} rate by {kind}: "
                + " ".join(f"{r:.0f}" for r in rates)
                + f" articles/s (last/first {rates[-1] / rates[0]:.2f})"
            )

    def time_raw(self, path, queries):
        ix = whoosh_index.open_dir(path)
        parser = MultifieldParser(["text", "text_en", "text_az"], ix.schema)
        times, found = Timings(), 0
        with ix.searcher() as searcher:
            for q in queries[: engine_bench.WARM_UP]:
                searcher.search(parser.parse(q), limit=20)
            for q in queries:
                started = time.perf_counter()
                results = searcher.search(parser.parse(q), limit=20)
                hits = [hit.fields() for hit in results]
                total = len(results)
                times.add(time.perf_counter() - started)
                found += bool(hits and total)
        return times, found
