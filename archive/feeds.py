"""RSS 2.0 and Atom feeds: latest articles, per language, per rubric, tag and source.

ArticleFeed holds everything the feeds share: the items and their fields, conditional
GET (ETag, Last-Modified, 304) and the cache. A concrete feed says what it is about:
`subject_model` and `subject_lookup` for a feed per object (looked up by the URL's slug),
or `filter_articles()`, plus its title and link. Each is served in both formats:
`LatestFeed()` is RSS, `LatestFeed(AtomFeed)` is Atom (see urls.py).

A feed whose items do not come from a database filter (the search app's feed per query)
overrides `get_object()`, `items()` and `freshness()` (cheap: a request answered with 304
runs nothing else), and `identity_params()`, the normalized values that make a different
feed (they enter the ETag):

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

        def freshness(self, request):  # [(pk, updated_at, published_at)] of those items
            ...

        def title(self, query):
            return feed_title(query)
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _

from .cache import TIMEOUT, cacheable_host, content_version, safe_get, safe_set
from .canonical import canonical_query, redirect_if_not_canonical
from .languages import ARTICLES_IN, shown_language, translation_filter
from .models import Article, Rubric, Source, Tag
from .templatetags.archive_tags import LATEST_ARTICLES, SITE_NAME, article_summary, feed_title
from .views import published_articles, video_info

FEED_SIZE = getattr(settings, "ARCHIVE_FEED_SIZE", 20)
# Item ids are UUIDs derived from the article's primary key and the feed's language:
# they survive a new slug, a new title, a new domain, and differ between translations.
GUID_NAMESPACE = uuid.UUID("6f0a4c1e-3b57-4d8a-9a43-2c1d5e7b9f10")
MEDIA_NS = "http://search.yahoo.com/mrss/"


def article_guid(article, lang):
    return f"urn:uuid:{uuid.uuid5(GUID_NAMESPACE, f'archive.article:{article.pk}:{lang}')}"


# A title is plain text, and both formats carry it as HTML: RSS does not say whether a
# title is text or HTML and readers (feedparser among them) take it for HTML, and many
# Atom readers do the same whatever the type says. So a title «<img src=x onerror=…>»
# goes with what would start markup or a character reference escaped, and in Atom as
# type="html"; a reader shows the text as written, in either format.
_HTML_START = re.compile(r"<|&(?=[#A-Za-z0-9])")


def html_title(text):
    return _HTML_START.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text or "")


class _HtmlTitles:
    """The XML writer, except that every <title> goes out escaped, as type="html"."""

    def __init__(self, handler):
        self._handler = handler

    def __getattr__(self, name):
        return getattr(self._handler, name)

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 (SAX's name)
        if name == "title":
            contents, attrs = html_title(contents), {**(attrs or {}), "type": "html"}
        self._handler.addQuickElement(name, contents, attrs)


class RssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with full text (content:encoded), <source> and Media RSS for the video;
    titles escaped as HTML (html_title)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_NS,
        }

    def add_root_elements(self, handler):
        feed = self.feed
        self.feed = {**feed, "title": html_title(feed["title"])}
        try:
            super().add_root_elements(handler)
        finally:
            self.feed = feed

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "title": html_title(item["title"])})
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("source_name"):
            handler.addQuickElement("source", item["source_name"], {"url": item["source_feed"]})
        add_media(handler, item)


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom with the full text as <content>, the agency as <source>, Media RSS video;
    titles (the feed's, the items', the sources') as type="html" (html_title)."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(_HtmlTitles(handler))

    def item_attributes(self, item):
        # An item shown in a fallback language says so.
        if item.get("lang") and item["lang"] != self.feed["language"]:
            return {"xml:lang": item["lang"]}
        return {}

    def add_item_elements(self, handler, item):
        handler = _HtmlTitles(handler)
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item.get("source_name"):
            handler.startElement("source", {})
            handler.addQuickElement("id", item["source_feed"])
            handler.addQuickElement("title", item["source_name"])
            handler.addQuickElement("link", "", {"rel": "self", "href": item["source_feed"]})
            if item.get("source_link"):
                handler.addQuickElement(
                    "link", "", {"rel": "alternate", "href": item["source_link"]}
                )
            handler.endElement("source")
        if item.get("original_url"):
            handler.addQuickElement("link", "", {"rel": "via", "href": item["original_url"]})
        video = item.get("video")
        if video and video["url"] and not video["is_file"]:
            handler.addQuickElement(
                "link", "", {"rel": "related", "type": "text/html", "href": video["url"]}
            )
        add_media(handler, item)


def add_media(handler, item):
    video = item.get("video")
    if not (video and video["url"]):
        return
    if video["is_file"]:
        attrs = {"url": video["url"], "medium": "video", "type": video["mime_type"]}
        handler.addQuickElement("media:content", "", attrs)
    else:
        handler.addQuickElement("media:player", "", {"url": video["url"]})


class ArticleFeed(Feed):
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

    def freshness(self, request, *args, **kwargs):
        """[(pk, updated_at, published_at)] of the items the feed shows: one query, kept
        in the cache for the current content version (which changes with every publish,
        edit or unpublish, and when a scheduled article's time comes), so a feed reader
        asking again is answered 304 without touching the database."""
        version = content_version()
        key = (
            "archive:feed-rows:"
            + hashlib.sha256(
                repr(
                    (type(self).__name__, translation.get_language(), args, sorted(kwargs.items()))
                ).encode()
            ).hexdigest()[:32]
        )
        cached = safe_get(key)
        if cached is not None and cached[0] == version.token:
            return cached[1]
        queryset = self.filter_articles(Article.objects.published(), *args, **kwargs)
        rows = list(
            queryset.order_by("-published_at", "-pk").values_list(
                "pk", "updated_at", "published_at"
            )[: self.size]
        )
        if rows:  # an unknown slug has none: it is a 404, and no entry in the cache
            safe_set(key, (version.token, rows), TIMEOUT)
        return rows

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
        video = video_info(item)
        if video and video["is_file"]:
            # The length is unknown without fetching the file; 0 is the accepted "unknown".
            return [feedgenerator.Enclosure(video["url"], "0", video["mime_type"])]
        return []

    def item_extra_kwargs(self, item):
        extra = {
            "content_html": item.body,
            "lang": shown_language(item, "body" if item.body else "title"),
            "video": video_info(item),
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
        return feed

    # Conditional GET and the cache ------------------------------------------------------

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
        rows = self.freshness(request, *args, **kwargs)
        if not rows:
            self.get_object(request, *args, **kwargs)  # an unknown slug is a 404
        version = content_version()
        identity = (
            type(self).__name__,
            self.feed_type.__name__,
            translation.get_language(),
            request.scheme,
            request.get_host(),
            request.path,
            self.identity_params(request),
            version.token,
            rows,
        )
        etag = quote_etag(hashlib.sha256(repr(identity).encode()).hexdigest()[:32])
        # The newest change among the items, or of the content as a whole (an unpublished
        # article leaves the feed without making any remaining item newer).
        dates = [d.timestamp() for _pk, *pair in rows for d in pair]
        last_modified = int(max(dates + [version.changed_at]))
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            key = f"archive:feed:{etag}"
            store = self.store and cacheable_host(request)
            cached = safe_get(key) if store else None
            if cached is None:
                response = super().__call__(request, *args, **kwargs)
                if store:
                    safe_set(key, (response.content, response["Content-Type"]), TIMEOUT)
            else:
                response = HttpResponse(cached[0], content_type=cached[1])
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=300)
        return response


class LatestFeed(ArticleFeed):
    """Every published article, in the language of the URL (fallbacks included)."""

    def title(self, obj):
        return feed_title(LATEST_ARTICLES)


class LanguageFeed(ArticleFeed):
    """Only the articles that exist in the language of the URL: no fallbacks."""

    def filter_articles(self, queryset, slug=None):
        return queryset.filter(translation_filter(translation.get_language()))

    def title(self, obj):
        return feed_title(ARTICLES_IN[translation.get_language()])


class RubricFeed(ArticleFeed):
    subject_model = Rubric
    subject_lookup = "rubric"


class TagFeed(ArticleFeed):
    subject_model = Tag
    subject_lookup = "tags"


class SourceFeed(ArticleFeed):
    subject_model = Source
    subject_lookup = "source"
