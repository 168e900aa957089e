"""Completions as the reader types: people, organisations, places and topics by
name, then article titles from the index."""

from django.urls import reverse
from django.utils.translation import gettext as _

from archive.languages import folded
from archive.models import Tag

from . import engines
from .analysis import split_title
from .query import LANGUAGE_FIELDS, clean_text, parse

MIN_CHARS = 2
LIMIT = 8
MAX_WORDS = 6  # the last words typed; more would only narrow to the same few titles


def suggestions(text, language="ru"):
    text, _cut = clean_text(text)
    text = text[:100]
    words = split_title(text)
    if len(text) < MIN_CHARS or not words:
        return []
    items = _tags(text, language)
    items += _titles(words, language, LIMIT - len(items))
    return items[:LIMIT]


def _tags(text, language):
    """People, organisations, places and topics with a name word beginning as typed, in
    any language (Tag.search_key), shown in the page's language."""
    needle = folded(text)
    language = language if language in LANGUAGE_FIELDS else "ru"
    rows = (
        Tag.objects.filter(search_key__contains=f" {needle}")
        .order_by("kind", "name_ru")
        .values("slug", "kind", "name_ru", f"name_{language}")[: LIMIT // 2]
    )
    return [
        {
            "label": row[f"name_{language}"] or row["name_ru"],
            "kind": Tag.Kind(row["kind"]).label,
            "url": reverse("archive:tag-detail", kwargs={"slug": row["slug"]}),
        }
        for row in rows
    ]


def _titles(words, language, limit):
    """The newest articles with a title word beginning as the last word typed, and
    holding the words before it (in any of their forms) in their text."""
    if limit <= 0:
        return []
    lang = language if language in LANGUAGE_FIELDS else "ru"
    *complete, last = words[-MAX_WORDS:]
    if len(last) < MIN_CHARS:
        return []
    before = parse(" ".join(complete))  # «год OR мир пр»: OR, AND, NOT as in a search
    try:
        hits = engines.current().complete_titles(last, before, limit)
    except engines.SearchUnavailable:
        return []  # people, places and topics still come from the database
    return [
        {
            "label": fields.get(f"title_{lang}") or fields.get("title_ru") or "",
            "kind": _("article"),
            "url": reverse("archive:article-detail", kwargs={"slug": fields["slug"]}),
        }
        for fields in hits
    ]
