"""Reading the Whoosh index: a reader's search, title suggestions, did-you-mean.

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

import numpy as np
import whoosh
from django.utils import timezone
from haystack import connections
from whoosh import query as wq

from ... import health
from ...analysis import TITLE_START_LETTERS, folded, term_forms, title_words
from ...messages import Said
from ...query import LANGUAGE_FIELDS, ParsedQuery, parse
from ...ranking import FIELD_BOOSTS, scored_groups
from ..base import Hit, SearchOutcome, SearchUnavailable
from ..distance import within
from . import backend as backends
from . import codec, generations, postings
from .backend import ARTICLE_ORDER
from .codec import DamagedPostings
from .queries import (
    FILTER_FIELDS,
    clause_any_language,
    not_yet_published,
    reader_filter,
    to_whoosh,
)

log = logging.getLogger(__name__)

# Counted with one bincount over (document, value) pairs kept per searcher
# (postings): Whoosh's facets walk every match in Python, and its overlapping
# facet (tags) re-reads every tag's postings on every search.
FACETS = ("rubric", "year", "tags")
REFRESH_EVERY = 1.0  # seconds between checks that the index has changed
# What one search may cost, whatever is typed: a prefix («при*») stands for at most
# PREFIX_TERMS words, its most frequent, and the expanded query for at most QUERY_TERMS
# index terms in all (each is a postings read, a mask and a BM25 pass).
PREFIX_TERMS = 32
QUERY_TERMS = 128
# A phrase's word order is checked in at most this many articles (see _phrase).
PHRASE_CANDIDATES = 1500


class _SearcherHolder(threading.local):
    """One open searcher per thread (Whoosh searchers are not shared across threads)."""

    searcher = None
    path = None
    live = None  # the generation directory the searcher reads (search.engines.whoosh.generations)
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
                    raise SearchUnavailable(Said("no-index", path=backend.path))
                self._open(backend)
                self.path, self.checked = backend.path, now
            elif now - self.checked > REFRESH_EVERY or backends.last_write >= self.checked:
                self.checked = now
                if backend.use_file_storage and generations.live_dir(backend.path) != self.live:
                    self.reset()  # a rebuild made a new generation live
                    self._open(backend)
                elif not self.searcher.up_to_date():
                    # A new searcher, not Searcher.refresh(): Whoosh 2.7's refresh never
                    # reuses a segment reader and closes the old ones twice.
                    self.reset()
                    self._open(backend)
        except SearchUnavailable:
            health.repair_in_background()
            raise
        except Exception as exc:  # a missing or broken file: struct, EOF, OS errors
            self.reset()
            log.warning("search index unusable: %s", exc)
            health.repair_in_background()
            said = Said("unreadable", exception=type(exc).__name__, detail=str(exc))
            raise SearchUnavailable(said) from exc
        return self.searcher

    def _open(self, backend, attempts=5):
        for attempt in range(attempts):
            try:
                backend.setup()
                break
            except FileNotFoundError:
                # Another process committed between Whoosh finding the newest table of
                # contents and opening it, and deleted it: the next look finds the new
                # one (Whoosh retries this when it opens a reader, not an index).
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01)
        self.searcher, self.live = backend.index.searcher(), backend.live
        self.checked = time.monotonic()

    def reset(self):
        if self.searcher is not None:
            searcher, self.searcher = self.searcher, None
            try:
                searcher.close()
            except Exception:  # already closed, or its files merged away: it is gone anyway
                pass


searchers = _SearcherHolder()


# Where a damaged index file raises: Whoosh's readers, and our postings blocks. Whoosh's
# own directory, not any path with "whoosh" in it: this package's is one too.
_INDEX_READING = (os.path.dirname(whoosh.__file__) + os.sep, codec.__file__)


def _reads_a_damaged_index(exc):
    """Whether `exc` says an index file cannot be read: raised by Whoosh's code or
    search.engines.whoosh.codec (a cut postings block, a short column), or DamagedPostings, not a
    bug of ours elsewhere."""
    if isinstance(exc, DamagedPostings):
        return True
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and any(part in tb.tb_frame.f_code.co_filename for part in _INDEX_READING)


def reads_index(function):
    """Searching a broken index is a 503 (SearchUnavailable) and starts a repair,
    never a 500. Errors raised in our own code stay errors."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in (1, 2):
            try:
                return function(*args, **kwargs)
            except SearchUnavailable:
                raise
            except Exception as exc:
                if not _reads_a_damaged_index(exc):
                    raise
                searchers.reset()
                if attempt == 1:
                    # Most often another process's commit merged away segment files this
                    # searcher had not opened yet: a new searcher reads the new ones.
                    continue
                log.warning("search index unreadable: %r", exc)

                def failing():
                    # The repair thread reads the same again on its own searcher: the
                    # index check reads ids and weights, not every file this read needs.
                    try:
                        function(*args, **kwargs)
                    except Exception as again:
                        if _reads_a_damaged_index(again):
                            return repr(again)
                        raise
                    finally:
                        searchers.reset()
                    return None

                health.repair_in_background(failing)
                raise SearchUnavailable(f"the index could not be read: {exc!r}") from exc

    return wrapper


def scheduled(searcher):
    """The documents not yet published, now, as an array of document numbers. The range
    query runs once per searcher (it walks the date terms); each search then only
    compares the times it found."""
    found = searcher.__dict__.get("_archive_scheduled")
    if found is None:
        docs = np.fromiter(searcher.docs_for_query(not_yet_published()), np.int64)
        published = postings.SegmentsView.of(searcher).column("published_at")
        found = searcher._archive_scheduled = (docs, published[docs])
    docs, when = found
    if not len(docs):
        return docs
    now = searcher.schema["published_at"].to_column_value(timezone.now())
    return docs[when > now]


def article_order(searcher):
    """Each document's article id (backend.ARTICLE_ORDER), or None in an index built
    before the column (document order then)."""
    if ARTICLE_ORDER not in searcher.schema:
        return None
    return postings.SegmentsView.of(searcher).column(ARTICLE_ORDER)


def has_filters(filters: dict) -> bool:
    return any(filters.get(name) for name in (*FILTER_FIELDS, "from", "to"))


@reads_index
def search(
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
    """Every matching document first, as a boolean mask built from postings arrays
    (the total, the facets and the page language's share come from it), then BM25
    scores from the same arrays (postings), and stored fields only for the
    page shown. Whoosh's own search, sorting and grouping every match through its
    matcher tree, cost 10-20x more."""
    started = time.perf_counter()
    outcome = SearchOutcome(parsed=parsed)
    q = to_whoosh(parsed, synonyms)
    if q is None:
        if not has_filters(filters or {}):
            return outcome
        q = wq.Every()  # browsing by filters alone
    searcher = searchers.get()
    q, outcome.capped = bound_prefixes(searcher, q)
    memo = {}  # a phrase's documents, found once for both passes below
    matched = mask_of(searcher, q, memo)
    if matched.any():
        if (only := reader_filter(filters or {})) is not None:
            matched &= mask_of(searcher, only)
        matched[scheduled(searcher)] = False
    outcome.total = int(np.count_nonzero(matched))
    # Readers see results in the page's language first, then the other languages.
    own = [x for c in parsed.clauses() if (x := clause_any_language(c, (language,)))]
    if own:
        own_q = bound_prefixes(searcher, wq.Or(own))[0]
        own_docs = matched & mask_of(searcher, own_q, memo) if outcome.total else matched
        groups = [own_docs, matched & ~own_docs]
    else:
        own_docs, groups = None, [matched]
    outcome.loose_phrase = bool(memo.get("loose phrase"))
    positive = q.a if isinstance(q, wq.AndNot) else q  # excluded words score nothing
    used = index_terms(searcher.reader(), positive) if outcome.total else set()
    skip, wanted = (page - 1) * per_page, per_page
    if not outcome.total:
        keys = None
    elif sort == "date":  # newest first; of equal times, the later document first
        keys = postings.SegmentsView.of(searcher).column("published_at")
    else:  # one BM25 pass for both language groups
        keys = relevance(searcher, scored_groups(parsed, synonyms), used)
    for docs in groups:
        if wanted <= 0:
            break
        size = int(np.count_nonzero(docs))
        if skip >= size:
            skip -= size
            continue
        picked = postings.best(
            keys, docs, skip + wanted, low_first=sort != "date", order=article_order(searcher)
        )[skip:]
        for docnum, key in picked:
            fields = searcher.stored_fields(docnum)
            own_language = own_docs is not None and bool(own_docs[docnum])
            score = None if sort == "date" else key
            outcome.hits.append(Hit(docnum, fields, score, own_language))
        skip, wanted = 0, wanted - len(picked)
    if facets and outcome.total:
        outcome.facets = {name: postings.counts(searcher, name, matched) for name in FACETS}
    for lang, fieldname in LANGUAGE_FIELDS.items():
        outcome.terms[lang] = {
            t.decode() if isinstance(t, bytes) else t for f, t in used if f == fieldname
        }
    outcome.elapsed_ms = (time.perf_counter() - started) * 1000
    return outcome


def bound_prefixes(searcher, q):
    """(q with each prefix replaced by its most frequent words, whether any prefix
    stood for more). The prefixes share what QUERY_TERMS leaves after the other
    terms, at most PREFIX_TERMS each, so twelve prefixes cost what one long query
    costs; the cost never follows the size of the vocabulary."""
    leaves = list(q.leaves())
    prefixes = sum(isinstance(leaf, wq.Prefix) for leaf in leaves)
    if not prefixes:
        return q, False
    share = max(1, min(PREFIX_TERMS, (QUERY_TERMS - (len(leaves) - prefixes)) // prefixes))
    view = postings.SegmentsView.of(searcher)
    capped = False

    def bounded(node):
        nonlocal capped
        if isinstance(node, wq.Prefix):
            terms, more = view.completions(node.fieldname, node.text, share)
            capped |= more
            return wq.Or([wq.Term(node.fieldname, term) for term in terms])
        return node if node.is_leaf() else node.apply(bounded)

    return bounded(q), capped


def mask_of(searcher, q, memo=None):
    """The documents matching `q`, unscored, as a new boolean mask over the searcher's
    document numbers. Terms, prefixes and their Boolean combinations are mask
    operations on postings arrays; a phrase is the mask of its words, then Whoosh's
    position check where that leaves few enough (_phrase); anything else (ranges) goes
    through Whoosh's matcher. A prefix here is every word it begins: search() bounds
    them first (bound_prefixes). `memo` keeps phrases' masks for one search."""
    view = postings.SegmentsView.of(searcher)
    if isinstance(q, wq.Sequence):
        return _phrase(searcher, q, {} if memo is None else memo)
    if isinstance(q, wq.Term):
        return postings.term_docs(searcher, q.fieldname, q.text)
    if isinstance(q, wq.Prefix):
        found = view.mask()
        for term in view.reader.expand_prefix(q.fieldname, q.text):
            found[view.term(q.fieldname, term)[0]] = True
        return found
    if isinstance(q, wq.Or):
        found = view.mask()
        for sub in q.subqueries:
            found |= mask_of(searcher, sub, memo)
        return found
    if isinstance(q, wq.And):
        found = None
        for sub in sorted(q.subqueries, key=lambda sub: not isinstance(sub, wq.Term)):
            found = (
                mask_of(searcher, sub, memo)
                if found is None
                else found & mask_of(searcher, sub, memo)
            )
            if not found.any():
                break
        return found if found is not None else view.mask()
    if isinstance(q, wq.AndNot):
        found = mask_of(searcher, q.a, memo)
        if found.any():
            found &= ~mask_of(searcher, q.b, memo)
        return found
    if isinstance(q, wq.Every):
        return view.everything()
    return view.mask(np.fromiter(searcher.docs_for_query(q), np.int64))


def _phrase(searcher, q, memo):
    """A phrase's documents. Whoosh checks word positions one candidate at a time, in
    Python (20-45 µs each: 0.4 s for a two-word phrase in 12,700 of 100,000 articles),
    so positions are checked only where all the words are and only when those are at
    most PHRASE_CANDIDATES; past that the phrase stands for its words in any order,
    and memo["loose phrase"] tells the reader so."""
    if q in memo:
        return memo[q].copy()
    words = None
    for sub in q.subqueries:
        found = mask_of(searcher, sub, memo)
        words = found if words is None else words & found
        if not words.any():
            break
    if words is None:
        words = postings.SegmentsView.of(searcher).mask()
    candidates = int(np.count_nonzero(words))
    if candidates > PHRASE_CANDIDATES:
        memo["loose phrase"] = True
    elif candidates:
        ordered = postings.SegmentsView.of(searcher).mask(
            np.fromiter(searcher.docs_for_query(q), np.int64)
        )
        words &= ordered
    memo[q] = words
    return words.copy()


def relevance(searcher, groups, used):
    """Every document's score: per group of the query (search.ranking.scored_groups) the
    BM25 of its best alternative, summed; plus the words prefixes stood for (the `used`
    pairs no group names), summed. OpenSearch's dis_max and bool queries score alike."""
    reader = searcher.reader()
    named = set().union(*(pairs for alternatives in groups for pairs in alternatives))
    scores = postings.bm25_scores(searcher, used - named, FIELD_BOOSTS)
    for alternatives in groups:
        if len(alternatives) == 1:  # most groups: its pairs add up like the extras
            postings.bm25_scores(searcher, _held(reader, alternatives[0]), FIELD_BOOSTS, scores)
            continue
        best = None
        for pairs in alternatives:
            found = postings.bm25_scores(searcher, _held(reader, pairs), FIELD_BOOSTS)
            best = found if best is None else np.maximum(best, found, out=best)
        scores += best
    return scores


def _held(reader, pairs):
    return [pair for pair in pairs if pair in reader]


def index_terms(reader, q):
    """The (field, term) pairs of `q` the index holds, prefixes expanded. Whoosh's own
    Query.existing_terms() keeps only the first leaf's field (its loop variable
    shadows the field argument)."""
    found = set()
    for leaf in q.leaves():
        for pair in leaf.expanded_terms(reader):
            if pair not in found and pair in reader:
                found.add(pair)
    return found


@reads_index
def complete_titles(typed: str, before=None, limit=8, scan=40):
    """Stored fields of the newest articles with a title word beginning with `typed`
    that also match the ParsedQuery `before` (the words typed before it; None: any). One
    term's postings answer any beginning (ArticleIndex.title_starts); one longer than
    the indexed beginnings is checked against the titles of the `scan` newest, where
    it may also be a whole word in another form."""
    searcher = searchers.get()
    if "title_starts" not in searcher.schema:
        health.repair_in_background()  # the index check finds the field missing: rebuild
        raise SearchUnavailable("the index predates title beginnings: rebuild_index")
    typed = folded(typed)
    before = to_whoosh(before) if before is not None else None
    matched = postings.term_docs(searcher, "title_starts", typed[: TITLE_START_LETTERS[1]])
    if before is not None and matched.any():
        matched &= mask_of(searcher, bound_prefixes(searcher, before)[0])
    if matched.any():
        matched[scheduled(searcher)] = False
    newest = postings.SegmentsView.of(searcher).column("published_at")
    exact = len(typed) <= TITLE_START_LETTERS[1]
    forms = set() if exact else set(term_forms("ru", typed))  # «ребёнок» for «ребёнка»

    def begins_or_is(word):
        return word.startswith(typed) or not forms.isdisjoint(term_forms("ru", word))

    found = []
    for docnum, _when in postings.best(
        newest, matched, limit if exact else scan, low_first=False, order=article_order(searcher)
    ):
        fields = searcher.stored_fields(docnum)
        titles = [fields.get(f"title_{lang}") for lang in LANGUAGE_FIELDS]
        if exact or any(begins_or_is(word) for word in title_words(*titles)):
            found.append(fields)
            if len(found) == limit:
                break
    return found


@reads_index
def document_frequency(term: str) -> int:
    """How many documents hold `term` in any language field (for query repairs)."""
    searcher = searchers.get()
    if len(term) < postings.HEAD:
        return sum(searcher.doc_frequency(f, term) for f in LANGUAGE_FIELDS.values())
    view = postings.SegmentsView.of(searcher)
    return sum(view.frequency(f, term) for f in LANGUAGE_FIELDS.values())


@reads_index
def nearest_terms(word: str, fieldname="text", maxdist=2, limit=3):
    """Index terms within `maxdist` edits of `word`, most frequent first.

    Whoosh's own corrector walks the whole lexicon (a second per word on 20,000
    articles); readers rarely mistype the first two letters, so only terms sharing
    them, and of a length within `maxdist`, are compared (postings keeps those
    lists per segment).
    """
    word = word.lower().replace("ё", "е")
    if len(word) < 4:
        return []
    searcher = searchers.get()
    view = postings.SegmentsView.of(searcher)
    by_length = view.prefixed(fieldname, word[:2])
    candidates = [
        term
        for length in range(len(word) - maxdist, len(word) + maxdist + 1)
        for term in by_length.get(length, ())
    ]
    found = [
        (distance, -view.frequency(fieldname, term), term)
        for term, distance in within(word, candidates, maxdist)
    ]
    return [term for _d, _f, term in sorted(found)[:limit]]


def search_text(text: str, **kwargs) -> SearchOutcome:
    """search() of what a reader typed, parsed (benchmarks and tests)."""
    return search(parse(text), **kwargs)
