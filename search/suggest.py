"""Completions as the reader types: people, organisations, places and topics by
name, then article titles from the index."""

from datetime import UTC, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
            "language": language if row[f"name_{language}"] else "ru",
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
            "language": lang if fields.get(f"title_{lang}") else "ru",
            "kind": _("article"),
            "url": reverse("archive:article-detail", kwargs={"slug": fields["slug"]}),
            "date": _day(fields.get("published_at")),
        }
        for fields in hits
    ]


def _day(published):
    """«9 августа 2024 г.»: the newsroom's day of a stored time (UTC when naive)."""
    if not isinstance(published, datetime):
        return ""
    if timezone.is_naive(published):
        published = published.replace(tzinfo=UTC)
    return date_format(timezone.localtime(published), "DATE_FORMAT")


def status(items):
    """What a screen reader says when the suggestions change (the box's live region)."""
    if not items:
        return _("No suggestions.")
    n = len(items)
    return ngettext(
        "%(count)s suggestion: up and down arrows to choose, Enter to open.",
        "%(count)s suggestions: up and down arrows to choose, Enter to open.",
        n,
    ) % {"count": n}
