"""Caching of list pages and feeds, and the one switch that refreshes them all.

Every cached entry's key contains the *content version*, a token kept in the cache itself.
Saving or deleting an article, rubric, tag, source, image or story, and changing an article's
tags or related articles, drops the token, so every page and feed built from the old content is
never read again (the cache evicts it in its own time). The token is dropped twice: at
once, so this process sees its own change even inside a transaction (and in tests), and
again after the commit, so a page another request cached from the not yet committed state
does not survive. Scheduled articles go live without any save: the token remembers when
the next one is due and is replaced then.

The default cache is local memory (one per process); production shares Redis through
CACHE_URL, so every worker sees the new token. Only canonical URLs are cached
(archive/canonical.py), and a failing cache is logged and worked around, never an error.
"""

import hashlib
import logging
import time
import uuid
from functools import wraps
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, signals
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.translation import get_language

from .canonical import redirect_if_not_canonical
from .models import Article, Image, Rubric, Source, Story, Tag
from .times import site_today

log = logging.getLogger(__name__)
VERSION_KEY = "archive:content-version"
# How long a page or feed may be served from the cache at most; changes made through
# the ORM refresh it sooner. (Bulk updates that send no signals wait for this.)
TIMEOUT = getattr(settings, "ARCHIVE_CACHE_TIMEOUT", 600)


class ContentVersion(NamedTuple):
    token: str
    changed_at: float  # a Unix time: feeds use it in Last-Modified
    next_publication: float | None  # when the next scheduled article goes live


# The cache only saves work: when it fails (Redis gone, or out of memory with
# `noeviction`), pages are rendered and served without it, and a warning is logged.
def safe_get(key):
    try:
        return cache.get(key)
    except Exception:
        log.warning("cache get failed; serving uncached", exc_info=True)
        return None


def safe_set(key, value, timeout, add=False):
    """cache.set (or cache.add); False when the cache failed (or add found the key)."""
    try:
        return (cache.add if add else cache.set)(key, value, timeout) is not False
    except Exception:
        log.warning("cache set failed; serving uncached", exc_info=True)
        return False


def safe_delete(key):
    # A save must not fail for it; what the key held is stale until it expires.
    try:
        cache.delete(key)
    except Exception:
        log.warning("cache delete of %s failed", key, exc_info=True)


def content_version() -> ContentVersion:
    version = safe_get(VERSION_KEY)
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
        safe_set(VERSION_KEY, fresh, None)
        return fresh
    # Several processes may notice at once; the first one to store its token wins.
    if safe_set(VERSION_KEY, fresh, None, add=True):
        return fresh
    return safe_get(VERSION_KEY) or fresh


# What a feed's items say besides their own rows (archive/feed_freshness.py): the names
# of their rubric, tags and source, their pictures, their story. A new name changes every
# feed's validators, since any feed may show it; a label that is only created changes none
# (no item shows it before an article saved with it, which changes that feed's rows).
LABELS_KEY = "archive:labels-version"


class LabelsVersion(NamedTuple):
    token: str
    changed_at: float  # when a label last changed (0: not since the cache began)


def labels_version() -> LabelsVersion:
    version = safe_get(LABELS_KEY)
    if version is None:
        version = LabelsVersion(uuid.uuid4().hex, 0.0)
        if not safe_set(LABELS_KEY, version, None, add=True):
            version = safe_get(LABELS_KEY) or version
    return version


def labels_changed():
    # timezone.now(), as the items' own dates: Last-Modified compares them.
    safe_set(LABELS_KEY, LabelsVersion(uuid.uuid4().hex, timezone.now().timestamp()), None)


def _on_label_change(sender, created=False, raw=False, **kwargs):
    if created or raw:
        return
    labels_changed()
    transaction.on_commit(labels_changed)


def content_changed():
    """Forget the content version; call it after a change that sends no model signals."""
    safe_delete(VERSION_KEY)


def _on_change(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after; the "post_" half is enough
    content_changed()
    transaction.on_commit(content_changed)


# An image: cards show it; a story: its name heads its page and its articles' timelines.
for _model in (Article, Rubric, Tag, Source, Image, Story):
    signals.post_save.connect(_on_change, sender=_model, dispatch_uid=f"archive-cache-{_model}")
    signals.post_delete.connect(_on_change, sender=_model, dispatch_uid=f"archive-cache-d{_model}")
for _model in (Rubric, Tag, Source, Image, Story):
    signals.post_save.connect(
        _on_label_change, sender=_model, dispatch_uid=f"archive-labels-{_model}"
    )
    signals.post_delete.connect(
        _on_label_change, sender=_model, dispatch_uid=f"archive-labels-d{_model}"
    )
for _through in (Article.tags.through, Article.related.through):
    signals.m2m_changed.connect(
        _on_change, sender=_through, dispatch_uid=f"archive-cache-{_through}"
    )


def cacheable_host(request) -> bool:
    """Whether the Host header is spelled as the site is served: lower case, no trailing
    dot, no port or the server's own. Django checks only the domain against
    ALLOWED_HOSTS, so `LOCALHOST.:1` passes, and each spelling would cache its own copy
    of every page (with its own absolute links): such requests are answered uncached."""
    host = request.get_host()
    domain, port = split_domain_port(host)
    spelled = f"{domain}:{port}" if port else domain
    if spelled != host:
        return False
    return not port or port == str(request.META.get("SERVER_PORT", ""))


def cache_key(prefix, request, url):
    """A key for the canonical `url` of `request` (archive/canonical.py): version,
    date, language, scheme, host (cacheable_host) and the URL; None: not to be cached."""
    if not cacheable_host(request):
        return None
    # Pages say «сегодня»/«вчера» (archive/times.py): with the site's date in the key,
    # a page cached before midnight is not served after it.
    day = site_today().isoformat()
    text = "|".join(
        [content_version().token, day, get_language(), request.scheme, request.get_host(), url]
    )
    return f"archive:{prefix}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached_page(view, *, params):
    """Serve a page from the cache while the content version stands (200 responses only).

    `params` are the query parameters the page takes (archive/canonical.py): any other
    spelling of its URL is a 301 to the canonical one, a bad value a 404, so only pages
    that exist are cached. The pages hold nothing personal, so one copy serves everyone.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        redirect = redirect_if_not_canonical(request, params)
        if redirect is not None:
            return redirect
        # Past the redirect the URL asked for is the canonical one: its query string is
        # the validated one the page's links (canonical, languages) carry.
        asked = request.META.get("QUERY_STRING", "")
        request.canonical_query = f"?{asked}" if asked else ""
        key = cache_key("page", request, request.get_full_path())
        if key is None:
            return view(request, *args, **kwargs)
        response = safe_get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if getattr(response, "is_rendered", True):
                safe_set(key, response, TIMEOUT)
            else:
                response.add_post_render_callback(lambda r: _keep(key, r))
        return response

    wrapped.canonical_params = params  # archive/addresses.py reads them
    return wrapped


def _keep(key, response):
    # A post-render callback: whatever it returns would replace the response.
    safe_set(key, response, TIMEOUT)
