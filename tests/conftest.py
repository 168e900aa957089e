import os
import shutil
import socket
import tempfile

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from haystack import connections

from search.signals import OnCommitSignalProcessor


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
