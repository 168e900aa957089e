"""The index builds benchmark_search times: the archive's (rebuild_index or one writer, on
Whoosh or the cluster), stock haystack's and Tantivy's, each printed with its rate, its
size on disk and its rate part by part (a slow-down shows); and the scratch connections
the Whoosh indexes are built on."""

import time
from contextlib import contextmanager
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import CommandError
from django.test import override_settings
from haystack import connections

from archive.search_connection import search_connection
from search import engines
from search.indexing import index_articles
from search.rebuild import rebuild
from search.search_indexes import ArticleIndex

from . import engine_bench, stock_bench, tantivy_bench
from .engine_bench import directory_mb

LABEL = 38  # width of a build's label


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


def build_archive(out, name, label, how, total):
    """Build the archive's index on engine `name` (in use now) the archive's own way,
    `how` being --build's choice: (seconds, MB on disk) of the last build timed."""
    if how in ("one-writer", "both"):
        # What generate_articles and import_articles do: one writer, one commit.
        connections["default"].get_backend().clear()
        clock = ProgressClock()
        pks = list(ArticleIndex().index_queryset().values_list("pk", flat=True))
        started = time.perf_counter()
        index_articles(pks, batch_size=1000, progress=clock.progress)
        seconds = time.perf_counter() - started
        size_mb = engine_bench.index_mb(name)
        report_build(out, f"{label} (index_articles)", total, seconds, size_mb, clock)
    if how in ("rebuild", "both"):
        # rebuild_index's own work: a new index built aside, then switched in.
        clock = ProgressClock()
        batch = settings.HAYSTACK_CONNECTIONS["default"].get("BATCH_SIZE", 1000)
        started = time.perf_counter()
        rebuild(batch_size=batch, progress=clock.progress)
        seconds = time.perf_counter() - started
        size_mb = engine_bench.index_mb(name)
        label = f"{label} (rebuild_index, {batch}/read)"
        report_build(out, label, total, seconds, size_mb, clock)
        # After the last batch (and Whoosh's last commit): OpenSearch copies the new
        # index to its replicas; then the switch, the catch-up, the reconciliation.
        after = seconds - sum(s for _n, s in clock.batches)
        steps = "replica copies, switch" if name == "opensearch" else "switch"
        out(f"  {'':{LABEL}} then {after:.1f} s ({steps}, reconciliation)")
    return seconds, size_mb


def build_stock(out, batch_size, total, stock_count, path):
    """haystack's own rebuild_index into the stock index at `path`: (seconds, MB on disk)."""
    seconds, clock = stock_bench.build(total, stock_count, batch_size)
    size_mb = directory_mb(path)
    label = f"stock (update_index, {batch_size}/batch)"
    report_build(out, label, stock_count, seconds, size_mb, clock)
    if stock_count < total:
        out(
            f"  NOTE: stock build capped at {stock_count:,} of {total:,} articles "
            "(--stock-count); its searches run on that smaller index."
        )
    return seconds, size_mb


def build_tantivy(out, wanted, path):
    """Tantivy's index of the same articles at `path`, when asked for (`wanted`: --tantivy,
    None when not given) or installed: the TantivyArchive, or None."""
    if wanted is False:
        return None
    if tantivy_bench.version() is None:
        if wanted:
            raise CommandError("--tantivy: pip install -r requirements-bench.txt")
        out(
            "  Tantivy: not installed (pip install -r requirements-bench.txt), "
            "so no comparison with it"
        )
        return None
    archive = tantivy_bench.TantivyArchive(path)
    clock = ProgressClock()
    built = archive.build(progress=clock.progress)
    label = f"tantivy {tantivy_bench.version()} (our analysis)"
    report_build(out, label, built.documents, built.seconds, built.size_mb, clock)
    out(
        f"  {'':{LABEL}} {built.segments} segment(s), merges awaited; "
        "the analysis in Python, as the archive's build"
    )
    return archive


def report_build(out, label, count, seconds, size_mb, clock):
    out(
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
        out(
            f"  {'':{LABEL}} rate by {kind}: "
            + " ".join(f"{r:.0f}" for r in rates)
            + f" articles/s (last/first {rates[-1] / rates[0]:.2f})"
        )
