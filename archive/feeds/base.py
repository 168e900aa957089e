"""ArticleFeed, what the feeds share: their items and the items' fields.

As a ConditionalFeed (conditional.py), ArticleFeed answers with ETag and Last-Modified
from the feed's own items (archive/feed_freshness.py, 304) and keeps the rendered feed in
the cache. Each item says its language (xml:lang, dc:language: item_languages.py), so a
feed in English marks the articles it shows in the Russian original. A concrete feed
(subjects.py) says what it is about: `subject_model` and `subject_lookup` for a feed per
object (looked up by the URL's slug), or `filter_articles()`, plus its title and link.
Each is served in both formats: `LatestFeed()` is RSS, `LatestFeed(AtomFeed)` is Atom
(formats.py, see urls.py).

A feed whose items do not come from a database filter (the search app's feed per query)
overrides `get_object()`, `items()` and `freshness()` (cheap: a request answered with 304
runs nothing else; it returns a `Freshness`), and `identity_params()`, the normalized
values that make a different feed (they enter the ETag):

    class SearchFeed(ArticleFeed):
        store = False  # any text is a query: cached bodies would have no bound

        def redirect_if_not_canonical(self, request):
            return None  # the search page's rule instead: invalid filters are dropped

        def identity_params(self, request):
            return normalized_query_and_filters(request)

        def get_object(self, request):
            return request.GET.get("q", "")

        def items(self, query):  # published articles, newest first, at most self.size
            ...

        def freshness(self, request):  # of those items' (pk, updated_at, published_at)
            return Freshness.of(rows)

        def title(self, query):
            return feed_title(query)
"""

import hashlib
import uuid

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from ..cache import content_version
from ..feed_freshness import Freshness, remembered
from ..models import Article
from ..templatetags.archive_tags import SITE_NAME, article_summary, feed_title
from ..views import published_articles
from .conditional import ConditionalFeed
from .formats import RssFeed
from .item_languages import article_languages
from .media import article_enclosures, article_media

FEED_SIZE = getattr(settings, "ARCHIVE_FEED_SIZE", 20)
# Item ids are UUIDs derived from the article's primary key and the feed's language:
# they survive a new slug, a new title, a new domain, and differ between translations.
GUID_NAMESPACE = uuid.UUID("6f0a4c1e-3b57-4d8a-9a43-2c1d5e7b9f10")


def article_guid(article, lang):
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, f'archive.article:{article.pk}:{lang}')}"


class ArticleFeed(ConditionalFeed):
    feed_type = RssFeed
    size = FEED_SIZE
    subject_model = None  # e.g. Rubric: the feed of one rubric, found by the URL's slug
    subject_lookup = None  # e.g. "rubric": how articles point at the subject

    def __init__(self, feed_type=None):
        if feed_type is not None:
            self.feed_type = feed_type

    @property
    def is_atom(self):
        return issubclass(self.feed_type, feedgenerator.Atom1Feed)

    # What the feed holds -----------------------------------------------------------------

    def get_object(self, request, slug=None):
        if self.subject_model is None:
            return None
        return get_object_or_404(self.subject_model, slug=slug)

    def filter_articles(self, queryset, slug=None):
        """Narrow any article queryset to this feed's (by slug: no subject query needed)."""
        if self.subject_lookup:
            queryset = queryset.filter(**{f"{self.subject_lookup}__slug": slug})
        return queryset

    def items(self, obj):
        slug = obj.slug if obj is not None else None
        queryset = self.filter_articles(published_articles(), slug=slug)
        return queryset.prefetch_related("tags")[: self.size]

    def freshness(self, request, *args, **kwargs) -> Freshness:
        """The rows of the items the feed shows and its Last-Modified: one query, kept in
        the cache for the current content version (which changes with every publish,
        edit or unpublish, and when a scheduled article's time comes), so a feed reader
        asking again is answered 304 without touching the database
        (archive/feed_freshness.py)."""
        subject = (type(self).__name__, translation.get_language(), args, sorted(kwargs.items()))
        key = "archive:feed-rows:" + hashlib.sha256(repr(subject).encode()).hexdigest()[:32]

        def rows():
            queryset = self.filter_articles(Article.objects.published(), *args, **kwargs)
            newest_first = queryset.order_by("-published_at", "-pk")
            return newest_first.values_list("pk", "updated_at", "published_at")[: self.size]

        return remembered(key, content_version(), rows)

    # The channel ------------------------------------------------------------------------

    def title(self, obj):
        return feed_title(obj) if obj is not None else SITE_NAME

    def link(self, obj):
        return obj.get_absolute_url() if obj is not None else reverse("archive:home")

    def description(self, obj):
        return _("Russian originals with Azerbaijani and English translations.")

    def feed_url(self, obj):
        return None  # the requested URL

    # The items --------------------------------------------------------------------------

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # An HTML field in both formats: plain text goes in escaped.
        return escape(article_summary(item, words=60))

    def item_guid(self, item):
        return article_guid(item, translation.get_language())

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        categories = [item.rubric.name] if item.rubric else []
        return categories + [tag.name for tag in item.tags.all()]

    def item_author_name(self, item):
        return item.source.name if item.source else None

    def item_author_link(self, item):
        return (item.source.url or None) if item.source else None

    def item_enclosures(self, item):
        return article_enclosures(item, atom=self.is_atom)

    def item_extra_kwargs(self, item):
        extra = {
            "content_html": item.body,
            **article_languages(item),
            **article_media(item),
            "original_url": item.source_url or None,
        }
        if item.source:
            name = "archive:source-feed-atom" if self.is_atom else "archive:source-feed"
            extra.update(
                source_name=item.source.name,
                source_feed=reverse(name, args=[item.source.slug]),
                source_link=item.source.url or None,
            )
        return extra

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for item in feed.items:  # item_extra_kwargs has no request to make URLs absolute
            if item.get("source_feed"):
                item["source_feed"] = request.build_absolute_uri(item["source_feed"])
            for enclosure in item["enclosures"]:
                enclosure.url = request.build_absolute_uri(enclosure.url)
            if item.get("thumbnail"):
                item["thumbnail"]["url"] = request.build_absolute_uri(item["thumbnail"]["url"])
        return feed
