"""Completions as the reader types: people, organisations, places and topics by
name, then article titles from the index."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from archive.models import Tag

from . import engine
from .analysis import split_title
from .query import LANGUAGE_FIELDS, Clause, ParsedQuery, clean_text, to_whoosh

MIN_CHARS = 2
LIMIT = 8
MAX_WORDS = 6  # the last words typed; more would only narrow to the same few titles
NAME_FIELDS = [f"name_{code}" for code, _name in settings.LANGUAGES]


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
    # Matched in Python: SQLite's LIKE folds case for ASCII only, so «ман» would not
    # find «Гасан Мансуров». Names are short and few next to the articles.
    needle = fold(text)
    found = []
    rows = Tag.objects.order_by("kind", "name_ru").values("slug", "kind", *NAME_FIELDS)
    for row in rows.iterator():
        name_ru, slug, kind = row["name_ru"], row["slug"], row["kind"]
        label = row.get(f"name_{language}") or name_ru
        if any(_starts_a_word(fold(n), needle) for n in {name_ru, label} if n):
            found.append({"label": label, "kind": Tag.Kind(kind).label, "slug": slug})
            if len(found) == LIMIT // 2:
                break
    return [
        {
            "label": t["label"],
            "kind": t["kind"],
            "url": reverse("archive:tag-detail", kwargs={"slug": t["slug"]}),
        }
        for t in found
    ]


def fold(text):
    return text.casefold().replace("ё", "е")


def _starts_a_word(name, needle):
    return name.startswith(needle) or f" {needle}" in name


def _titles(words, language, limit):
    """The newest articles with a title word beginning as the last word typed, and
    holding the words before it (in any of their forms) in their text."""
    if limit <= 0:
        return []
    lang = language if language in LANGUAGE_FIELDS else "ru"
    *complete, last = words[-MAX_WORDS:]
    if len(last) < MIN_CHARS:
        return []
    before = to_whoosh(ParsedQuery(groups=[[Clause((word,))] for word in complete]))
    try:
        hits = engine.complete_titles(last, before, limit)
    except engine.SearchUnavailable:
        return []  # people, places and topics still come from the database
    return [
        {
            "label": fields.get(f"title_{lang}") or fields.get("title_ru") or "",
            "kind": _("article"),
            "url": reverse("archive:article-detail", kwargs={"slug": fields["slug"]}),
        }
        for fields in hits
    ]
