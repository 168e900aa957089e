"""Caching of list pages and feeds, and the one switch that refreshes them all.

Every cached entry's key contains the *content version*, a token kept in the cache itself.
Saving or deleting an article, rubric, tag or source, and changing an article's tags or
related articles, drops the token, so every page and feed built from the old content is
never read again (the cache evicts it in its own time). The token is dropped twice: at
once, so this process sees its own change even inside a transaction (and in tests), and
again after the commit, so a page another request cached from the not yet committed state
does not survive. Scheduled articles go live without any save: the token remembers when
the next one is due and is replaced then.

The default cache is local memory (one per process); production shares Redis through
CACHE_URL, so every worker sees the new token.
"""

import hashlib
import re
import time
import uuid
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, signals
from django.utils import timezone
from django.utils.translation import get_language

from .models import Article, Rubric, Source, Tag

VERSION_KEY = "archive:content-version"
# How long a page or feed may be served from the cache at most; changes made through
# the ORM refresh it sooner. (Bulk updates that send no signals wait for this.)
TIMEOUT = getattr(settings, "ARCHIVE_CACHE_TIMEOUT", 600)


class ContentVersion(NamedTuple):
    token: str
    changed_at: float  # a Unix time: feeds use it in Last-Modified
    next_publication: float | None  # when the next scheduled article goes live


def content_version() -> ContentVersion:
    version = cache.get(VERSION_KEY)
    if version is not None and (
        # timezone.now(), the clock that decides what is published, not time.time()
        version.next_publication is None or version.next_publication > timezone.now().timestamp()
    ):
        return version
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .aggregate(at=Min("published_at"))
        .get("at")
    )
    fresh = ContentVersion(
        uuid.uuid4().hex, time.time(), upcoming.timestamp() if upcoming else None
    )
    if version is not None:
        cache.set(VERSION_KEY, fresh, None)
        return fresh
    # Several processes may notice at once; the first one to store its token wins.
    cache.add(VERSION_KEY, fresh, None)
    return cache.get(VERSION_KEY) or fresh


def content_changed():
    """Forget the content version; call it after a change that sends no model signals."""
    cache.delete(VERSION_KEY)


def _on_change(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after; the "post_" half is enough
    content_changed()
    transaction.on_commit(content_changed)


for _model in (Article, Rubric, Tag, Source):
    signals.post_save.connect(_on_change, sender=_model, dispatch_uid=f"archive-cache-{_model}")
    signals.post_delete.connect(_on_change, sender=_model, dispatch_uid=f"archive-cache-d{_model}")
for _through in (Article.tags.through, Article.related.through):
    signals.m2m_changed.connect(
        _on_change, sender=_through, dispatch_uid=f"archive-cache-{_through}"
    )


# Query parameters that change what a list page shows. A request with any other parameter
# (?utm_source=..., typos, a crawler's noise) is answered without the cache, so nobody
# can fill the cache with copies of one page, nor see another visitor's parameters.
PAGE_PARAMS = ("page", "kind")
_SLUG = re.compile(r"[a-z0-9-]{1,50}")
_CANONICAL_VALUE = {"page": re.compile(r"[1-9][0-9]{0,5}")}


def cache_key(prefix, request, params=PAGE_PARAMS):
    """A key for what `request` shows: version, language, scheme, host, path and `params`;
    None when the request carries other query parameters (not cacheable)."""
    if any(name not in params for name in request.GET):
        return None
    # One spelling per page: `?page=01`, `?page=1&page=1` or `?kind=%20person` are
    # answered uncached, so they cannot fill the cache with copies of one page.
    for name in request.GET:
        values = request.GET.getlist(name)
        if len(values) != 1 or not _CANONICAL_VALUE.get(name, _SLUG).fullmatch(values[0]):
            return None
    query = sorted((name, request.GET.getlist(name)) for name in request.GET)
    text = "|".join(
        [
            content_version().token,
            get_language(),
            request.scheme,
            request.get_host(),
            request.path,
            repr(query),
        ]
    )
    return f"archive:{prefix}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached_page(view, params=PAGE_PARAMS):
    """Serve a page from the cache while the content version stands (200 responses only).

    The pages hold nothing personal (no forms, no user), so one copy serves every reader.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = cache_key("page", request, params) if request.method in ("GET", "HEAD") else None
        if key is None:
            return view(request, *args, **kwargs)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if getattr(response, "is_rendered", True):
                cache.set(key, response, TIMEOUT)
            else:
                response.add_post_render_callback(lambda r: cache.set(key, r, TIMEOUT))
        return response

    return wrapped
