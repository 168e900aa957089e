"""The load and concurrency check (`manage.py load_test`) and the rebuild's atomic
switch under readers, each against gunicorn on a scratch SQLite database. Nothing here is
timed except the spec's bound on index lock waits, which load_test itself checks."""

import json
import os
import re
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest

from archive.management.commands.benchmark_pages import (
    SEARCH_WORDS,
    SERVER_ENV,
    free_port,
    start_gunicorn,
    stop,
    wait_until_up,
)
from archive.management.commands.benchmark_pages import (
    request as http_get,
)

from .scratch_support import run_manage, scratch_env

# Every test here runs on a scratch SQLite database, whatever the run's database.
pytestmark = pytest.mark.any_database


@pytest.fixture
def scratch(tmp_path):
    """manage.py in a subprocess with the real settings on a scratch database and index
    (the CI run against PostgreSQL sets DATABASE_URL, which may hold other articles)."""
    return scratch_manage(scratch_env(tmp_path))


@pytest.fixture
def cluster_scratch(tmp_path, opensearch_cluster):
    """The same, with the index under an alias of its own on the test cluster."""
    alias = f"test-load-{uuid.uuid4().hex[:8]}"
    env = scratch_env(tmp_path, SEARCH_URL=f"opensearch://{opensearch_cluster}/{alias}")
    try:
        yield scratch_manage(env)
    finally:
        first = opensearch_cluster.split(",")[0]
        for name in (f"{alias}-*", f"{alias}.locks"):
            try:
                urllib.request.urlopen(
                    urllib.request.Request(f"http://{first}/{name}", method="DELETE"), timeout=30
                )
            except urllib.error.HTTPError:
                pass  # nothing of that name


def scratch_manage(env):

    def manage(*args, timeout=300):
        run = run_manage(env, *args, timeout=timeout, check=False)
        assert run.returncode == 0, f"{args}\n{run.stdout}\n{run.stderr[-3000:]}"
        return run.stdout

    manage("migrate", "--verbosity", "0")
    manage.env = env
    return manage


def test_load_test_passes_with_readers_editors_reconciliation_and_a_rebuild(scratch):
    text = scratch(
        "load_test", "--seconds", "8", "--workers", "2", "--readers", "2", "--editors", "2",
        "--articles", "60",
    )  # fmt: skip
    assert text.splitlines()[-1] == "PASS", text
    for row in ("readers", r"editors \(all requests\)", r"editor saves \(POST\)"):
        # requests, req/s, median, p95, then no 5xx and no other wrong answer
        assert re.search(rf"^  {row}\s+[1-9]\d*\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+0\s+0$", text, re.M), (
            row,
            text,
        )
    assert re.search(r"editors: [1-9]\d* edits", text), text
    assert "reconcile_index at" in text and "rebuild_index at" in text, text
    assert re.search(r"index lock waits .*requests \d+, longest [01]\.\d+ s", text), text
    assert re.search(r"search: (\d+) of \1 saved articles found", text), text
    assert re.search(r"(\d+) of \1 deleted articles not found", text), text


def test_a_node_killed_while_readers_search_and_editors_save(cluster_scratch):
    """SIGKILL one of the three nodes under load, restart it: no 5xx, every save found
    afterwards (load_test's PASS), and the node back in a green cluster."""
    text = cluster_scratch(
        "load_test", "--seconds", "20", "--workers", "2", "--readers", "2", "--editors", "2",
        "--articles", "60", "--kill-node", "2", timeout=600,
    )  # fmt: skip
    assert text.splitlines()[-1] == "PASS", text
    assert re.search(r"^  readers\s+[1-9]\d*\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+0\s+0$", text, re.M), text
    assert "cluster-kill N=2 at" in text and "node-2 SIGKILLed" in text, text
    assert "node-2 rejoined" in text and '"status" : "green"' in text, text
    assert re.search(r"search: (\d+) of \1 saved articles found", text), text


@pytest.mark.parametrize("engine", ["whoosh", "opensearch"])
def test_rebuild_while_serving_answers_every_search(engine, tmp_path, request):
    scratch = request.getfixturevalue("scratch" if engine == "whoosh" else "cluster_scratch")
    scratch("generate_articles", "--count", "60", "--words", "60", "--verbosity", "0")
    path = tmp_path / "whoosh_index"
    generation_before = os.path.realpath(path)
    port = free_port()
    with open(tmp_path / "gunicorn.log", "w") as log:
        server = start_gunicorn(port, 2, {**scratch.env, **SERVER_ENV}, stderr=log)
        stop_searching, answers = threading.Event(), []
        try:
            wait_until_up(server, port)

            def count(word):
                status, _headers, body = http_get(port, "/api/search/?" + urlencode({"q": word}))
                return status, json.loads(body).get("count") if status == 200 else None

            expected = {w: n for w in SEARCH_WORDS if (n := count(w)[1])}
            assert expected, "none of the search words is in the generated articles"

            def search():
                while not stop_searching.is_set():
                    for word in expected:
                        try:
                            answers.append((word, *count(word)))
                        except Exception as exc:  # no answer, or not JSON
                            answers.append((word, repr(exc), None))

            searcher = threading.Thread(target=search)
            searcher.start()
            try:
                for _ in range(3):
                    scratch("rebuild_index", "--noinput")
            finally:
                stop_searching.set()
                searcher.join()
        finally:
            stop(server)
    assert len(answers) > len(expected), answers
    wrong = [a for a in answers if a[1:] != (200, expected[a[0]])]
    assert not wrong, (wrong[:10], (tmp_path / "gunicorn.log").read_text()[-3000:])
    if engine == "opensearch":
        assert not path.exists()  # the index is on the cluster (test_opensearch: the alias)
        return
    assert path.is_symlink()
    live = os.path.realpath(path)
    assert live != generation_before
    assert Path(live).parent == tmp_path / "whoosh_index.generations"


def test_flood_scenario_reports_every_target_and_no_server_error(scratch):
    """The flood mode runs and counts answers; its latency target is for the benchmark
    figures (README), not asserted here."""
    scratch("generate_articles", "--count", "60", "--words", "60", "--verbosity", "0")
    run = run_manage(
        scratch.env, "load_test", "--flood", "8", "--seconds", "2", "--workers", "2",
        "--articles", "60", timeout=300, check=False,
    )  # fmt: skip
    text = run.stdout
    for target in ("suggestions", "costliest search", "sitemap"):
        # requests, req/s, then the answers: with the default limits, some refused
        assert re.search(rf"^  {target}\s+[1-9][\d,]*\s+\d+\s+200 x\d+", text, re.M), text
    assert re.search(r"^  suggestions .*429 x\d+", text, re.M), text  # 120 a minute
    assert "server errors (5xx or no answer): 0" in text, text + run.stderr[-3000:]
    assert re.search(r"home page p95, slowest flood: \d+ ms", text), text
