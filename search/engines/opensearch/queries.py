"""A reader's query (search.query.ParsedQuery) and filters as OpenSearch query DSL.

The same tree as the Whoosh engine's (engines.whoosh.queries): each word as the index
terms of its language field (search.analysis.term_forms), phrases as phrase queries over
pre-analyzed text, synonyms as alternatives, all groups required. Which documents match
is a filter; the score is BM25 over the text and (boosted) head fields, per group the
best alternative, as the Whoosh engine scores (searching.relevance).
"""

from dataclasses import dataclass, field

from ...analysis import SAME_POSITION, fold_russian, term_forms
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
from ...ranking import FIELD_BOOSTS, scored_groups


def _term(name, term):
    if name in FIELD_BOOSTS:
        return {"term": {name: {"value": term, "boost": FIELD_BOOSTS[name]}}}
    return {"term": {name: term}}


@dataclass
class Scoring:
    """What the positive query scores by: per group its alternatives' (field, term) pairs
    (search.ranking.scored_groups: the best alternative counts), and (field, prefix) pairs."""

    groups: list = field(default_factory=list)
    prefixes: dict = field(default_factory=dict)

    @property
    def terms(self):
        return {
            pair: None for alternatives in self.groups for pairs in alternatives for pair in pairs
        }

    def should(self):
        clauses = []
        for alternatives in self.groups:
            if len(alternatives) == 1:
                clauses += [_term(*pair) for pair in sorted(alternatives[0])]
                continue
            best_of = [
                {"bool": {"should": [_term(*p) for p in sorted(pairs)]}} for pairs in alternatives
            ]
            clauses.append({"dis_max": {"queries": best_of}})
        clauses += [{"prefix": {name: stem}} for name, stem in self.prefixes]
        return clauses


def _any(parts):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"bool": {"should": parts, "minimum_should_match": 1}}


def _all(parts):
    return parts[0] if len(parts) == 1 else {"bool": {"filter": parts}}


def _prefix_stem(lang, word):
    return fold_russian(word) if lang == "ru" else (term_forms(lang, word) or ("",))[0]


def clause_query(clause: Clause, lang: str, scoring: Scoring | None):
    """The clause in one language field, or None when nothing of it is searchable there."""
    if not searchable_in(lang, clause):
        return None
    name = LANGUAGE_FIELDS[lang]
    last = len(clause.words) - 1
    if clause.prefix and last == 0:
        stem = _prefix_stem(lang, clause.words[0])
        if len(stem) < MIN_PREFIX:
            return None
        if scoring is not None:
            scoring.prefixes[(name, stem)] = None
        return {"prefix": {name: stem}}
    positions = [forms for w in clause.words if (forms := term_forms(lang, w))]
    if not positions:
        return None  # stop words only
    if len(positions) == 1:
        forms = positions[0]
        return {"terms": {name: list(forms)}} if len(forms) > 1 else {"term": {name: forms[0]}}
    # The field's analyzer splits «a|b c» back into positions, «a» and «b» at one.
    text = " ".join(SAME_POSITION.join(forms) for forms in positions)
    return {"match_phrase": {name: {"query": text}}}


def clause_any_language(clause, languages=("ru", "az", "en"), scoring=None):
    return _any([clause_query(clause, lang, scoring) for lang in languages])


def to_dsl(parsed: ParsedQuery, synonyms=None, languages=("ru", "az", "en")):
    """(the query as a filter, Scoring) or (None, Scoring) when nothing is searchable.
    All groups must match (any, with match_any); a group matches if any of its clauses
    or their synonyms does, in any language field."""
    synonyms = synonyms or {}
    scoring = Scoring(groups=scored_groups(parsed, synonyms))
    required = []
    for group in join_synonym_phrases(parsed.groups, synonyms) if synonyms else parsed.groups:
        alternatives = [
            clause_any_language(variant, languages, scoring)
            for clause in group
            for variant in [clause, *synonyms_for(clause, synonyms)]
        ]
        if (q := _any(alternatives)) is not None:
            required.append(q)
    if not required:
        return None, scoring
    q = _any(required) if parsed.match_any else _all(required)
    excluded = [x for c in parsed.excluded if (x := clause_any_language(c, languages))]
    if excluded:
        q = {"bool": {"filter": [q], "must_not": excluded}}
    return q, scoring


def reader_filter(filters: dict):
    """The reader's own filters (rubric, tags, dates) as filter clauses."""
    parts = [{"term": {name: value}} for name in FILTER_FIELDS for value in filters.get(name) or ()]
    if filters.get("from") or filters.get("to"):
        span = {}
        if filters.get("from"):
            span["gte"] = filters["from"].isoformat()
        if filters.get("to"):
            span["lte"] = filters["to"].isoformat()
        parts.append({"range": {"published_at": span}})
    return parts


def published_by(now):
    """Scheduled articles are indexed and hidden until their time."""
    return {"range": {"published_at": {"lte": now.isoformat()}}}
