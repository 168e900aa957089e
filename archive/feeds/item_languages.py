"""The language each feed item is shown in, and how the XML says it: a feed in English
marks the articles it shows in the Russian original, and a title translated alone.

ArticleFeed (base.py) puts `article_languages()` into each item; both writers
(formats.py) mix in `ItemLanguages` to mark it.
"""

from ..languages import shown_language

DC_NS = "http://purl.org/dc/elements/1.1/"


def article_languages(article):
    """The item's `lang` (that of the text shown) and `title_lang` (the title's)."""
    return {
        "lang": shown_language(article, "body" if article.body else "title"),
        "title_lang": shown_language(article, "title"),
    }


class ItemLanguages:
    """Each item says the language it is shown in: <dc:language> always, and xml:lang on
    the item when it differs from the feed's (an English feed showing a Russian original),
    and on the title when the title differs from the text (a title translated alone)."""

    def item_attributes(self, item):
        if item.get("lang") and item["lang"] != self.feed["language"]:
            return {**super().item_attributes(item), "xml:lang": item["lang"]}
        return super().item_attributes(item)

    def title_language(self, item):
        title = item.get("title_lang")
        shown = item.get("lang") or self.feed["language"]
        return title if title and title != shown else None

    def add_language(self, handler, item):
        if item.get("lang"):
            handler.addQuickElement("dc:language", item["lang"])
