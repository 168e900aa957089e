"""A reader's query (search.query.ParsedQuery) and filters as Whoosh queries.

search.query parses and repairs what was typed, engine-neutral; this turns the
result into Whoosh's query tree: each word as the index terms of its language field
(search.analysis.term_forms), phrases as Sequences, synonyms as alternatives.
"""

from django.utils import timezone
from whoosh import query as wq

from ...analysis import fold_russian, term_forms
from ...query import (
    FILTER_FIELDS,
    LANGUAGE_FIELDS,
    MIN_PREFIX,
    Clause,
    ParsedQuery,
    join_synonym_phrases,
    searchable_in,
    synonyms_for,
)


def _word_query(fieldname, lang, word, prefix):
    if prefix:
        stem = fold_russian(word) if lang == "ru" else (term_forms(lang, word) or ("",))[0]
        return wq.Prefix(fieldname, stem) if len(stem) >= MIN_PREFIX else None
    forms = term_forms(lang, word)
    if not forms:
        return None  # a stop word
    return (
        wq.Or([wq.Term(fieldname, f) for f in forms])
        if len(forms) > 1
        else wq.Term(fieldname, forms[0])
    )


def clause_query(clause: Clause, lang: str):
    """The clause in one language field, or None when nothing of it is searchable there."""
    if not searchable_in(lang, clause):
        return None
    fieldname = LANGUAGE_FIELDS[lang]
    parts = [
        q
        for i, w in enumerate(clause.words)
        if (q := _word_query(fieldname, lang, w, clause.prefix and i == len(clause.words) - 1))
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.Sequence(parts)


def clause_any_language(clause: Clause, languages=("ru", "az", "en")):
    parts = [q for lang in languages if (q := clause_query(clause, lang)) is not None]
    return wq.Or(parts) if parts else None


def to_whoosh(parsed: ParsedQuery, synonyms=None, languages=("ru", "az", "en")):
    """All groups must match; a group matches if any of its clauses (or their
    synonyms) does, in any language field."""
    synonyms = synonyms or {}
    required = []
    for group in join_synonym_phrases(parsed.groups, synonyms) if synonyms else parsed.groups:
        alternatives = []
        for clause in group:
            for variant in [clause, *synonyms_for(clause, synonyms)]:
                if (q := clause_any_language(variant, languages)) is not None:
                    alternatives.append(q)
        if alternatives:
            required.append(wq.Or(alternatives) if len(alternatives) > 1 else alternatives[0])
    if not required:
        return None
    combine = wq.Or if parsed.match_any else wq.And
    q = combine(required) if len(required) > 1 else required[0]
    excluded = [x for c in parsed.excluded if (x := clause_any_language(c, languages))]
    if excluded:
        q = wq.AndNot(q, wq.Or(excluded))
    return q


def reader_filter(filters: dict):
    """The reader's own filters (rubric, tags, dates) as a Whoosh filter, or None."""
    parts = [wq.Term(name, value) for name in FILTER_FIELDS for value in filters.get(name) or ()]
    if filters.get("from") or filters.get("to"):
        parts.append(wq.DateRange("published_at", filters.get("from"), filters.get("to")))
    if not parts:
        return None
    return wq.And(parts) if len(parts) > 1 else parts[0]


def not_yet_published():
    """Scheduled articles, which search hides until their time, as a mask. A filter
    "published up to now" would read the postings of every past date (each distinct
    date is an index term) on every search; the future is small."""
    return wq.DateRange("published_at", timezone.now(), None, startexcl=True)
