import functools
import json
import os
import shutil
import socket
import subprocess
import tempfile
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from haystack import connections

from search.signals import OnCommitSignalProcessor

from .search_support import ENGINES, temporary_index

ROOT = Path(__file__).resolve().parents[1]
# The cluster the OpenSearch half of the search contract runs on: `make cluster`'s three
# nodes, started by the first test that needs them when none answers.
OPENSEARCH_NODES = os.environ.get(
    "ARCHIVE_TEST_OPENSEARCH", "127.0.0.1:9201,127.0.0.1:9202,127.0.0.1:9203"
)


def _engines_for(node):
    return ("whoosh",) if node.get_closest_marker("whoosh_only") else ENGINES


def pytest_generate_tests(metafunc):
    """Tests on a search index run once per engine (search_support.ENGINES)."""
    engines = _engines_for(metafunc.definition)
    if "archive_engine" in metafunc.fixturenames:
        metafunc.parametrize("archive_engine", engines, scope="module")
    if "engine_index" in metafunc.fixturenames:
        metafunc.parametrize("engine_index", engines, indirect=True)


def _cluster_answers(nodes):
    first = nodes.split(",")[0]
    try:
        with urllib.request.urlopen(f"http://{first}/_cluster/health", timeout=3) as answer:
            health = json.load(answer)
    except (OSError, ValueError):
        return False
    return health.get("number_of_nodes", 0) >= 1 and health.get("status") in ("green", "yellow")


@pytest.fixture(scope="session")
def opensearch_cluster():
    """The nodes of a running OpenSearch cluster: `make cluster` starts the project's
    three (Java and Maven from Debian, jars from Maven Central) when none answers. Where
    it cannot, the OpenSearch tests skip with the reason, or fail when
    ARCHIVE_REQUIRE_CLUSTER=1 (CI). A cluster started here is stopped after the session;
    one that was running is left running."""
    if _cluster_answers(OPENSEARCH_NODES):
        yield OPENSEARCH_NODES
        return
    try:
        started = subprocess.run(
            ["make", "-s", "cluster"], cwd=ROOT, capture_output=True, text=True, timeout=1200
        )
        said = (started.stderr or started.stdout)[-800:]
    except (OSError, subprocess.SubprocessError) as exc:  # no make, or it hung
        started, said = None, repr(exc)
    if started is None or started.returncode != 0 or not _cluster_answers(OPENSEARCH_NODES):
        reason = f"no OpenSearch cluster on {OPENSEARCH_NODES}: make cluster said {said}"
        if os.environ.get("ARCHIVE_REQUIRE_CLUSTER") == "1":
            pytest.fail(f"{reason}; ARCHIVE_REQUIRE_CLUSTER=1 requires one")
        pytest.skip(reason)
    try:
        yield OPENSEARCH_NODES
    finally:
        subprocess.run(["make", "-s", "cluster-stop"], cwd=ROOT, capture_output=True, timeout=300)


@pytest.fixture
def engine_index(request):
    """A fresh, empty index on the engine of this run (see pytest_generate_tests)."""
    nodes = request.getfixturevalue("opensearch_cluster") if request.param != "whoosh" else None
    with temporary_index(request.param, nodes):
        yield request.param


@pytest.fixture(autouse=True)
def fresh_cache_and_language():
    """Each test starts with an empty cache and the default language: the test client
    leaves the last request's language active, and rolled-back tests never bump the
    content version that cached pages depend on."""
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    # Article ids a rolled-back test transaction left for the next flush (harmless in
    # production: re-reading an article is always right) would change this test's counts.
    OnCommitSignalProcessor._pending.__dict__.clear()
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def seed_pictures_drawn_once():
    """The seed's timeline pictures are pure functions of their arguments and cost ~5 s a
    set to draw; the many tests that load the seed with its pictures share one drawing
    each. (Tests of the drawing itself import draw_timeline and call the real one.)"""
    from archive import illustrations

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(illustrations, "draw_timeline", functools.cache(illustrations.draw_timeline))
        yield


@pytest.fixture
def search_index(settings):
    """A fresh, real Whoosh index in a temporary directory for one test."""
    # The index path is a symlink to a generation beside it (engines.whoosh.generations):
    # both go.
    parent = tempfile.mkdtemp(prefix="archive-index-")
    path = os.path.join(parent, "index")
    settings.HAYSTACK_CONNECTIONS = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": path}
    }
    connections.reload("default")
    backend = connections["default"].get_backend()
    backend.setup()
    yield backend
    connections.reload("default")
    shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture
def admin_page(live_server, django_user_model):
    """A Chromium page logged into the admin as a superuser (page.editor), on the live server."""
    from .browser import chromium_page

    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "secret-pw")
    with chromium_page(live_server.url) as page:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "secret-pw")
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        page.editor = editor
        yield page


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


@pytest.fixture(scope="session")
def redis_server():
    """(host, port) of the Redis the Redis tests use. Without one they skip (`make test`
    needs none); with ARCHIVE_REQUIRE_REDIS=1 (CI) a missing Redis fails them instead."""
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            answer = sock.recv(64)
    except OSError as exc:
        answer = f"{exc}".encode()
    if not answer.startswith(b"+PONG"):
        reason = f"no Redis answers on {REDIS_HOST}:{REDIS_PORT} ({answer[:60]!r})"
        if os.environ.get("ARCHIVE_REQUIRE_REDIS") == "1":
            pytest.fail(f"{reason}, and ARCHIVE_REQUIRE_REDIS=1 requires one")
        pytest.skip(reason)
    return REDIS_HOST, REDIS_PORT
