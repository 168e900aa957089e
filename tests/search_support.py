"""Shared by the search tests: a real index in a temporary place on either engine (a
Whoosh directory, or an alias of its own on the test cluster), and data committed once
per module so that index is built once for all its tests."""

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from haystack import connections

from search import engines
from search.engines.whoosh import searching as engine

from . import db_support

# The engines the search contract runs on; a module or test marked whoosh_only runs on
# Whoosh alone (it reads Whoosh's files or counts Whoosh's work).
ENGINES = ("whoosh", "opensearch")


@contextmanager
def temporary_index(engine_name="whoosh", nodes=None):
    """Point the archive at a fresh, empty index on `engine_name`: a Whoosh directory,
    or an alias of its own on the cluster at `nodes` (conftest.opensearch_cluster)."""
    if engine_name == "opensearch":
        with temporary_alias(nodes) as alias:
            yield alias
        return
    parent = tempfile.mkdtemp(prefix="archive-index-")  # the path and its generations
    path = os.path.join(parent, "index")
    default = {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": path}
    try:
        with override_settings(HAYSTACK_CONNECTIONS={"default": default}):
            connections.reload("default")
            connections["default"].get_backend().setup()
            yield path
    finally:
        engine.searchers.reset()
        connections.reload("default")
        shutil.rmtree(parent, ignore_errors=True)


@contextmanager
def temporary_alias(nodes):
    alias = f"test-{uuid.uuid4().hex[:12]}"
    with engines.using(f"opensearch://{nodes}/{alias}"):
        backend = connections["default"].get_backend()
        backend.setup()
        try:
            yield alias
        finally:
            for name in (f"{alias}-*", f"{alias}.locks"):  # one missing name fails a list
                backend.conn.indices.delete(index=name, ignore=404)


def rebuild_index():
    call_command("rebuild_index", interactive=False, verbosity=0)


def module_archive(build):
    """A module-scoped fixture: `build()` makes the module's content, committed (the
    index is built from it once, with `rebuild_index`), removed after the last test; on
    each engine of `archive_engine` (conftest: Whoosh and the cluster, or Whoosh alone
    for a module marked whoosh_only).

    Saves go straight to the database while it is built; the index is written once.
    """

    @pytest.fixture(scope="module")
    def archive(django_db_setup, django_db_blocker, archive_engine, request):
        nodes = (
            request.getfixturevalue("opensearch_cluster") if archive_engine != "whoosh" else None
        )
        with temporary_index(archive_engine, nodes):
            with django_db_blocker.unblock():
                found = db_support.snapshot()
            # From here on the rows are given back, even when the build itself fails.
            try:
                with django_db_blocker.unblock():
                    signals = apps.get_app_config("haystack").signal_processor
                    signals.teardown()
                    try:
                        data = build()
                    finally:
                        signals.setup()
                    rebuild_index()
                yield data
            finally:
                with django_db_blocker.unblock():
                    db_support.restore(found)

    return archive


@pytest.fixture(autouse=True)
def fresh_state():
    """Each test starts in Russian with an empty cache (synonyms, pages)."""
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    translation.deactivate()


def api(client, prefix="", **params):
    response = client.get(f"{prefix}/api/search/", params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def titles(client, q, prefix="", **params):
    """Titles of every result of a search through the JSON endpoint (first page)."""
    return [r["title"] for r in api(client, prefix, q=q, **params)["results"]]
