"""load_test's figures and verdict: each kind of client's requests, latencies and wrong
answers, the editors' work, the maintenance commands' output, the index lock waits read
from gunicorn's log (whose lines GUNICORN_CONFIG marks with their thread), the drain and
the search check; PASS, or FAIL with its reasons."""

import re
import statistics
from collections import Counter

from django.core.management.base import CommandError

from archive.management.commands.benchmark_pages import percentile
from search.indexing import EDITOR_LOCK_WAIT

from .load_checks import DRAIN_SECONDS

LOCK_WAIT_LIMIT = 2.0  # seconds a request may wait for the index lock
# gunicorn hook: prefix every log line with its thread, so that a request's lock wait
# (a sync worker serves requests on MainThread) is told from the retrier's.
GUNICORN_CONFIG = """import logging


def post_worker_init(worker):
    formatter = logging.Formatter("[%(threadName)s] %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
"""
WAITED = re.compile(r"^(?:\[(\S+)\] \S+ \S+: )?waited ([\d.]+) s for the index lock", re.M)
GAVE_UP = re.compile(r"^\[MainThread\] WARNING search\.indexing: search index write", re.M)
SERVER_ERROR = re.compile(
    r"^\[[^\]]+\] (?:\[\d+\] \[)?(?:ERROR|CRITICAL)\]? .*(?:\n(?!\[).*)*", re.M
)


def report(out, result, log_path):
    """Print the figures, then PASS, or FAIL and raise CommandError with the reasons."""
    failures = []
    out(
        f"  ran {result['elapsed']:.1f} s (until the maintenance had finished); "
        "one connection per request"
    )
    out(f"  {'':24} {'requests':>9} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} "
        f"{'5xx':>5} {'other':>6}")  # fmt: skip
    for name, key in (("readers", "reads"), ("editors (all requests)", "edits"),
                      ("editor saves (POST)", "saves")):  # fmt: skip
        tally = result[key]
        times = tally.latencies or [0.0]
        out(
            f"  {name:24} {len(tally.latencies):9d} "
            f"{len(tally.latencies) / result['elapsed']:7.1f} "
            f"{statistics.median(times) * 1000:10.1f} {percentile(times, 95) * 1000:8.1f} "
            f"{tally.server_errors:5d} {tally.unexpected.total():6d}"
        )
        if tally.server_errors:
            failures.append(f"{tally.server_errors} 5xx answers to the {name}")
        if tally.unexpected:
            wrong = ", ".join(f"{s} x{n}" for s, n in tally.unexpected.most_common())
            failures.append(f"unexpected answers to the {name}: {wrong}")
    team = result["editors"]
    actions = sum((e.actions for e in team), Counter())
    errors = [error for e in team for error in e.errors]
    out(
        f"  editors: {actions['edit']} edits, {actions['add']} articles added, "
        f"{actions['delete']} deleted; {len(errors)} errors"
    )
    failures += errors[:10]
    if not actions["edit"]:
        failures.append("no editor saved an article")
    command_waits = []
    for name, at, took, run in sorted(result["maintenance"], key=lambda m: m[1]):
        said = run.stdout.strip() or run.stderr.strip()[-300:]
        out(f"  {name} at {at:.1f} s, took {took:.1f} s: " + said.replace("\n", "\n    "))
        command_waits += [float(s) for _t, s in WAITED.findall(run.stderr)]
        if run.returncode:
            failures.append(f"{name} exited with {run.returncode}: {run.stderr[-500:]}")
    failures += lock_waits(out, result["log"], command_waits)
    pending, drift, waited = result["drain"]
    out(f"  after the load, in {waited:.1f} s: {pending} queued; {drift.summary()}")
    if pending or drift.drift:
        failures.append(f"the index did not catch up in {DRAIN_SECONDS:.0f} s")
    saved, lost, deleted, phantoms = result["search"]
    out(
        f"  search: {saved - len(lost)} of {saved} saved articles found by their last "
        f"title and tags; {deleted - len(phantoms)} of {deleted} deleted articles not found"
    )
    failures += lost[:10] + phantoms[:10]
    crashes = SERVER_ERROR.findall(result["log"])
    if crashes:
        out(f"  first error in the gunicorn log:\n{crashes[0]}")
    out(f"  gunicorn log: {log_path}")
    if failures:
        out("FAIL")
        raise CommandError("FAIL:\n" + "\n".join(f"  {f}" for f in failures))
    out("PASS")


def lock_waits(out, log, command_waits):
    waits = WAITED.findall(log)
    in_requests = [float(s) for thread, s in waits if thread == "MainThread"]
    background = [float(s) for thread, s in waits if thread != "MainThread"]
    gave_up = len(GAVE_UP.findall(log))  # each of those requests waited EDITOR_LOCK_WAIT

    def waits_line(values):
        return f"{len(values)}, longest {max(values, default=0):.3f} s"

    out(
        f"  index lock waits of 0.1 s or more: requests {waits_line(in_requests)} "
        f"({gave_up} left to the retrier after {EDITOR_LOCK_WAIT} s); background retrier "
        f"{waits_line(background)}; commands {waits_line(command_waits)}"
    )
    longest = max([*in_requests, EDITOR_LOCK_WAIT if gave_up else 0.0])
    if longest > LOCK_WAIT_LIMIT:
        return [f"a request waited {longest:.3f} s for the index lock (limit 2 s)"]
    return []
