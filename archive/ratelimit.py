"""Per-client rate limits on the costly endpoints: search, suggestions, search feeds and
sitemaps.

A fixed window per client and endpoint kind, counted in the shared cache (Redis in
production, so every worker sees one count): past the limit a request is answered 429
with Retry-After, before any search work. Not django-ratelimit: it answers 403 without
Retry-After and knows nothing of TRUSTED_PROXY_COUNT, which archive.security.client
already applies. IPv6 clients are counted by their /64 network, which one host owns.
A cache that fails lets the request through: a limit is protection, not a dependency.
"""

import functools
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .security import client

log = logging.getLogger(__name__)


def parse_rate(text: str) -> tuple[int, int]:
    """'60/60' -> (60 requests, 60 seconds); '0/60' turns the limit off."""
    count, _slash, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def retry_after(request, kind: str) -> int | None:
    """Seconds until this client may ask again, or None: counts this request."""
    limit, window = parse_rate(settings.RATE_LIMITS[kind])
    if limit <= 0:
        return None
    now = time.time()
    start = int(now // window) * window
    key = f"ratelimit:{kind}:{client(request) or 'unknown'}:{start}"
    try:
        cache.add(key, 0, window + 1)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new count
        return None
    except Exception:  # the cache is down or full
        log.warning("rate limit not counted: the cache failed", exc_info=True)
        return None
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))


def limited(kind: str, answer="page"):
    """A view decorator: 429 past RATE_LIMITS[kind], as a page, JSON or text."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = retry_after(request, kind)
            if wait is None:
                return view(request, *args, **kwargs)
            again = _("Please try again in %(n)s s.") % {"n": wait}
            if answer == "json":
                error = f"{_('Too many requests')}. {again}"
                response = JsonResponse({"error": error}, status=429)
            else:
                response = render(request, "429.html", {"again": again}, status=429)
            response["Retry-After"] = str(wait)
            return response

        return wrapped

    return decorate
