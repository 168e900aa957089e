"""Running a reader's search against the Whoosh index.

haystack builds and updates the index; reading goes straight to Whoosh, because
haystack's SearchQuerySet opens two or three searchers per query and fetches every
hit from the database. Here one searcher stays open per process and is refreshed
when the index changes; hits come back with their stored fields; snippets are cut
only for the page shown.
"""

import functools
import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from haystack import connections
from whoosh import query as wq
from whoosh import sorting

from . import backends, health, layout
from .query import LANGUAGE_FIELDS, ParsedQuery, clause_any_language, parse, to_whoosh

log = logging.getLogger(__name__)

FILTER_FIELDS = ("rubric", "tags", "persons", "organisations", "places", "source")
# Single-valued facets come from Whoosh's sortable columns. Tags (many per article)
# are counted from a per-searcher docnum -> tags table instead: Whoosh's overlapping
# facet re-reads every tag's postings on every search (60 ms on 20,000 articles).
FACETS = {
    "rubric": sorting.FieldFacet("rubric", maptype=sorting.Count),
    "year": sorting.FieldFacet("year", maptype=sorting.Count),
}
REFRESH_EVERY = 1.0  # seconds between checks that the index has changed


class SearchUnavailable(Exception):
    """The index is missing, locked for reading or broken; the page says so."""


class _SearcherHolder(threading.local):
    """One open searcher per thread (Whoosh searchers are not shared across threads)."""

    searcher = None
    path = None
    live = None  # the generation directory the searcher reads (search.layout)
    checked = 0.0

    def get(self):
        backend = connections["default"].get_backend()
        if self.searcher is not None and self.path != backend.path:
            self.reset()  # settings point elsewhere (tests)
        now = time.monotonic()
        try:
            if self.searcher is None:
                # haystack's setup() would create an empty index where none is: a
                # reader must hear that search is down, not that nothing matched.
                if backend.use_file_storage and not os.path.isdir(backend.path):
                    raise SearchUnavailable(f"no search index at {backend.path}")
                self._open(backend)
                self.path, self.checked = backend.path, now
            elif now - self.checked > REFRESH_EVERY or backends.last_write >= self.checked:
                self.checked = now
                if backend.use_file_storage and layout.live_dir(backend.path) != self.live:
                    self.reset()  # a rebuild made a new generation live
                    self._open(backend)
                elif not self.searcher.up_to_date():
                    self.searcher = self.searcher.refresh()
        except SearchUnavailable:
            health.repair_in_background()
            raise
        except Exception as exc:  # a missing or broken file: struct, EOF, OS errors
            self.reset()
            log.warning("search index unusable: %s", exc)
            health.repair_in_background()
            raise SearchUnavailable(str(exc)) from exc
        return self.searcher

    def _open(self, backend):
        backend.setup()
        self.searcher, self.live = backend.index.searcher(), backend.live

    def reset(self):
        if self.searcher is not None:
            searcher, self.searcher = self.searcher, None
            try:
                searcher.close()
            except OSError:
                pass


searchers = _SearcherHolder()


def _raised_in_whoosh(exc):
    """Whether the innermost frame of the traceback is Whoosh's own code: a file it
    cannot read (a cut postings block, a short column), not a bug of ours."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and f"{os.sep}whoosh{os.sep}" in tb.tb_frame.f_code.co_filename


def reads_index(function):
    """Searching a broken index is a 503 (SearchUnavailable) and starts a repair,
    never a 500. Errors raised in our own code stay errors."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except SearchUnavailable:
            raise
        except Exception as exc:
            if not _raised_in_whoosh(exc):
                raise
            searchers.reset()
            log.warning("search index unreadable: %r", exc)
            health.repair_in_background()
            raise SearchUnavailable(f"the index could not be read: {exc!r}") from exc

    return wrapper


@dataclass
class Hit:
    docnum: int
    fields: dict
    score: float | None
    language_match: bool = True


@dataclass
class SearchOutcome:
    parsed: ParsedQuery
    total: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)  # language -> set of index terms matched
    elapsed_ms: float = 0.0


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


def has_filters(filters: dict) -> bool:
    return any(filters.get(name) for name in (*FILTER_FIELDS, "from", "to"))


@reads_index
def run(
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
    started = time.perf_counter()
    outcome = SearchOutcome(parsed=parsed)
    q = to_whoosh(parsed, synonyms)
    if q is None:
        if not has_filters(filters or {}):
            return outcome
        q = wq.Every()  # browsing by filters alone
    searcher = searchers.get()
    # Readers see results in the page's language first, then the other languages.
    own = [x for c in parsed.clauses() if (x := clause_any_language(c, (language,)))]
    order = [sorting.QueryFacet({0: wq.Or(own)}, other=1)] if own else []
    if sort == "date":
        order.append(sorting.FieldFacet("published_at", reverse=True))
    else:
        order.append(sorting.ScoreFacet())
    results = searcher.search_page(
        q,
        page,
        pagelen=per_page,
        filter=reader_filter(filters or {}),
        mask=not_yet_published(),
        sortedby=sorting.MultiFacet(order),
        groupedby=FACETS if facets else None,
        terms=True,
    )
    outcome.total = len(results)
    page_docs = {hit.docnum for hit in results}
    own_docs = set()
    if own and page_docs:
        # The first sort key says it: 0 for a hit in the page's language (QueryFacet
        # above), so no second search is needed to find them.
        keys = {docnum: key for key, docnum in results.results.top_n}
        own_docs = {docnum for docnum in page_docs if keys[docnum][0] == 0}
    for hit in results:
        outcome.hits.append(Hit(hit.docnum, dict(hit.fields()), hit.score, hit.docnum in own_docs))
    if facets:
        outcome.facets = {name: results.results.groups(name) for name in FACETS}
        outcome.facets["tags"] = tag_counts(searcher, results.results.docs())
    matched = results.results.matched_terms() if results.results.has_matched_terms() else ()
    for lang, fieldname in LANGUAGE_FIELDS.items():
        outcome.terms[lang] = {
            t.decode() if isinstance(t, bytes) else t for f, t in matched if f == fieldname
        }
    outcome.elapsed_ms = (time.perf_counter() - started) * 1000
    return outcome


def tag_counts(searcher, docnums):
    table = getattr(searcher, "_archive_tags", None)
    if table is None:  # once per searcher, i.e. once per index version
        table = {}
        reader = searcher.reader()
        for term in reader.lexicon("tags"):
            slug = term.decode() if isinstance(term, bytes) else term
            for docnum in reader.postings("tags", term).all_ids():
                table.setdefault(docnum, []).append(slug)
        searcher._archive_tags = table
    return Counter(slug for docnum in docnums for slug in table.get(docnum, ()))


@reads_index
def document_frequency(term: str) -> int:
    """How many documents hold `term` in any language field (for query repairs)."""
    searcher = searchers.get()
    return sum(searcher.doc_frequency(f, term) for f in LANGUAGE_FIELDS.values())


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@reads_index
def nearest_terms(word: str, fieldname="text", maxdist=2, limit=3):
    """Index terms within `maxdist` edits of `word`, most frequent first.

    Whoosh's own corrector walks the whole lexicon (a second per word on 20,000
    articles); readers rarely mistype the first two letters, so only terms sharing
    them are compared.
    """
    word = word.lower().replace("ё", "е")
    if len(word) < 4:
        return []
    searcher = searchers.get()
    reader = searcher.reader()
    found = []
    for term in reader.expand_prefix(fieldname, word[:2]):
        term = term.decode() if isinstance(term, bytes) else term
        if term != word and abs(len(term) - len(word)) <= maxdist:
            distance = edit_distance(word, term, maxdist)
            if distance <= maxdist:
                found.append((distance, -reader.doc_frequency(fieldname, term), term))
    return [term for _d, _f, term in sorted(found)[:limit]]


def search(text: str, **kwargs) -> SearchOutcome:
    return run(parse(text), **kwargs)
