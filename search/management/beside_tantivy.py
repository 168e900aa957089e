"""benchmark_search's comparison with Tantivy: the JSON endpoint, the engine call alone
and Tantivy (search.management.tantivy_bench) on the same queries, in turn, pass after
pass, with the ratios the issue's target is written in (the endpoint within TARGET times
Tantivy's top 20 with stored documents and snippets)."""

import statistics

from . import engine_bench, tantivy_bench

TARGET = 3  # endpoint / Tantivy, median and p95
STEPS = {  # tantivy_bench.TantivyArchive.search's
    "query": "our parser and the query",
    "search": "search (top 20, count)",
    "documents": "snippet generator and stored documents",
    "snippets": "snippets",
}


def compare(queries, endpoint_run, archive, passes):
    """{kind: [JsonRun per pass]} for "endpoint", "engine" and "tantivy" (the first
    endpoint pass is the one the latency table timed), and "tantivy parts": {step: ms}."""
    runs = {"endpoint": [], "engine": [], "tantivy": []}
    for n in range(passes):
        runs["endpoint"].append(endpoint_run if n == 0 else engine_bench.time_json(queries))
        runs["engine"].append(engine_bench.time_engine(queries))
        runs["tantivy"].append(tantivy_bench.time_searches(archive, queries))
    runs["tantivy parts"] = tantivy_bench.parts(archive, queries)
    return runs


def _figures(runs):
    """(median, p95): each the median over the passes of that pass's figure."""
    return (
        statistics.median(run.times.median for run in runs),
        statistics.median(run.times.p95 for run in runs),
    )


def report(out, queries, runs, label):
    passes = len(runs["tantivy"])
    over = f", median of {passes} passes" if passes > 1 else ""
    out("")
    out(
        f"Beside Tantivy {tantivy_bench.version()} ({label}): the same {len(queries)} queries, "
        f"our lemma terms, every word required, BM25, top 20; ms{over}"
    )
    out(f"  {'':52} {'median':>8} {'p95':>8}")
    rows = (
        ("endpoint", f"{label} JSON endpoint (repairs, snippets, facets)"),
        ("engine", f"{label} engine call alone (search, facets)"),
        ("tantivy", "Tantivy: search, 20 stored documents, snippets"),
    )
    figures = {kind: _figures(runs[kind]) for kind, _text in rows}
    for kind, text in rows:
        median, p95 = figures[kind]
        out(f"  {text:52} {median:8.2f} {p95:8.2f}")
    floor = figures["tantivy"]
    for kind, text in (("endpoint", "endpoint"), ("engine", "engine alone")):
        median, p95 = figures[kind]
        target = f" (target: {TARGET}x)" if kind == "endpoint" else ""
        out(
            f"  {text} / Tantivy: median {median / floor[0]:.1f}x, "
            f"p95 {p95 / floor[1]:.1f}x{target}"
        )
    steps = runs["tantivy parts"]
    out(
        "  Tantivy's steps, mean ms a query: "
        + ", ".join(f"{STEPS[part]} {ms:.3f}" for part, ms in steps.items())
    )
    if passes > 1:
        for kind, _text in rows:
            medians = " ".join(f"{run.times.median:.2f}" for run in runs[kind])
            out(f"  {kind} median by pass: {medians}")
    # Fed the same terms and scored by the same BM25, Tantivy finds what the engine finds;
    # over several segments it puts equal scores in another order than ours (article id).
    found = engine_bench.agreement(queries, runs["engine"][-1], runs["tantivy"][-1])
    n = found.queries
    out(
        f"  Tantivy and the engine, first {engine_bench.FIRST}: same set "
        f"{found.share(found.same_set):.3f}, same order {found.share(found.same_order):.3f}, "
        f"same count {found.share(found.same_count):.3f} ({n} queries)"
    )
