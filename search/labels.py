"""Rubric, tag and source names for search results and facets, by slug.

Looked up once per process and content version (archive.cache): two database queries
per search were an eighth of the JSON endpoint's time on the corpus. A rename or a new
tag changes the content version, and the names are read again.
"""

import threading

from django.utils.translation import get_language

from archive.cache import content_version
from archive.models import Rubric, Source, Tag

# Names kept per process at most (a corpus import brings thousands of tags).
MAX_NAMES = 50_000

_lock = threading.Lock()
_known = {"token": None, "names": {}}


def _fresh_names():
    token = content_version().token
    with _lock:
        if _known["token"] != token or len(_known["names"]) > MAX_NAMES:
            _known["token"], _known["names"] = token, {}
        return _known["names"]


def _lookup(names, model, slugs, value):
    """{slug: value(row)} for `slugs`, from `names` or, for those it lacks, the database
    (a slug the database does not know is remembered as None)."""
    language = get_language()
    wanted = {slug for slug in slugs if slug}
    missing = [s for s in wanted if (model, language, s) not in names]
    if missing:
        found = {row.slug: value(row) for row in model.objects.filter(slug__in=missing)}
        for slug in missing:
            names[(model, language, slug)] = found.get(slug)
    return {
        slug: names[(model, language, slug)]
        for slug in wanted
        if names.get((model, language, slug)) is not None
    }


def labels(rubrics, tags, sources=()):
    """{"rubric": {slug: name}, "tags": {slug: (name, kind)}, "source": {slug: name}}."""
    names = _fresh_names()
    return {
        "rubric": _lookup(names, Rubric, rubrics, lambda r: r.name),
        "tags": _lookup(names, Tag, tags, lambda t: (t.name, t.kind)),
        "source": _lookup(names, Source, sources, lambda s: s.name),
    }
