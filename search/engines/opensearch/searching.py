"""Reading the OpenSearch index: a reader's search, title suggestions, did-you-mean.

Every read goes to the alias. Global term statistics (dfs_query_then_fetch): with three
shards, each shard's own document frequencies would rank a few hundred articles
differently from one index; the extra round trip costs about a millisecond here.
A read that the cluster cannot answer (no node reachable, shards missing, the alias gone)
raises SearchUnavailable: the page says search is down, never a 500.
"""

import functools
import logging
import time
from datetime import datetime

from django.utils import timezone
from elasticsearch import ConnectionError as ClusterUnreachable
from elasticsearch import NotFoundError, TransportError

from ...analysis import TITLE_START_LETTERS, folded, term_forms, title_words
from ...query import LANGUAGE_FIELDS, ParsedQuery, parse
from ..base import Hit, SearchOutcome, SearchUnavailable
from ..distance import edit_distance
from .queries import FILTER_FIELDS, clause_any_language, published_by, reader_filter, to_dsl

log = logging.getLogger(__name__)

FACETS = ("rubric", "year", "tags")
# Values counted per facet: the links show the first few (search.links.FACET_SIZE);
# years are all counted, there are few.
FACET_VALUES = {"rubric": 50, "year": 500, "tags": 50}
STORED = [
    "django_id",
    "id",
    "slug",
    "published_at",
    "time_known",  # search.service: the result shows the time of day only when known
    "year",
    "rubric",
    "source",
    "tags",
    "persons",
    "organisations",
    "places",
    "version",
    "title_ru",
    "title_az",
    "title_en",
    "body_ru",
    "body_az",
    "body_en",
    "rank_ru",
    "rank_az",
    "rank_en",
]
LIST_FIELDS = ("tags", "persons", "organisations", "places")
SEARCH_TYPE = "dfs_query_then_fetch"


def reads_index(function):
    """A read the cluster cannot answer is SearchUnavailable (503), and so is one that
    only some shards answered: a page of results with a third of the archive missing
    would look like a complete answer."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except SearchUnavailable:
            raise
        except (ClusterUnreachable, NotFoundError, TransportError) as exc:
            log.warning("search cluster could not answer: %s", exc)
            raise SearchUnavailable(f"the search cluster could not answer: {exc}") from exc

    return wrapper


# A read that meets a node going down is asked again: the cluster answers from the
# shards' other copies once it has noticed (a query phase bound to a shard copy that
# vanished fails as a whole, with a 500 "disconnected").
READ_ATTEMPTS = 3
RETRY_PAUSE = 0.25  # seconds, doubled at each retry
TRANSIENT_STATUSES = {500, 502, 503, 504, "N/A", "TIMEOUT"}


def _run(conn, alias, body, **params):
    pause = RETRY_PAUSE
    for attempt in range(1, READ_ATTEMPTS + 1):
        try:
            answer = conn.search(
                index=alias,
                body=body,
                search_type=SEARCH_TYPE,
                allow_partial_search_results=False,
                **params,
            )
            shards = answer.get("_shards", {})
            if shards.get("failed"):
                raise SearchUnavailable(
                    f"{shards['failed']} of {shards.get('total')} shards failed"
                )
            return answer
        except (ClusterUnreachable, TransportError, SearchUnavailable) as exc:
            transient = isinstance(exc, (ClusterUnreachable, SearchUnavailable)) or (
                getattr(exc, "status_code", None) in TRANSIENT_STATUSES
            )
            if not transient or attempt == READ_ATTEMPTS:
                raise
            log.info("search read failed (%s), asking again in %.2f s", exc, pause)
            time.sleep(pause)
            pause *= 2


def fields_of(source):
    """A hit's stored fields as the Whoosh engine gives them (search.service reads them):
    the time as an aware datetime, lists joined by commas, ids as strings."""
    fields = dict(source)
    if isinstance(fields.get("published_at"), str):
        fields["published_at"] = datetime.fromisoformat(fields["published_at"])
    for name in LIST_FIELDS:
        if isinstance(fields.get(name), list):
            fields[name] = ",".join(fields[name])
    fields["django_id"] = str(fields.get("django_id", ""))
    return fields


def _sort(sort):
    if sort == "date":  # newest first; of equal times, the later article first
        return [{"published_at": "desc"}, {"django_id": "desc"}]
    return [{"_score": "desc"}, {"django_id": "asc"}]


def has_filters(filters):
    return any(filters.get(name) for name in (*FILTER_FIELDS, "from", "to"))


@reads_index
def search(
    conn,
    alias,
    parsed: ParsedQuery,
    *,
    language="ru",
    filters=None,
    sort="relevance",
    page=1,
    per_page=20,
    synonyms=None,
    facets=True,
) -> SearchOutcome:
    """One request for the page language's matches of this page, the total and the
    facets; a second only when the page runs past them into the other languages."""
    started = time.perf_counter()
    outcome = SearchOutcome(parsed=parsed)
    filters = filters or {}
    match, scoring = to_dsl(parsed, synonyms)
    if match is None:
        if not has_filters(filters):
            return outcome
        match = {"match_all": {}}
    query = {
        "bool": {
            "filter": [match, *reader_filter(filters), published_by(timezone.now())],
            "should": scoring.should(),
        }
    }
    own = [x for c in parsed.clauses() if (x := clause_any_language(c, (language,)))]
    own_filter = (own[0] if len(own) == 1 else {"bool": {"should": own}}) if own else None
    skip = (page - 1) * per_page
    body = {
        "query": query,
        "sort": _sort(sort),
        "from": skip,
        "size": per_page,
        "track_total_hits": True,
        "_source": STORED,
        "aggs": {"matched": {"filter": {"match_all": {}}}},
    }
    if facets:
        for name in FACETS:
            body["aggs"][name] = {
                "terms": {
                    "field": name,
                    "size": FACET_VALUES[name],
                    "order": [{"_count": "desc"}, {"_key": "asc"}],
                }
            }
    if own_filter is not None:
        body["post_filter"] = own_filter
    answer = _run(conn, alias, body)
    outcome.total = answer["aggregations"]["matched"]["doc_count"]
    own_total = answer["hits"]["total"]["value"]
    hits = [(h, own_filter is not None) for h in answer["hits"]["hits"]]
    if own_filter is not None and len(hits) < per_page and outcome.total > own_total:
        rest = {
            "query": query,
            "post_filter": {"bool": {"must_not": [own_filter]}},
            "sort": _sort(sort),
            "from": max(0, skip - own_total),
            "size": per_page - len(hits),
            "track_total_hits": False,
            "_source": STORED,
        }
        hits += [(h, False) for h in _run(conn, alias, rest)["hits"]["hits"]]
    for raw, own_language in hits:
        fields = fields_of(raw["_source"])
        score = None if sort == "date" else raw.get("_score")
        outcome.hits.append(Hit(int(fields["django_id"]), fields, score, own_language))
    if facets and outcome.total:
        outcome.facets = {
            name: {b["key"]: b["doc_count"] for b in answer["aggregations"][name]["buckets"]}
            for name in FACETS
        }
    for lang, name in LANGUAGE_FIELDS.items():
        outcome.terms[lang] = {term for f, term in scoring.terms if f == name}
        stems = [stem for f, stem in scoring.prefixes if f == name]
        if stems:
            outcome.terms[lang] |= _prefixed_forms(lang, stems, outcome.hits)
    outcome.elapsed_ms = (time.perf_counter() - started) * 1000
    return outcome


def _prefixed_forms(lang, stems, hits):
    """The index terms beginning with a prefix in the texts shown (the snippets mark
    them): the engine matched every word the prefix begins, and does not list them."""
    found = set()
    for hit in hits:
        text = " ".join(
            filter(None, (hit.fields.get(f"title_{lang}"), hit.fields.get(f"body_{lang}")))
        )
        for word in title_words(text):
            for form in term_forms(lang, word):
                if form.startswith(tuple(stems)):
                    found.add(form)
    return found


@reads_index
def complete_titles(conn, alias, typed, before=None, limit=8, scan=40):
    """Stored fields of the newest articles with a title word beginning with `typed`,
    also matching `before`; as the Whoosh engine's (engines.whoosh.searching)."""
    typed = folded(typed)
    filters = [
        {"term": {"title_starts": typed[: TITLE_START_LETTERS[1]]}},
        published_by(timezone.now()),
    ]
    if before is not None:
        match, _scoring = to_dsl(before)
        if match is not None:
            filters.append(match)
    exact = len(typed) <= TITLE_START_LETTERS[1]
    body = {
        "query": {"bool": {"filter": filters}},
        "sort": [{"published_at": "desc"}, {"django_id": "desc"}],
        "size": limit if exact else scan,
        "_source": STORED,
        "track_total_hits": False,
    }
    found = []
    forms = set() if exact else set(term_forms("ru", typed))
    for raw in _run(conn, alias, body)["hits"]["hits"]:
        fields = fields_of(raw["_source"])
        titles = [fields.get(f"title_{lang}") for lang in LANGUAGE_FIELDS]
        if exact or any(
            word.startswith(typed) or not forms.isdisjoint(term_forms("ru", word))
            for word in title_words(*titles)
        ):
            found.append(fields)
            if len(found) == limit:
                break
    return found


@reads_index
def document_frequency(conn, alias, term):
    return document_frequencies(conn, alias, [term])[term]


@reads_index
def document_frequencies(conn, alias, terms):
    """{term: documents holding it, summed over the three language fields (as Whoosh's
    document_frequency)}, all terms in one request: a `filters` aggregation per pair."""
    terms = sorted(set(terms))
    if not terms:
        return {}
    pairs = {
        f"{n}.{name}": {"term": {name: term}}
        for n, term in enumerate(terms)
        for name in LANGUAGE_FIELDS.values()
    }
    body = {"size": 0, "aggs": {"pairs": {"filters": {"filters": pairs}}}}
    buckets = _run(conn, alias, body)["aggregations"]["pairs"]["buckets"]
    found = dict.fromkeys(terms, 0)
    for key, bucket in buckets.items():
        found[terms[int(key.split(".", 1)[0])]] += bucket["doc_count"]
    return found


@reads_index
def nearest_terms(conn, alias, word, fieldname="text", maxdist=2, limit=3):
    return nearest_terms_many(conn, alias, [word], fieldname, maxdist, limit).get(word, [])


@reads_index
def nearest_terms_many(conn, alias, words, fieldname="text", maxdist=2, limit=3):
    """{word: index terms within `maxdist` edits of it sharing its first two letters,
    nearest then most frequent first}: OpenSearch's term suggester (Levenshtein), one
    named suggestion per word, all in one request. Words under four letters get none."""
    folded_words = {w: w.lower().replace("ё", "е") for w in words}
    asked = sorted({f for f in folded_words.values() if len(f) >= 4})
    found = {}
    if asked:
        suggest = {
            f"w{n}": {
                "text": word,
                "term": {
                    "field": fieldname,
                    "suggest_mode": "always",
                    "max_edits": maxdist,
                    "prefix_length": 2,
                    "min_word_length": 4,
                    "string_distance": "levenshtein",
                    "max_term_freq": 0.99,
                    "size": limit * 4,
                    "sort": "frequency",
                },
            }
            for n, word in enumerate(asked)
        }
        answer = _run(conn, alias, {"size": 0, "suggest": suggest})["suggest"]
        for n, word in enumerate(asked):
            near = []
            for entry in answer[f"w{n}"]:
                for option in entry["options"]:
                    term = option["text"]
                    if term != word and (distance := edit_distance(word, term)) <= maxdist:
                        near.append((distance, -option["freq"], term))
            found[word] = [term for _d, _f, term in sorted(near)[:limit]]
    return {w: found.get(f, []) for w, f in folded_words.items()}


def search_text(conn, alias, text, **kwargs):
    return search(conn, alias, parse(text), **kwargs)
