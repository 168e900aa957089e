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
- prints median and p95, the ratios, and the process's peak resident memory.

Figures, not a test: run it on a quiet machine, and again when a figure looks noisy. The
stock build is slow (about 11 minutes for 10,000 articles), so --stock-count caps it; the
stock index then holds fewer articles than the archive's, which favours stock.
"""

import math
import os
import random
import re
import resource
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from haystack import connections, indexes
from haystack.query import SearchQuerySet
from whoosh import index as whoosh_index
from whoosh.qparser import MultifieldParser

from archive.models import Article, Source
from archive.sanitize import html_to_text
from search import engines
from search.analysis import RUSSIAN_STOP_WORDS
from search.indexing import index_articles
from search.management import hostile
from search.rebuild import rebuild
from search.search_indexes import ArticleIndex

STOCK_ENGINE = "haystack.backends.whoosh_backend.WhooshEngine"
CORPUS_SOURCE = "NKTKLN/telegram-news-classifier"
DEFAULT_CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
# A query word: letters only (no digits, no hyphens), at least three of them.
QUERY_WORD = re.compile(r"[^\W\d_]{3,}")


class StockArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """A stock-style haystack index: the same text as ArticleIndex, plain haystack fields
    (stored, and analyzed by haystack's StemmingAnalyzer), no custom backend. The text is
    prepared in Python rather than from a template, so both indexes hold the same words."""

    text = indexes.CharField(document=True)
    text_az = indexes.CharField()
    text_en = indexes.CharField()
    title = indexes.CharField(model_attr="title_ru")
    published_at = indexes.DateTimeField(model_attr="published_at")
    rubric = indexes.CharField(null=True)
    tags = indexes.MultiValueField()

    max_pk = None  # --stock-count: index the articles up to this pk only

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        queryset = ArticleIndex().index_queryset(using)
        return queryset.filter(pk__lte=self.max_pk) if self.max_pk else queryset

    def read_queryset(self, using=None):
        return Article.objects.all()

    def prepare_text(self, obj):
        return ArticleIndex()._text(obj, "ru")

    def prepare_text_az(self, obj):
        return ArticleIndex()._text(obj, "az")

    def prepare_text_en(self, obj):
        return ArticleIndex()._text(obj, "en")

    def prepare_rubric(self, obj):
        return obj.rubric.slug if obj.rubric_id else None

    def prepare_tags(self, obj):
        return [t.slug for t in obj.tags.all()]


class Timings(list):
    def add(self, seconds):
        self.append(seconds * 1000)

    @property
    def median(self):
        return statistics.median(self) if self else 0.0

    @property
    def p95(self):
        return percentile(self, 95)


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[
        min(len(ordered), max(1, math.ceil(pct / 100 * len(ordered)))) - 1
    ]  # nearest rank


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def directory_mb(path):
    live = Path(os.path.realpath(path))  # the archive's index path is a symlink
    return sum(f.stat().st_size for f in live.rglob("*") if f.is_file()) / 2**20


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
    """haystack's 'default' at a fresh archive index and a 'stock' connection with
    haystack's own Whoosh engine and defaults, both in temporary directories."""
    conf = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": archive_path},
        "stock": {"ENGINE": STOCK_ENGINE, "PATH": stock_path},
    }
    saved = connections.connections_info
    try:
        with override_settings(HAYSTACK_CONNECTIONS=conf):
            connections.connections_info = conf
            connections.reload("default")
            connections.reload("stock")
            yield
    finally:
        connections.connections_info = saved
        engines.current().close_readers()
        connections.thread_local.connections.pop("stock", None)
        connections.reload("default")


class BatchClock:
    """Wraps a backend's update(): (documents, seconds) per call, i.e. per batch."""

    def __init__(self, backend):
        self.batches = []
        self._update = backend.update

        def update(index, iterable, commit=True):
            items = list(iterable)
            started = time.perf_counter()
            self._update(index, items, commit=commit)
            self.batches.append((len(items), time.perf_counter() - started))

        backend.update = update

    def parts(self):
        return []  # stock commits every batch


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

    def handle(self, *args, **options):
        self.prepare_data(options)
        total = ArticleIndex().index_queryset().count()
        if not total:
            raise CommandError("No published articles: use --count N or --corpus.")
        stock_count = min(options["stock_count"] or total, total)
        tmp = Path(tempfile.mkdtemp(prefix="benchmark-search-"))
        # One client asks for everything: the per-client limits would answer 429.
        no_limits = {kind: "0/60" for kind in settings.RATE_LIMITS}
        try:
            with (
                benchmark_connections(str(tmp / "archive"), str(tmp / "stock")),
                override_settings(RATE_LIMITS=no_limits),
            ):
                self.run(options, total, stock_count, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

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

    def run(self, options, total, stock_count, tmp):
        self.out(
            f"Articles: {total:,} published; {options['queries']} queries, seed {options['seed']}"
        )

        # --- index builds -----------------------------------------------------------
        self.out("")
        self.out("Index build (full, from the database)")
        backend = connections["default"].get_backend()
        archive_build = None
        if options["build"] in ("one-writer", "both"):
            # What generate_articles and import_articles do: one writer, one commit.
            backend.clear()
            clock = ProgressClock()
            pks = list(ArticleIndex().index_queryset().values_list("pk", flat=True))
            started = time.perf_counter()
            index_articles(pks, batch_size=1000, progress=clock.progress)
            archive_build = time.perf_counter() - started
            label = "archive (index_articles)"
            self.report_build(label, total, archive_build, directory_mb(tmp / "archive"), clock)
        if options["build"] in ("rebuild", "both"):
            # rebuild_index's own work: a new generation built aside, then switched in.
            clock = ProgressClock()
            batch = settings.HAYSTACK_CONNECTIONS["default"].get("BATCH_SIZE", 1000)
            started = time.perf_counter()
            rebuild(batch_size=batch, progress=clock.progress)
            archive_build = time.perf_counter() - started
            label = f"archive (rebuild_index, {batch}/read)"
            archive_mb = directory_mb(tmp / "archive")
            self.report_build(label, total, archive_build, archive_mb, clock)
        archive_mb = directory_mb(tmp / "archive")
        archive_rss = peak_rss_mb()

        stock = not options["no_stock"]
        if stock:
            stock_index = StockArticleIndex()
            if stock_count < total:
                pks = ArticleIndex().index_queryset().values_list("pk", flat=True)
                stock_index.max_pk = pks[stock_count - 1]
            connections["stock"].get_unified_index().build(indexes=[stock_index])
            stock_clock = BatchClock(connections["stock"].get_backend())
            started = time.perf_counter()
            with override_settings(HAYSTACK_LIMIT_TO_REGISTERED_MODELS=True):
                call_command(
                    "rebuild_index",
                    interactive=False,
                    using=["stock"],
                    batchsize=options["batch_size"],
                    verbosity=0,
                )
            stock_build = time.perf_counter() - started
            stock_mb = directory_mb(tmp / "stock")
            label = f"stock (update_index, {options['batch_size']}/batch)"
            self.report_build(label, stock_count, stock_build, stock_mb, stock_clock)
            if stock_count < total:
                self.out(
                    f"  NOTE: stock build capped at {stock_count:,} of {total:,} articles "
                    "(--stock-count); its searches run on that smaller index."
                )
            archive_rate, stock_rate = total / archive_build, stock_count / stock_build
            self.out(
                f"  build rate ratio archive/stock: {archive_rate / stock_rate:.1f}x; "
                f"size ratio stock/archive: {stock_mb / archive_mb * total / stock_count:.1f}x "
                "(per article)"
            )

        if not options["queries"]:  # --queries 0: the builds only
            self.out(f"\nPeak memory (ru_maxrss): {peak_rss_mb():.0f} MB")
            return

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
        archive_times, archive_found = self.time_archive(queries)
        archive_search_rss = peak_rss_mb()
        raw_times, raw_found = self.time_raw(str(tmp / "archive"), queries)
        rows = [("archive JSON endpoint (snippets, facets)", archive_times, archive_found)]
        if stock:
            stock_times, stock_found = self.time_stock(queries)
            rows.append(("stock SearchQuerySet.auto_query()[:20]", stock_times, stock_found))
        rows.append(("raw Whoosh searcher, kept open", raw_times, raw_found))
        self.out(f"  {'':44} {'median':>8} {'p95':>8}  queries with hits")
        for label, times, found in rows:
            self.out(f"  {label:44} {times.median:8.1f} {times.p95:8.1f}  {found}/{len(queries)}")
        if stock:
            self.out(
                f"  stock / archive: median {stock_times.median / archive_times.median:.1f}x, "
                f"p95 {stock_times.p95 / archive_times.p95:.1f}x faster"
            )
        self.out(
            f"  archive / raw: median {archive_times.median / raw_times.median:.1f}x, "
            f"p95 {archive_times.p95 / raw_times.p95:.1f}x"
        )

        self.report_hostile(queries)

        self.out("")
        self.out(
            f"Peak memory (ru_maxrss): {archive_rss:.0f} MB after the archive build, "
            f"{archive_search_rss:.0f} MB after its searches, {peak_rss_mb():.0f} MB at the end"
            + (" (stock build included)" if stock else "")
        )

    def report_hostile(self, queries):
        """Suggestions after 1-3 letters and the costliest queries one can build
        (search.management.hostile): the cost of each request, rate limits off."""
        words = [w for q in queries for w in q.split()]
        by_length = hostile.measure_suggestions(hostile.suggestion_prefixes(words))
        worst = hostile.measure_worst()
        self.out("")
        self.out("Suggestions (/api/suggest/), ms, by letters typed")
        self.out(f"  {'':44} {'median':>8} {'p95':>8} {'max':>8}")
        for length, times in by_length.items():
            times = Timings(times)
            label = f"{length} letter(s), {len(times)} beginnings"
            self.out(f"  {label:44} {times.median:8.1f} {times.p95:8.1f} {max(times):8.1f}")
        self.out("")
        self.out("Costliest queries, ms (5 runs each after a warm-up)")
        self.out(f"  {'':44} {'median':>8} {'max':>8}")
        every = Timings()
        for (label, url), times in worst.items():
            every.extend(times)
            times = Timings(times)
            self.out(f"  {label[:30] + ' ' + url:44} {times.median:8.1f} {max(times):8.1f}")
        self.out(f"  all of them: p95 {every.p95:.1f} ms, max {max(every):.1f} ms")

    def report_build(self, label, count, seconds, size_mb, clock):
        self.out(
            f"  {label:36} {count:>8,} articles in {seconds:7.1f} s = {count / seconds:7.0f}/s; "
            f"index {size_mb:7.1f} MB ({size_mb * 2**20 / count / 1024:.1f} KB/article)"
        )
        # The rate of each committed part, or else of each tenth of the build (the final
        # commit is then in the total only): a slow-down shows.
        rates, kind = clock.parts(), f"part of {engines.current().commit_every:,}, commit included"
        if len(rates) < 2:
            rates, kind = tenths(clock.batches, count), "tenth"
        if len(rates) > 1:
            self.out(
                f"  {'':36} rate by {kind}: "
                + " ".join(f"{r:.0f}" for r in rates)
                + f" articles/s (last/first {rates[-1] / rates[0]:.2f})"
            )

    def time_archive(self, queries):
        client = Client()
        found = 0
        for q in queries[:5]:  # warm-up: opens the searcher, reads the tag table
            client.get("/api/search/", {"q": q}, HTTP_HOST="localhost", secure=True)
        times = Timings()
        for q in queries:
            started = time.perf_counter()
            response = client.get("/api/search/", {"q": q}, HTTP_HOST="localhost", secure=True)
            times.add(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"/api/search/?q={q}: HTTP {response.status_code}")
            found += response.json()["count"] > 0
        return times, found

    def time_stock(self, queries):
        times, found = Timings(), 0
        with override_settings(HAYSTACK_LIMIT_TO_REGISTERED_MODELS=True):  # stock default
            for q in queries[:5]:
                list(SearchQuerySet(using="stock").load_all().auto_query(q)[:20])
            for q in queries:
                started = time.perf_counter()
                results = list(SearchQuerySet(using="stock").load_all().auto_query(q)[:20])
                titles = [r.object.title for r in results if r.object is not None]
                times.add(time.perf_counter() - started)
                found += bool(titles)
        return times, found

    def time_raw(self, path, queries):
        ix = whoosh_index.open_dir(path)
        parser = MultifieldParser(["text", "text_en", "text_az"], ix.schema)
        times, found = Timings(), 0
        with ix.searcher() as searcher:
            for q in queries[:5]:
                searcher.search(parser.parse(q), limit=20)
            for q in queries:
                started = time.perf_counter()
                results = searcher.search(parser.parse(q), limit=20)
                hits = [hit.fields() for hit in results]
                total = len(results)
                times.add(time.perf_counter() - started)
                found += bool(hits and total)
        return times, found
