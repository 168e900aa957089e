"""Completions as the reader types: people, organisations, places and topics by
name, then article titles from the index."""

from django.db.models import Q
from django.urls import reverse
from whoosh import query as wq

from archive.models import Tag

from . import engine
from .query import LANGUAGE_FIELDS, clean_text, term_forms, word_list

MIN_CHARS = 2
LIMIT = 8


def suggestions(text, language="ru"):
    text, _ = clean_text(text)
    text = text[:100]
    words = word_list(text)
    if len(text) < MIN_CHARS or not words:
        return []
    items = _tags(text, language)
    items += _titles(words, language, LIMIT - len(items))
    return items[:LIMIT]


def _tags(text, language):
    name = f"name_{language}"
    match = Q(**{f"{name}__istartswith": text}) | Q(name_ru__istartswith=text)
    match |= Q(**{f"{name}__icontains": f" {text}"}) | Q(name_ru__icontains=f" {text}")
    tags = Tag.objects.filter(match).order_by("kind", "name_ru")[: LIMIT // 2]
    return [
        {"label": t.name, "kind": Tag.Kind(t.kind).label, "url": t.get_absolute_url()} for t in tags
    ]


def _titles(words, language, limit):
    if limit <= 0:
        return []
    fieldname = LANGUAGE_FIELDS.get(language, "text")
    lang = language if language in LANGUAGE_FIELDS else "ru"
    *complete, last = words
    parts = [wq.Prefix(fieldname, last.lower().replace("ё", "е"))] if len(last) >= MIN_CHARS else []
    for word in complete:
        if forms := term_forms(lang, word):
            parts.append(wq.Or([wq.Term(fieldname, f) for f in forms]))
    if not parts:
        return []
    searcher = engine.searchers.get()
    hits = searcher.search(wq.And(parts), limit=limit)
    out = []
    for hit in hits:
        title = hit.get(f"title_{lang}") or hit.get("title_ru") or ""
        out.append(
            {
                "label": title,
                "kind": "article",
                "url": reverse("archive:article-detail", kwargs={"slug": hit["slug"]}),
            }
        )
    return out
