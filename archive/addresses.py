"""The spellings of a page's address that never reach its view, sent to the canonical one.

archive/canonical.py turns another spelling of a cached page's URL (`/2024/8/`,
`?page=1`, `?utm_source=…`) into a 301. Two spellings resolve to no view at all, and
would be a 404 or a chain of redirects:

- the default language's prefix: Russian has none, so `/ru/2024/08/` is `/2024/08/`;
- a path without its final slash: Django's CommonMiddleware adds the slash and lets the
  view redirect again (`/2024/8` → `/2024/8/` → `/2024/08/`).

Both are answered here with one 301 to the canonical URL, path and query together.
"""

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.middleware.common import CommonMiddleware
from django.urls import Resolver404, get_script_prefix, is_valid_path, resolve
from django.utils.encoding import escape_uri_path
from django.utils.http import escape_leading_slashes

from .canonical import canonical_path, canonical_query

DEFAULT_PREFIX = f"/{settings.LANGUAGE_CODE}/"


def canonical_target(request):
    """Where a request that resolved to nothing should go, or None (a real 404)."""
    urlconf = getattr(request, "urlconf", None)
    path = request.path_info
    if is_valid_path(path, urlconf):
        return None  # the view's own 404
    if path.startswith(DEFAULT_PREFIX) or path == DEFAULT_PREFIX.rstrip("/"):
        # LocaleMiddleware activated the default language from the prefix, so
        # reverse() below writes the path without it.
        path = "/" + path[len(DEFAULT_PREFIX) :]
    if settings.APPEND_SLASH and not path.endswith("/"):
        path += "/"
    if path == request.path_info:
        return None
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    params = getattr(match.func, "canonical_params", None)
    if params is None:  # not a cached page: the path as asked, query kept
        # Re-encoded from the parsed values: the raw QUERY_STRING may hold bytes.
        asked = request.GET.urlencode()
        prefix = get_script_prefix().rstrip("/")
        target = prefix + escape_uri_path(path) + (f"?{asked}" if asked else "")
        return escape_leading_slashes(target)  # never `//host/`, another site
    try:
        query = canonical_query(request, params)
    except Http404:
        return None  # a bad value: the page itself would be a 404
    return canonical_path(request, match) + query


class CanonicalAddressMiddleware(CommonMiddleware):
    """CommonMiddleware, except that a 404 for a spelling of a real page's address
    (see the module's docstring) is a 301 to that page's canonical URL."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = canonical_target(request)
            if target is not None:
                return HttpResponsePermanentRedirect(target)
        return super().process_response(request, response)
