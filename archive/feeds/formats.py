"""The two formats every feed is served in: RssFeed (RSS 2.0) and AtomFeed, Django's
writers with what our items carry besides: the full text, the agency as <source>, the
item's language (item_languages.py), its media (media.py), and titles as HTML.

A feed is RSS unless given AtomFeed: `LatestFeed(AtomFeed)` (archive/urls.py).
"""

import re

from django.utils import feedgenerator

from ..sanitize import without_control_characters
from .item_languages import DC_NS, ItemLanguages
from .media import MEDIA_NS, add_media

# A title is plain text, and both formats carry it as HTML: RSS does not say whether a
# title is text or HTML and readers (feedparser among them) take it for HTML, and many
# Atom readers do the same whatever the type says. So a title «<img src=x onerror=…>»
# goes with what would start markup or a character reference escaped, and in Atom as
# type="html"; a reader shows the text as written, in either format.
_HTML_START = re.compile(r"<|&(?=[#A-Za-z0-9])")


def html_title(text):
    return _HTML_START.sub(lambda m: "&lt;" if m.group() == "<" else "&amp;", text or "")


def xml_text(value):
    """`value` with every string in it (in lists, tuples and dicts too) fit for XML 1.0,
    which has no control characters but tab, newline and carriage return. Saves leave
    them out since this stop; a row stored before, holding one, made Django's writer
    refuse every feed showing that article, tag or source (a 500)."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, dict):
        return {key: xml_text(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(xml_text(item) for item in value)
    return value


class _XmlText:
    """What a feed and its items say, cleaned by xml_text before the writer sees it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_text(args), **xml_text(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_text(args), **xml_text(kwargs))


class _Titles:
    """The XML writer, except that the first <title> gets `lang` as its xml:lang (when
    given) and, with `html`, every <title> goes out escaped, as type="html"."""

    def __init__(self, handler, html=True, lang=None):
        self._handler, self._html, self._lang = handler, html, lang

    def __getattr__(self, name):
        return getattr(self._handler, name)

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 (SAX's name)
        if name == "title":
            attrs = dict(attrs or {})
            if self._html:
                contents, attrs["type"] = html_title(contents), "html"
            if self._lang:
                attrs["xml:lang"], self._lang = self._lang, None
        self._handler.addQuickElement(name, contents, attrs)


class RssFeed(_XmlText, ItemLanguages, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with full text (content:encoded), <source> and Media RSS for the video;
    titles escaped as HTML (html_title); each item's language (ItemLanguages)."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": MEDIA_NS,
            "xmlns:dc": DC_NS,
        }

    def add_root_elements(self, handler):
        feed = self.feed
        self.feed = {**feed, "title": html_title(feed["title"])}
        try:
            super().add_root_elements(handler)
        finally:
            self.feed = feed

    def add_item_elements(self, handler, item):
        self.add_language(handler, item)
        titles = _Titles(handler, html=False, lang=self.title_language(item))
        super().add_item_elements(titles, {**item, "title": html_title(item["title"])})
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        if item.get("source_name"):
            handler.addQuickElement("source", item["source_name"], {"url": item["source_feed"]})
        add_media(handler, item)


class AtomFeed(_XmlText, ItemLanguages, feedgenerator.Atom1Feed):
    """Atom with the full text as <content>, the agency as <source>, Media RSS video;
    titles (the feed's, the items', the sources') as type="html" (html_title); each
    entry's language (ItemLanguages)."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(_Titles(handler))

    def add_item_elements(self, handler, item):
        self.add_language(handler, item)
        handler = _Titles(handler, lang=self.title_language(item))
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
