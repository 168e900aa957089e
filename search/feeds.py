"""A feed per search query: /search/feed/?q=... (RSS) and /search/feed/atom/?q=...

Subscribers get the newest articles matching the query and its filters, with the same
items, conditional GET and caching as every other feed (archive.feeds.base.ArticleFeed).
"""

from dataclasses import dataclass, field

from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive.feed_freshness import Freshness
from archive.feeds.base import ArticleFeed
from archive.views import published_articles

from . import service
from .engines import SearchUnavailable
from .forms import SEARCH_PARAMS
from .query import clean_text

# What makes one search feed differ from another (the rest of the URL is ignored).


@dataclass
class SearchSubject:
    query: str  # as typed, cleaned of control characters (XML 1.0 refuses them)
    pks: list
    params: dict = field(default_factory=dict)
    unavailable: bool = False  # the index could not be read


class SearchFeed(ArticleFeed):
    # Any text is a query and any day a date: kept in the cache, the feeds would have no
    # bound. The search runs for every request anyway; a 304 still saves the rendering.
    store = False

    def redirect_if_not_canonical(self, request):
        # Like the search page, invalid filters are dropped (search/forms.py), and other
        # parameters ignored: subscribers' URLs keep working.
        return None

    def identity_params(self, request):
        # Part of the ETag: two queries finding the same articles (or none) are still two
        # feeds with two titles. Validated values only (a date parsed, the query cleaned).
        return sorted(self._subject(request).params.items())

    def _subject(self, request):
        # The search runs once per request, whether it ends in a 304 or a feed.
        if not hasattr(request, "_search_feed_subject"):
            params = request.GET.copy()
            params["sort"] = "date"
            params["exact"] = "1"  # a subscription follows what was typed
            query = clean_text(request.GET.get("q", ""))[0]
            try:
                page = service.perform(params, get_language())
                pks = [r["id"] for r in page.results][: self.size]
                kept = {k: v for k, v in page.params.items() if k in SEARCH_PARAMS}
                unavailable = False
            except service.PageNotFound:
                pks, kept, unavailable = [], {}, False
            except SearchUnavailable:
                pks, kept, unavailable = [], {}, True
            request._search_feed_subject = SearchSubject(
                query, pks, {**kept, "q": query}, unavailable
            )
        return request._search_feed_subject

    def __call__(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):  # before the search, not after it
            return HttpResponseNotAllowed(["GET", "HEAD"])
        # An empty feed would be cached and tell subscribers nothing matches.
        if self._subject(request).unavailable:
            response = HttpResponse(
                _("Search is temporarily unavailable. Please try again in a minute."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "60"
            return response
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return self._subject(request)

    def freshness(self, request, *args, **kwargs):
        # ETag and Last-Modified from the matching articles' own rows, like every feed.
        pks = self._subject(request).pks
        return Freshness.of(
            published_articles()
            .filter(pk__in=pks)
            .order_by("-published_at", "-pk")
            .values_list("pk", "updated_at", "published_at")
        )

    def items(self, obj):
        return published_articles().filter(pk__in=obj.pks).prefetch_related("tags")

    def title(self, obj):
        return _("Search: %(query)s") % {"query": obj.query} if obj.query else _("Search")

    def link(self, obj):
        params = {k: v for k, v in obj.params.items() if v}
        return reverse("search:page") + ("?" + urlencode(params) if params else "")
