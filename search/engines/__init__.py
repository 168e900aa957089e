"""The search engines behind one boundary: the app imports this package, never an
engine's library nor an engine's own modules (tests/test_engine_boundary.py).

`current()` is the configured engine, chosen by settings.SEARCH_URL
(`whoosh:///<path>`; WHOOSH_PATH, the older setting, still sets the path). Only
Whoosh exists now; OpenSearch is to come beside it (DESIGN).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Importing the Whoosh package checks the installed Whoosh is the pinned one.
from .base import (
    Engine,
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
    url = getattr(settings, "SEARCH_URL", "") or f"{DEFAULT_SCHEME}://"
    return urlsplit(url).scheme


def current() -> Engine:
    """The engine the settings name (one instance per process; it reads the index
    path from haystack's connection at each call, so tests may move it)."""
    name = scheme()
    if name not in _engines:
        if name != "whoosh":
            raise ImproperlyConfigured(
                f"SEARCH_URL: no search engine {name!r}; this archive has whoosh:///<path>"
            )
        from .whoosh.engine import WhooshEngine

        _engines[name] = WhooshEngine()
    return _engines[name]


__all__ = [
    "ENGLISH_MIN_LETTERS",
    "ENGLISH_STOP_WORDS",
    "RUSSIAN_STOP_LIST",
    "Engine",
    "Health",
    "Hit",
    "RebuildOutcome",
    "RebuildRunning",
    "SearchOutcome",
    "SearchUnavailable",
    "current",
    "english_stem",
    "russian_stem",
]
