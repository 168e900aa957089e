"""What a feed request goes through before anything is rendered: GET and HEAD only, one
URL per feed (other query parameters are a 301), ETag and Last-Modified from the feed's
own items (archive/feed_freshness.py), a 304 when they match, and the rendered body kept
in the cache.

ArticleFeed (base.py) is a ConditionalFeed; the search app's feed keeps the conditional
GET and replaces the rest (see base.py's docstring).
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from ..cache import (
    TIMEOUT,
    cacheable_host,
    content_version,
    labels_version,
    safe_get,
    safe_set,
)
from ..canonical import canonical_query, redirect_if_not_canonical
from ..feed_freshness import feed_etag


class ConditionalFeed(Feed):
    """A feed answered 304 when a reader has it already, and otherwise from the cache
    when it can be. A subclass gives `freshness()` (the feed's rows: a Freshness) and
    `get_object()` (which raises 404 for an unknown subject)."""

    # The feeds take no query parameters: any is a 301 to the bare feed URL (see
    # archive/canonical.py), so the cache holds one copy of each feed.
    params = ()
    # Whether the rendered feed is kept in the cache (one entry per feed and format).
    store = True

    def redirect_if_not_canonical(self, request):
        return redirect_if_not_canonical(request, self.params)

    def identity_params(self, request):
        """What besides the URL's path makes a different feed: normalized values only."""
        return canonical_query(request, self.params)

    def __call__(self, request, *args, **kwargs):
        # Django's Feed answers any method with the feed; a feed is only read.
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        redirect = self.redirect_if_not_canonical(request)
        if redirect is not None:
            return redirect
        fresh = self.freshness(request, *args, **kwargs)
        if not fresh.rows:
            self.get_object(request, *args, **kwargs)  # an unknown slug is a 404
        identity = (
            type(self).__name__,
            self.feed_type.__name__,
            translation.get_language(),
            request.scheme,
            request.get_host(),
            request.path,
            self.identity_params(request),
        )
        # Validators from this feed's own items only: an edit elsewhere changes neither.
        # A renamed tag, rubric or source, or a changed picture, may be in any item: it
        # changes both validators of every feed (archive/cache.py, labels_version).
        labels = labels_version()
        etag = feed_etag(identity, fresh.rows, labels.token)
        last_modified = (
            int(max(fresh.modified, labels.changed_at)) if fresh.modified is not None else None
        )
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            # The body is kept per content version: a renamed tag or rubric shows in it.
            key = f"archive:feed:{etag}:{content_version().token}"
            store = self.store and cacheable_host(request)
            cached = safe_get(key) if store else None
            if cached is None:
                response = super().__call__(request, *args, **kwargs)
                if store:
                    safe_set(key, (response.content, response["Content-Type"]), TIMEOUT)
            else:
                response = HttpResponse(cached[0], content_type=cached[1])
        response.headers["ETag"] = etag
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=300)
        return response
