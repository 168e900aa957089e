"""The floor under the archive's Whoosh engine, for benchmark_search: a raw Whoosh
searcher kept open on the archive's index (parse, search, read stored fields), timed on
the same queries. Beside search/engines/whoosh/, the only module that imports Whoosh
(tests/test_engine_boundary.py)."""

import time

from whoosh import index as whoosh_index
from whoosh.qparser import MultifieldParser

from .engine_bench import WARM_UP, Timings


def time_raw(path, queries):
    """(Timings, queries with hits) of the top 20 of each query on the index at `path`."""
    ix = whoosh_index.open_dir(path)
    parser = MultifieldParser(["text", "text_en", "text_az"], ix.schema)
    times, found = Timings(), 0
    with ix.searcher() as searcher:
        for q in queries[:WARM_UP]:
            searcher.search(parser.parse(q), limit=20)
        for q in queries:
            started = time.perf_counter()
            results = searcher.search(parser.parse(q), limit=20)
            hits = [hit.fields() for hit in results]
            total = len(results)
            times.add(time.perf_counter() - started)
            found += bool(hits and total)
    return times, found
