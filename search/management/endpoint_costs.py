"""Where the JSON endpoint's time goes, for benchmark_search: one more pass over the
queries with timers around the calls the view and the service make, wrapped from here
for that pass and then restored (search/ itself is not changed for it).

Each part counts its own time, less that of the timed calls inside it, except that all
of a query repair is the repair's, its engine calls included. What no timer covers
is "the rest of the service" (the form, the parser, paging) inside the view's
call, and "middleware, routing, test client" outside it.
"""

import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from unittest import mock

from django.test import Client

from search import engines, links, ranking, service, views

from .engine_bench import WARM_UP, Timings

REPAIRS = "repairs"
# Engine calls inside a repair, shown apart under it: (method, what it is).
REPAIR_CALLS = (
    ("search", "the repaired queries' searches"),
    ("document_frequencies", "words' document frequencies"),
    ("nearest_terms_many", "nearest words of the vocabulary"),
)
# (part, what it is) in the order printed.
PARTS = (
    ("engine", "engine search (the query as typed)"),
    (REPAIRS, "query repairs and the any-word fallback"),
    ("snippets", "snippets"),
    ("results", "results without their snippets (URLs, dates)"),
    ("reordering", "reordering the first hits (search.ranking)"),
    ("labels", "rubric and tag labels (remembered per content version)"),
    ("links", "facet and page links"),
    ("synonyms", "synonym groups (cache read)"),
    ("service", "the rest of the service (form, parse, paging)"),
    ("json", "JSON rendering"),
    ("outside", "middleware, routing, test client"),
)


@dataclass
class Costs:
    queries: int = 0
    seconds: dict = field(default_factory=lambda: defaultdict(float))
    calls: dict = field(default_factory=lambda: defaultdict(int))
    repaired: int = 0  # queries that tried a repair (fewer than FEW_RESULTS results)
    any_word: int = 0  # queries that fell back to articles holding some of the words
    times: Timings = field(default_factory=Timings)  # each request, timers included

    def ms(self, part):
        """Mean milliseconds a query; a repair's engine calls count as the repair's."""
        seconds = self.seconds[part]
        if part == REPAIRS:
            seconds += sum(self.seconds[f"{REPAIRS}: {call}"] for call, _text in REPAIR_CALLS)
        return seconds * 1000 / self.queries if self.queries else 0.0

    @property
    def total_ms(self):
        return sum(self.times) / len(self.times) if self.times else 0.0


class Clock:
    def __init__(self, costs):
        self.costs = costs
        self.open = []  # [part, seconds of the timed calls inside], innermost last
        self.top = 0.0  # seconds of the outermost timed calls in this request

    def wrap(self, part, func):
        def timed(*args, **kwargs):
            name = part
            if part == "engine" and any(frame[0] == REPAIRS for frame in self.open):
                name = f"{REPAIRS}: {func.__name__}"
            self.costs.calls[func.__name__] += 1
            frame = [name, 0.0]
            self.open.append(frame)
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self.open.pop()
                self.costs.seconds[name] += elapsed - frame[1]
                if self.open:
                    self.open[-1][1] += elapsed
                else:
                    self.top += elapsed

        return timed


def measure(queries) -> Costs:
    """One pass of `queries` through /api/search/ with the parts timed."""
    costs, engine = Costs(), engines.current()
    clock = Clock(costs)
    timed = {
        (views, "_perform"): "service",
        (views, "_json"): "json",
        **{(engine, call): "engine" for call, _text in REPAIR_CALLS},
        (service, "_try_repair"): REPAIRS,
        (service, "_try_any_word"): REPAIRS,
        (service, "snippet"): "snippets",
        (service, "_result"): "results",
        (service, "_labels"): "labels",
        (ranking, "rerank"): "reordering",
        (service, "synonym_map"): "synonyms",
        (links, "facets"): "links",
        (links, "navigation"): "links",
    }
    client = Client()

    def ask(q):
        return client.get("/api/search/", {"q": q}, HTTP_HOST="localhost", secure=True)

    with ExitStack() as stack:
        for (owner, name), part in timed.items():
            wrapper = clock.wrap(part, getattr(owner, name))
            stack.enter_context(mock.patch.object(owner, name, wrapper))
        for q in queries[:WARM_UP]:
            ask(q)
        costs.calls.clear()
        costs.seconds.clear()
        for q in queries:
            before = (costs.calls["_try_repair"], costs.calls["_try_any_word"])
            clock.top = 0.0
            started = time.perf_counter()
            ask(q)
            elapsed = time.perf_counter() - started
            costs.times.add(elapsed)
            costs.seconds["outside"] += elapsed - clock.top
            costs.repaired += costs.calls["_try_repair"] > before[0]
            costs.any_word += costs.calls["_try_any_word"] > before[1]
        costs.queries = len(queries)
    return costs


def report(out, costs: Costs, label):
    """The parts as mean ms a query and as shares of the whole."""
    total = costs.total_ms
    out("")
    out(
        f"Where the {label} JSON endpoint's time goes: one more pass, timers around the "
        "view's and the service's calls"
    )
    out(f"  {'mean ms a query':>56} {'share':>7}")

    def line(text, ms):
        share = ms / total * 100 if total else 0.0
        out(f"  {text:48} {ms:7.2f} {share:6.0f}%")

    for part, text in PARTS:
        line(text, costs.ms(part))
        if part == REPAIRS:
            out(
                f"    tried by {costs.repaired} of {costs.queries} queries (fewer than "
                f"{service.FEW_RESULTS} results); {costs.any_word} fell back to any word"
            )
            for call, text in REPAIR_CALLS:
                line(f"    of which {text}", costs.ms(f"{REPAIRS}: {call}"))
    line(f"all (median {costs.times.median:.2f}, p95 {costs.times.p95:.2f})", total)
