"""Completions as the reader types: people, organisations, places and topics by
name, then article titles from the index."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from whoosh import query as wq

from archive.models import Tag

from . import engine
from .analysis import fold_azerbaijani
from .query import LANGUAGE_FIELDS, clean_text, term_forms, word_list

MIN_CHARS = 2
LIMIT = 8
NAME_FIELDS = [f"name_{code}" for code, _name in settings.LANGUAGES]


def suggestions(text, language="ru"):
    text, _cut = clean_text(text)
    text = text[:100]
    words = word_list(text)
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
    if limit <= 0:
        return []
    fieldname = LANGUAGE_FIELDS.get(language, "text")
    lang = language if language in LANGUAGE_FIELDS else "ru"
    *complete, last = words
    parts = []
    if len(last) >= MIN_CHARS:
        # The word being typed: as a beginning, or complete in any of its forms.
        begun = fold_azerbaijani(fold(last)) if lang == "az" else fold(last)
        forms = [wq.Term(fieldname, f) for f in term_forms(lang, last)]
        parts.append(wq.Or([wq.Prefix(fieldname, begun), *forms]))
    for word in complete:
        if forms := term_forms(lang, word):
            parts.append(wq.Or([wq.Term(fieldname, f) for f in forms]))
    if not parts:
        return []
    try:
        hits = _search_titles(wq.And(parts), limit)
    except engine.SearchUnavailable:
        return []  # people, places and topics still come from the database
    out = []
    for hit in hits:
        title = hit.get(f"title_{lang}") or hit.get("title_ru") or ""
        out.append(
            {
                "label": title,
                "kind": _("article"),
                "url": reverse("archive:article-detail", kwargs={"slug": hit["slug"]}),
            }
        )
    return out


@engine.reads_index
def _search_titles(query, limit):
    searcher = engine.searchers.get()
    return searcher.search(query, mask=engine.not_yet_published(), limit=limit)
