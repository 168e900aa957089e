"""The search engines behind one boundary: the app imports this package, never an
engine's library nor an engine's own modules (tests/test_engine_boundary.py).

`current()` is the configured engine, chosen by settings.SEARCH_URL: `whoosh:///<path>`
(the default; WHOOSH_PATH, the older setting, still sets the path), or
`opensearch://host:port[,host:port...]/<alias>` for an OpenSearch cluster.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Importing the Whoosh package checks the installed Whoosh is the pinned one.
from .base import (
    Engine,
    Glance,
    Health,
    Hit,
    RebuildOutcome,
    RebuildRunning,
    SearchOutcome,
    SearchUnavailable,
)
from .whoosh.language import (
    ENGLISH_MIN_LETTERS,
    ENGLISH_STOP_WORDS,
    RUSSIAN_STOP_LIST,
    english_stem,
    russian_stem,
)

DEFAULT_SCHEME = "whoosh"
_engines = {}


def scheme() -> str:
    """The engine's name: whoosh, or opensearch (opensearchs:// is OpenSearch over TLS)."""
    url = getattr(settings, "SEARCH_URL", "") or f"{DEFAULT_SCHEME}://"
    name = urlsplit(url).scheme
    return "opensearch" if name == "opensearchs" else name


def current() -> Engine:
    """The engine the settings name (one instance per process; it reads the index
    path from haystack's connection at each call, so tests may move it)."""
    name = scheme()
    if name not in _engines:
        if name == "whoosh":
            from .whoosh.engine import WhooshEngine

            _engines[name] = WhooshEngine()
        elif name == "opensearch":
            from .opensearch.engine import OpenSearchEngine

            _engines[name] = OpenSearchEngine()
        else:
            raise ImproperlyConfigured(
                f"SEARCH_URL: no search engine {name!r}; this archive has whoosh:///<path> "
                "and opensearch://host:port[,host:port]/<alias>"
            )
    return _engines[name]


@contextmanager
def using(url: str):
    """Inside, the archive searches and writes through the engine `url` names (a
    SEARCH_URL): benchmarks and tests run the same code on both engines."""
    from django.test import override_settings
    from haystack import connections

    from archive.search_connection import search_connection

    haystack = {"default": search_connection(url)}
    before = connections.connections_info
    try:
        with override_settings(SEARCH_URL=url, HAYSTACK_CONNECTIONS=haystack):
            # haystack's handler keeps the dict it was made with: the engine class comes
            # from there, the options from the settings.
            connections.connections_info = haystack
            connections.reload("default")
            yield current()
    finally:
        connections.connections_info = before
        connections.reload("default")


__all__ = [
    "ENGLISH_MIN_LETTERS",
    "ENGLISH_STOP_WORDS",
    "RUSSIAN_STOP_LIST",
    "Engine",
    "Glance",
    "Health",
    "Hit",
    "RebuildOutcome",
    "RebuildRunning",
    "SearchOutcome",
    "SearchUnavailable",
    "current",
    "english_stem",
    "russian_stem",
    "using",
]
