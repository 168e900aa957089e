"""Counting what a request asks of the search engine (benchmarks and tests).

On a cluster every call to the engine is a round trip, so a query's cost is first the
number of its calls: `counting()` wraps the engine's reading methods and counts the
calls the app makes (a call an engine makes to itself, as Whoosh's nearest_terms_many
looping over nearest_terms, is part of the outer call), as round trips: a batched
call with nothing to ask does not count.
"""

import functools
from collections import Counter
from contextlib import contextmanager

from search import engines

READS = (
    "search",
    "complete_titles",
    "document_frequency",
    "document_frequencies",
    "nearest_terms",
    "nearest_terms_many",
)

BATCHED = ("document_frequencies", "nearest_terms_many")


class Calls(Counter):
    """Calls by name; `asked` counts, by name, the terms or words the batched calls
    asked for (what one round trip carries)."""

    def __init__(self):
        super().__init__()
        self.asked = Counter()


@contextmanager
def counting():
    """Inside, the current engine's reads are counted in the Calls yielded, by name."""
    engine = engines.current()
    calls = Calls()
    depth = [0]

    def counted(name, method):
        @functools.wraps(method)
        def wrapper(*args, **kwargs):
            # A call with nothing to ask (no terms, no words) is no round trip.
            empty = name in BATCHED and not args[0]
            if not depth[0] and not empty:
                calls[name] += 1
                if name in BATCHED:
                    calls.asked[name] += len(args[0])
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return wrapper

    for name in READS:
        setattr(engine, name, counted(name, getattr(engine, name)))
    try:
        yield calls
    finally:
        for name in READS:
            delattr(engine, name)  # the class's methods again
