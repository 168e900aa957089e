"""How results are ordered by relevance, whatever the engine.

Engines score BM25 over the body text and, boosted, over the headline and lead (the
`head` fields), per group of the query its best alternative (scored_groups, shared by
both engines). The service then reorders the first RERANK_WINDOW hits by what BM25
cannot see: the query as a phrase of the headline, the headline being the query, the
words near each other in the lead, the share of the words in the headline and lead, and
a gentle preference for fresh articles.
"""

from datetime import datetime

from django.utils import timezone

from .analysis import SAME_POSITION, pre_analyzed, term_forms
from .query import LANGUAGE_FIELDS, join_synonym_phrases, searchable_in, synonyms_for

HEAD_FIELDS = {"ru": "head", "az": "head_az", "en": "head_en"}
# A word in the headline or lead counts this many times one in the body, on top of it.
HEAD_BOOST = 2.0
FIELD_BOOSTS = {name: HEAD_BOOST for name in HEAD_FIELDS.values()}


# --- what a query scores by, on every engine -----------------------------------------


def clause_pairs(clause, languages=("ru", "az", "en")) -> frozenset:
    """The (field, term) pairs a clause scores by: its words' forms in the text and head
    fields of each language it can be written in; none for a prefix (engines score those)."""
    if clause.prefix:
        return frozenset()
    pairs = set()
    for lang in languages:
        if not searchable_in(lang, clause):
            continue
        for word in clause.words:
            for form in term_forms(lang, word):
                pairs.add((LANGUAGE_FIELDS[lang], form))
                pairs.add((HEAD_FIELDS[lang], form))
    return frozenset(pairs)


def scored_groups(parsed, synonyms=None) -> list[list[frozenset]]:
    """Per group of the query, its alternatives' pairs (clause_pairs): the clause typed,
    the other sides of an OR, the editors' synonyms. An article scores, per group, its best
    alternative only: one mentioning «ООН» and «Организация Объединённых Наций» is not
    worth two groups (Lucene's dis_max; the sum of all made such articles win)."""
    synonyms = synonyms or {}
    groups = join_synonym_phrases(parsed.groups, synonyms) if synonyms else parsed.groups
    scored = []
    for group in groups:
        alternatives = list(
            dict.fromkeys(
                pairs
                for clause in group
                for variant in [clause, *synonyms_for(clause, synonyms)]
                if (pairs := clause_pairs(variant))
            )
        )
        if alternatives:
            scored.append(alternatives)
    return scored


# --- reordering the first hits ------------------------------------------------------

# Hits reordered by the features below: the first page (a multiple of the page size, so
# paging stays consistent); later pages keep the engine's order. Windows of 20, 40, 60 and
# 100 scored alike on the known-item set, and each hit more is a stored-fields read (40
# cost the JSON endpoint 0.03 ms more at the median and 0.5 ms at p95 on the corpus).
RERANK_WINDOW = 20
# How much each feature multiplies an article's BM25 score (tuned on the known-item set,
# search/quality; never on single queries).
PHRASE_IN_HEADLINE = 0.5  # the query's words, in order and adjacent, in the headline
HEADLINE_IS_QUERY = 1.0  # ... and nothing else: the headline is what was typed
ALL_IN_HEADLINE = 0.2  # every word of the query in the headline, in any order
# The share of the query's words found in the headline and lead: when no article holds
# them all (match_any), the one holding most of them early is what the reader remembers.
COVERAGE = 0.5
NEAR_IN_LEAD = 0.2  # every word within a short span of the lead
FRESHNESS = 0.03  # at most this much, for an article published today
FRESHNESS_DAYS = 365.0  # the preference halves at this age
LEAD_WORDS = 60  # the lead: the first words of the stored text
NEAR_SLACK = 2  # a span of the query's words plus this many others is "near"


def query_positions(parsed, lang):
    """The query's words as the sets of index terms each stands for in `lang` (an OR
    group is one word of its alternatives), stop words and prefixes left out."""
    positions = []
    for group in parsed.groups:
        clauses = [clause for clause in group if not clause.prefix and searchable_in(lang, clause)]
        if not clauses:
            continue
        if len(clauses) == 1:
            words = [[word] for word in clauses[0].words]
        else:
            words = [[word for clause in clauses for word in clause.words]]
        for alternatives in words:
            if forms := {form for word in alternatives for form in term_forms(lang, word)}:
                positions.append(frozenset(forms))
    return positions


def _contains_run(terms, wanted):
    """Whether the positions `terms` hold the `wanted` positions in order, adjacent."""
    n = len(wanted)
    return any(
        all(not wanted[j].isdisjoint(terms[i + j]) for j in range(n))
        for i in range(len(terms) - n + 1)
    )


def _span(terms, wanted):
    """The shortest run of positions holding every wanted position, or None."""
    last = {}
    best = None
    for i, here in enumerate(terms):
        for k, forms in enumerate(wanted):
            if not forms.isdisjoint(here):
                last[k] = i
        if len(last) == len(wanted):
            width = i - min(last.values()) + 1
            best = width if best is None else min(best, width)
    return best


def stored_positions(lang, title, text):
    """The headline's and the lead's index terms, as the index stores them for features():
    positions by spaces, the terms of one position by SAME_POSITION, a line between."""
    lead = " ".join((text or "").split()[:LEAD_WORDS])
    return "\n".join(pre_analyzed(lang, part) for part in (title, lead))


def _positions(line):
    return [frozenset(position.split(SAME_POSITION)) for position in line.split()]


def features(fields, wanted_by_lang):
    """{feature: 0 or 1, coverage: a share} of one hit, the best over its languages."""
    found = dict.fromkeys(("phrase", "exact", "all", "near", "coverage"), 0)
    for lang, wanted in wanted_by_lang.items():
        stored = fields.get(f"rank_{lang}")
        if not stored or not wanted:
            continue
        title_line, _newline, lead_line = stored.partition("\n")
        title, lead = _positions(title_line), _positions(lead_line)
        head = set().union(*title, *lead)
        covered = sum(1 for w in wanted if not w.isdisjoint(head)) / len(wanted)
        found["coverage"] = max(found["coverage"], covered)
        if all(any(not w.isdisjoint(t) for t in title) for w in wanted):
            found["all"] = 1
            if len(wanted) > 1 and _contains_run(title, wanted):
                found["phrase"] = 1
            if len(wanted) == len(title) and _contains_run(title, wanted):
                found["exact"] = 1
        if len(wanted) > 1 and not found["near"]:
            span = _span(lead, wanted)
            found["near"] = int(span is not None and span <= len(wanted) + NEAR_SLACK)
    return found


def _freshness(published, now):
    if not isinstance(published, datetime):
        return 0.0
    age = max(0.0, (now - published).total_seconds() / 86400)
    return FRESHNESS * 0.5 ** (age / FRESHNESS_DAYS)


def rerank(hits, parsed, now=None):
    """`hits` (the engine's first RERANK_WINDOW, scored) reordered: the page language's
    hits still first, each group by its score times the features' factors."""
    now = now or timezone.now()
    wanted = {lang: query_positions(parsed, lang) for lang in ("ru", "az", "en")}

    def factor(hit):
        found = features(hit.fields, wanted)
        return (
            1
            + PHRASE_IN_HEADLINE * found["phrase"]
            + HEADLINE_IS_QUERY * found["exact"]
            + ALL_IN_HEADLINE * found["all"]
            + NEAR_IN_LEAD * found["near"]
            + COVERAGE * found["coverage"]
            + _freshness(hit.fields.get("published_at"), now)
        )

    keyed = [
        (not hit.language_match, -(hit.score or 0.0) * factor(hit), position, hit)
        for position, hit in enumerate(hits)
    ]
    return [hit for *_key, hit in sorted(keyed, key=lambda k: k[:3])]
