"""benchmark_search on either engine or both: a temporary alias on the cluster, the
index's size, the JSON endpoint's timings and first results, and how far two engines
agree on those results.

The agreement is read where a reader sees it: the ids of the first ten results of
/api/search/ (page one, results in the page's language first) and the total count.
"""

import math
import os
import secrets
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import CommandError
from django.test import Client
from haystack import connections

from search import engines
from search.models import synonym_map
from search.query import parse
from search.service import PER_PAGE

ENGINES = ("whoosh", "opensearch")
DEFAULT_NODES = "127.0.0.1:9201,127.0.0.1:9202,127.0.0.1:9203"
# Benchmark aliases share the cluster with other work: their names say whose they are.
ALIAS_PREFIX = "bench-"
FIRST = 10  # results compared between engines
WARM_UP = 5  # queries asked before timing (the searcher opens, the tag table is read)
MERGE_WAIT = 300  # seconds, at most, for the cluster to finish merging a new index


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


@contextmanager
def cluster_alias(nodes):
    """A SEARCH_URL naming a fresh alias `bench-<random>` on the cluster at `nodes`. At
    the end every index a build made for it goes (the alias with them), and its rebuild
    lock: nothing else on the shared cluster is touched."""
    alias = f"{ALIAS_PREFIX}{secrets.token_hex(6)}"
    url = f"opensearch://{nodes}/{alias}"
    try:
        yield url
    finally:
        with engines.using(url):
            conn = connections["default"].get_backend().conn
            conn.indices.delete(index=f"{alias}-*,{alias}.locks", ignore=404)


def directory_mb(path):
    live = Path(os.path.realpath(path))  # the archive's index path is a symlink
    return sum(f.stat().st_size for f in live.rglob("*") if f.is_file()) / 2**20


def index_mb(engine):
    """The size on disk of the index the archive now uses, one copy (OpenSearch keeps a
    replica as well, on another node)."""
    backend = connections["default"].get_backend()
    if engine == "whoosh":
        return directory_mb(backend.path)
    # Just built, the index may still be merging, and a merge's new segment counts
    # beside those it replaces: the size is read once no merge runs, or after MERGE_WAIT.
    deadline = time.monotonic() + MERGE_WAIT
    while True:
        stats = backend.conn.indices.stats(index=backend.alias, metric="merge,store")["_all"]
        if not stats["total"]["merges"]["current"] or time.monotonic() > deadline:
            return stats["primaries"]["store"]["size_in_bytes"] / 2**20
        time.sleep(1)


@dataclass
class JsonRun:
    """One engine's answers to the drawn queries through /api/search/."""

    times: Timings = field(default_factory=Timings)
    firsts: list = field(default_factory=list)  # per query, the ids of the first results
    counts: list = field(default_factory=list)  # per query, the total count

    @property
    def found(self):
        return sum(count > 0 for count in self.counts)


def time_json(queries):
    """Each query through the JSON endpoint (Django's test client: routing, the view,
    snippets and facets, JSON), after a warm-up."""
    client = Client()
    for q in queries[:WARM_UP]:
        client.get("/api/search/", {"q": q}, HTTP_HOST="localhost", secure=True)
    run = JsonRun()
    for q in queries:
        started = time.perf_counter()
        response = client.get("/api/search/", {"q": q}, HTTP_HOST="localhost", secure=True)
        run.times.add(time.perf_counter() - started)
        if response.status_code != 200:
            raise CommandError(f"/api/search/?q={q}: HTTP {response.status_code}")
        answer = response.json()
        run.firsts.append([result["id"] for result in answer["results"][:FIRST]])
        run.counts.append(answer["count"])
    return run


def time_engine(queries):
    """Each query through the engine alone, as the service first asks it (our parser,
    Russian first, a page of 20, facets, synonyms): no repairs, snippets, labels, JSON."""
    engine, synonyms = engines.current(), synonym_map()

    def ask(q):
        return engine.search(
            parse(q), language="ru", filters={}, per_page=PER_PAGE, synonyms=synonyms
        )

    for q in queries[:WARM_UP]:
        ask(q)
    run = JsonRun()
    for q in queries:
        started = time.perf_counter()
        outcome = ask(q)
        run.times.add(time.perf_counter() - started)
        run.firsts.append([int(hit.fields["django_id"]) for hit in outcome.hits[:FIRST]])
        run.counts.append(outcome.total)
    return run


@dataclass
class Difference:
    query: str
    counts: tuple  # the total count on each engine
    shared: int  # ids the two first pages have in common
    first_rank: int | None  # the first rank (1-based) where the orders part, if any


@dataclass
class Agreement:
    queries: int
    same_set: int = 0
    same_order: int = 0
    same_count: int = 0
    differences: list = field(default_factory=list)

    def share(self, agreeing):
        return agreeing / self.queries if self.queries else 1.0


def agreement(queries, one: JsonRun, other: JsonRun):
    """Per query: the same first ids as a set, in the same order, the same total count;
    and the queries that differ, the most different first."""
    found = Agreement(len(queries))
    for n, q in enumerate(queries):
        a, b = one.firsts[n], other.firsts[n]
        same_set, same_order = set(a) == set(b), a == b
        same_count = one.counts[n] == other.counts[n]
        found.same_set += same_set
        found.same_order += same_order
        found.same_count += same_count
        if not (same_order and same_count):
            parted = None
            if not same_order:  # where the orders part (or the shorter list ends)
                pairs = enumerate(zip(a, b, strict=False), start=1)
                parted = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)) + 1)
            counts = (one.counts[n], other.counts[n])
            found.differences.append(Difference(q, counts, len(set(a) & set(b)), parted))
    # The most different first: another count, then fewer results shared, then order.
    found.differences.sort(key=lambda d: (d.counts[0] == d.counts[1], d.shared))
    return found


def report_agreement(out, queries, runs):
    """Whoosh and OpenSearch on the same queries (`runs`: {engine: JsonRun}): the same
    first results?"""
    found = agreement(queries, runs["whoosh"], runs["opensearch"])
    n = found.queries
    out("")
    out(f"Agreement whoosh / opensearch, first {FIRST} results, {n} queries")
    out(
        f"  same set of {FIRST}: {found.share(found.same_set):.3f} "
        f"({found.same_set}/{n}); same order: {found.share(found.same_order):.3f} "
        f"({found.same_order}/{n}); same count: {found.share(found.same_count):.3f} "
        f"({found.same_count}/{n})"
    )
    shown = {d.query: d for d in found.differences}  # a query may be drawn twice
    for difference in list(shown.values())[:5]:
        parted = f", orders part at rank {difference.first_rank}" if difference.first_rank else ""
        out(
            f"  «{difference.query}»: count {difference.counts[0]} / {difference.counts[1]}, "
            f"{difference.shared} of the first {FIRST} shared{parted}"
        )
    if len(shown) > 5:
        out(f"  ... and {len(shown) - 5} more queries that differ")
