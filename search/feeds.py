"""A feed per search query: /search/feed/?q=... (RSS) and /search/feed/atom/?q=...

Subscribers get the newest articles matching the query, with the same items,
conditional GET and caching as every other feed (archive.feeds.ArticleFeed).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from archive.feeds import ArticleFeed
from archive.views import published_articles

from . import service
from .engine import SearchUnavailable


@dataclass
class SearchSubject:
    query: str
    pks: list


class SearchFeed(ArticleFeed):
    def _subject(self, request):
        # The search runs once per request, whether it ends in a 304 or a feed.
        if not hasattr(request, "_search_feed_subject"):
            params = request.GET.copy()
            params["sort"] = "date"
            try:
                page = service.perform(params, get_language())
                pks = [r["id"] for r in page.results][: self.size]
                query = page.params.get("q", "")
            except (service.PageNotFound, SearchUnavailable):
                pks, query = [], request.GET.get("q", "")
            request._search_feed_subject = SearchSubject(query, pks)
        return request._search_feed_subject

    def get_object(self, request, *args, **kwargs):
        return self._subject(request)

    def freshness(self, request, *args, **kwargs):
        pks = self._subject(request).pks
        return list(
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
        return reverse("search:page") + "?" + urlencode({"q": obj.query})
