"""Shared by the search tests: a real Whoosh index in a temporary directory, and
data committed once per module so that index is built once for all its tests."""

import os
import shutil
import tempfile
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from haystack import connections

from archive.models import Article, Rubric, Source, Tag
from search.engines.whoosh import searching as engine


@contextmanager
def temporary_index():
    """Point haystack (and the engine's open searcher) at a fresh index directory."""
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


def rebuild_index():
    call_command("rebuild_index", interactive=False, verbosity=0)


def delete_content():
    for model in (Article, Tag, Rubric, Source):
        model.objects.all().delete()
        history = getattr(model, "history", None)
        if history is not None:
            history.model.objects.all().delete()
    cache.clear()


def module_archive(build):
    """A module-scoped fixture: `build()` makes the module's content, committed (the
    index is built from it once, with `rebuild_index`), removed after the last test.

    Saves go straight to the database while it is built; the index is written once.
    """

    @pytest.fixture(scope="module")
    def archive(django_db_setup, django_db_blocker):
        with temporary_index():
            with django_db_blocker.unblock():
                signals = apps.get_app_config("haystack").signal_processor
                signals.teardown()
                try:
                    data = build()
                finally:
                    signals.setup()
                rebuild_index()
            try:
                yield data
            finally:
                with django_db_blocker.unblock():
                    delete_content()

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
