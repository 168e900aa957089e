"""load_test --flood: many connections on the costly endpoints while a reader opens the
home page. Each target in turn gets `connections` threads for `seconds` (one client
address, as a single attacker; run with the limits off to see the cost bound alone):
suggestions after two letters, the costliest search (search.management.hostile), and
the whole articles sitemap. PASS: no 5xx anywhere and the home page's p95 under
HOME_P95_MS during every flood.
"""

import multiprocessing
import random
import threading
import time
from collections import Counter
from urllib.parse import urlencode

from archive.management.commands.benchmark_pages import percentile, request

from .hostile import WORST_QUERY

HOME_P95_MS = 200.0
PROBE_EVERY = 0.1  # seconds between the prober's requests
PROCESSES = multiprocessing.get_context("fork")  # the prober needs nothing re-imported


def targets():
    two_letters = ["пр", "по", "ко", "на", "за", "ра", "ст", "ми", "со", "де"]
    return {
        "suggestions": lambda rng: "/api/suggest/?" + urlencode({"q": rng.choice(two_letters)}),
        "costliest search": lambda rng: "/search/?" + urlencode({"q": WORST_QUERY}),
        "sitemap": lambda rng: "/sitemap-articles.xml",
    }


def _hammer(port, make_path, statuses, lock, stop_event, seed):
    rng = random.Random(seed)
    while not stop_event.is_set():
        try:
            status = request(port, make_path(rng))[0]
        except OSError:
            status = "no answer"
        with lock:
            statuses[status] += 1


def _probe(port, seconds, results):
    """The home page reader, in a process of its own: in the flood's process it would
    mostly wait for the flood threads' GIL, not for the server."""
    latencies, statuses = [], Counter()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            status = request(port, "/")[0]
        except OSError:
            status = "no answer"
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[status] += 1
        time.sleep(PROBE_EVERY)
    results.put((latencies, statuses))


def run(port, connections, seconds, out):
    """Floods each target in turn; prints a table; returns True on PASS."""
    server_errors, slowest = 0, 0.0
    out(f"flood: {connections} connections x {seconds:.0f} s per target; prober on /")
    out(f"  {'target':18} {'requests':>9} {'req/s':>7}  answers{'':27} home p95  home 5xx")
    for name, make_path in targets().items():
        statuses, lock, stop_event = Counter(), threading.Lock(), threading.Event()
        threads = [
            threading.Thread(target=_hammer, args=(port, make_path, statuses, lock, stop_event, n))
            for n in range(connections)
        ]
        results = PROCESSES.Queue()
        prober = PROCESSES.Process(target=_probe, args=(port, seconds, results))
        prober.start()  # forked before the flood threads exist, so it inherits no held lock
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        home_ms, home_statuses = results.get(timeout=seconds + 60)
        prober.join()
        stop_event.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        total = sum(statuses.values())
        errors = sum(n for s, n in statuses.items() if not isinstance(s, int) or s >= 500)
        home_errors = sum(n for s, n in home_statuses.items() if s != 200)
        p95 = percentile(home_ms, 95) if home_ms else float("inf")
        answers = ", ".join(f"{s} x{n}" for s, n in sorted(statuses.items(), key=str))
        out(
            f"  {name:18} {total:9,} {total / elapsed:7.0f}  {answers:34} "
            f"{p95:6.0f} ms {home_errors:9}"
        )
        server_errors += errors + home_errors
        slowest = max(slowest, p95)
    out(f"server errors (5xx or no answer): {server_errors}")
    out(f"home page p95, slowest flood: {slowest:.0f} ms (target < {HOME_P95_MS:.0f} ms)")
    passed = not server_errors and slowest < HOME_P95_MS
    out("PASS" if passed else "FAIL")
    return passed
