"""Postings as numpy arrays: matching, BM25 ranking and facet counts for a searcher.

Whoosh's matchers hand out one posting per Python call, and scoring walks a tree of
matchers several calls deep per posting; at 100,000 articles a common word (50,000
documents) cost far more than the 20 ms a search may take. Here a term's postings
come out of the index as two arrays (codec), the documents a query matches are
a boolean mask over the searcher's document numbers, And/Or/Not are mask operations,
BM25 is computed for all of a term's documents in one vector expression, and facets
are counted with one bincount.

Postings are kept per segment, process-wide (a segment's postings never change; its
deletions are applied per searcher, with the live-document mask), so the big
segments' arrays survive the new searcher every editor's save brings.
"""

import threading
from bisect import bisect_left
from collections import OrderedDict
from math import log

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from .codec import term_postings

B, K1 = 0.75, 1.2


def lucene_length(length: int) -> int:
    """A field length as Lucene's norms keep it (SmallFloat.intToByte4, then back):
    exact below 24, then four significant bits. The OpenSearch engine scores with these
    lengths, so this engine does too, and both rank alike."""
    free = 24  # 255 - intToByte4's largest code for a positive int
    if length < free:
        return length
    rest = length - free
    shift = max(0, rest.bit_length() - 4)
    return free + ((rest >> shift) << shift)


_WHOOSH_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def lucene_lengths(lengths):
    """lucene_length of every element of an integer array."""
    lengths = np.asarray(lengths, dtype=np.int64)
    rest = np.maximum(lengths - 24, 0)
    shift = np.maximum(0, np.floor(np.log2(np.maximum(rest, 1))).astype(np.int64) + 1 - 4)
    return np.where(lengths < 24, lengths, 24 + ((rest >> shift) << shift)).astype(np.float64)


class _Kept:
    """Least recently used segment data, process-wide, up to `limit` in all as
    `weigh` counts it. Nothing that weighs nothing is kept (a word no segment holds:
    typos and robots would fill the cache)."""

    def __init__(self, limit, weigh):
        self.items = OrderedDict()
        self.size = 0
        self.limit, self.weigh = limit, weigh
        self.lock = threading.Lock()

    def get(self, key, read):
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
                return found
        found = read()
        if not (weight := self.weigh(found)):
            return found
        with self.lock:
            if key not in self.items:
                self.items[key] = found
                self.size += weight
            while self.size > self.limit and len(self.items) > 1:
                _key, dropped = self.items.popitem(last=False)
                self.size -= self.weigh(dropped)
        return found

    def clear(self):
        with self.lock:
            self.items.clear()
            self.size = 0


# Postings, all segments together (8 bytes each: ~32 MB): the common words of recent
# queries, which are also the slow ones to read.
kept = _Kept(4_000_000, lambda postings: len(postings[0]))
# Segments' terms by their first two letters, with each term's document frequency: for
# bounded prefix expansion (SegmentsView.completions) and did-you-mean (searching.nearest_terms).
HEAD = 2
# An empty table is kept too, weighing one: which fields have no term of a head (Cyrillic
# in the English field) is asked at every query repair, and each read is a file search.
terms_kept = _Kept(500_000, lambda table: max(1, len(table[0])))
_EMPTY = (np.empty(0, np.int32), np.empty(0, np.float32))
for _array in _EMPTY:
    _array.flags.writeable = False


def _segment_postings(leaf, fieldname, text):
    """(segment-local ids int32, weights float32) of a term in one segment, read-only
    (they are shared between threads)."""
    try:
        ids, weights = term_postings(leaf.postings(fieldname, text), leaf.doc_count_all())
    except TermNotFound:
        return _EMPTY
    ids = ids.astype(np.int32)
    ids.flags.writeable = weights.flags.writeable = False
    return ids, weights


def _numeric_column(reader, size, default=0):
    """A NumericColumn read whole into an array (Whoosh reads one value per call;
    this reads its reader's private fields, Whoosh being pinned at 2.7.4)."""
    if isinstance(reader, NumericColumn.Reader):
        count = min(reader._count, size)
        raw = reader._dbfile.get(reader._basepos, count * reader._fixedlen)
        values = np.frombuffer(raw, ">" + reader._typecode, count)
        return np.concatenate([values, np.full(size - count, reader._default, values.dtype)])
    if reader is None:
        return np.full(size, default)
    return np.fromiter(iter(reader), np.float64, size)


class SegmentsView:
    """One searcher's documents: segment offsets, the live-document mask, and the
    per-searcher tables (field lengths, facet values, a column). Built once per
    searcher, i.e. once per index version."""

    def __init__(self, searcher):
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.leaves = list(self.reader.leaf_readers())
        self.alive = None  # None: no deletions
        for leaf, offset in self.leaves:
            deleted = list(leaf.segment().deleted_docs()) if leaf.has_deletions() else []
            if deleted:
                if self.alive is None:
                    self.alive = np.ones(self.size, bool)
                self.alive[np.asarray(deleted, np.int64) + offset] = False
        # The index's folder (FileStorage): None for a searcher over a bare reader or
        # an index in memory, whose postings are then not kept.
        index = getattr(searcher, "_ix", None)
        self.folder = getattr(getattr(index, "storage", None), "folder", None)
        self._lengths = {}
        self._values = {}
        self._columns = {}

    @classmethod
    def of(cls, searcher):
        view = searcher.__dict__.get("_archive_view")
        if view is None:
            view = searcher._archive_view = cls(searcher)
        return view

    def _key(self, leaf, *rest):
        """A process-wide key for a segment's data, or None (not kept): segment ids
        come from the `random` module, so the index's folder is part of the key."""
        segment = leaf.segment()
        if segment is None or self.folder is None:
            return None
        return (self.folder, segment.segment_id(), *rest)

    def term(self, fieldname, text):
        """(document numbers, weights) of the live documents holding `text` in
        `fieldname`, in document order."""
        text = text.decode() if isinstance(text, bytes) else text
        parts = []
        for leaf, offset in self.leaves:
            key = self._key(leaf, fieldname, text)

            def read(leaf=leaf):
                return _segment_postings(leaf, fieldname, text)

            ids, weights = kept.get(key, read) if key is not None else read()
            if len(ids):
                parts.append((ids + offset if offset else ids, weights))
        if not parts:
            return _EMPTY
        if len(parts) == 1:
            ids, weights = parts[0]
        else:
            ids = np.concatenate([p[0] for p in parts])
            weights = np.concatenate([p[1] for p in parts])
        if self.alive is not None:
            live = self.alive[ids]
            ids, weights = ids[live], weights[live]
        return ids, weights

    def mask(self, ids=None):
        """A boolean mask over the searcher's documents, true at `ids`."""
        found = np.zeros(self.size, bool)
        if ids is not None:
            found[ids] = True
        return found

    def everything(self):
        return self.alive.copy() if self.alive is not None else np.ones(self.size, bool)

    def _whole(self, memo, fieldname, read):
        """An array over all documents, from `read(leaf, doc_count)` per segment,
        memoized in `memo` for this searcher."""
        found = memo.get(fieldname)
        if found is None:
            parts = [read(leaf, leaf.doc_count_all()) for leaf, _offset in self.leaves]
            found = memo[fieldname] = np.concatenate(parts) if parts else np.empty(0)
        return found

    def lengths(self, fieldname):
        """Every document's exact length in `fieldname` (codec.ExactLengths), or in a
        segment written before that column, Whoosh's one byte per document, decoded."""

        def read(leaf, count):
            if leaf.has_column(fieldname):
                column = leaf.column_reader(fieldname, translate=False)
                return _numeric_column(column, count).astype(np.float64)
            perdoc = getattr(leaf, "_perdoc", None)  # EmptyReader has none
            column = perdoc and perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            return _WHOOSH_LENGTH_OF_BYTE[_numeric_column(column, count).astype(np.intp)]

        return self._whole(self._lengths, fieldname, read)

    def length_norms(self, fieldname):
        """(every document's length as Lucene's norms keep it, the average exact length,
        how many documents have the field) for BM25; once per searcher and field."""
        key = ("norms", fieldname)
        if key not in self._lengths:
            exact = self.lengths(fieldname)
            having = max(1, int(np.count_nonzero(exact)))
            average = (float(exact.sum()) / having) or 1.0
            self._lengths[key] = (lucene_lengths(exact), average, having)
        return self._lengths[key]

    def column(self, fieldname):
        """A sortable field's column as an array over all documents."""

        def read(leaf, count):
            has = leaf.has_column(fieldname)
            values = _numeric_column(
                leaf.column_reader(fieldname, translate=False) if has else None, count
            )
            return values.astype(np.int64 if values.dtype.kind in "iu" else np.float64)

        return self._whole(self._columns, fieldname, read)

    def _term_tables(self, fieldname, head):
        """Per segment, (sorted terms, their document frequencies) of the terms in
        `fieldname` starting with `head` (HEAD letters), read once per segment."""
        tables = []
        for leaf, _offset in self.leaves:

            def read(leaf=leaf):
                terms, frequencies = [], []
                for text, info in leaf.iter_prefix(fieldname, head):
                    terms.append(text.decode() if isinstance(text, bytes) else text)
                    frequencies.append(info.doc_frequency())
                return tuple(terms), np.asarray(frequencies, np.int64)

            key = self._key(leaf, "terms", fieldname, head)
            tables.append(terms_kept.get(key, read) if key is not None else read())
        return tables

    def frequency(self, fieldname, term):
        """How many documents hold `term` in `fieldname`, from the kept term tables: a
        bisection per segment, where Whoosh's doc_frequency reads the term file each time."""
        total = 0
        for terms, frequencies in self._term_tables(fieldname, term[:HEAD]):
            i = bisect_left(terms, term)
            if i < len(terms) and terms[i] == term:
                total += int(frequencies[i])
        return total

    def prefixed(self, fieldname, prefix):
        """{length: [terms]} of the terms in `fieldname` starting with `prefix`
        (HEAD letters)."""
        terms = set()
        for table, _frequencies in self._term_tables(fieldname, prefix[:HEAD]):
            terms.update(table)
        by_length = {}
        for term in terms:
            by_length.setdefault(len(term), []).append(term)
        return by_length

    def completions(self, fieldname, prefix, limit):
        """(terms, more): at most `limit` terms of `fieldname` starting with `prefix`,
        the most frequent first, and whether there were more. The cost is bounded by
        the prefix's share of the kept term tables, never by Whoosh's term walk; each
        segment offers its own `limit` most frequent, whose totals are then summed
        (a term in no segment's top `limit` is left out: rare, and then rare itself)."""
        if len(prefix) < HEAD:
            return [], False
        totals, more = {}, False
        for terms, frequencies in self._term_tables(fieldname, prefix[:HEAD]):
            start = bisect_left(terms, prefix)
            end = bisect_left(terms, prefix + "\U0010ffff", start)
            if end - start > limit:
                more = True
                top = np.argpartition(frequencies[start:end], end - start - limit)
                picked = start + top[end - start - limit :]
            else:
                picked = range(start, end)
            for i in picked:
                totals[terms[i]] = totals.get(terms[i], 0) + int(frequencies[i])
        if len(totals) > limit:
            more = True
        ranked = sorted(totals, key=lambda term: (-totals[term], term))
        return ranked[:limit], more

    def values(self, fieldname):
        """(values, document of each pair, value code of each pair) for a field of few
        values per document (rubric, year, tags)."""
        found = self._values.get(fieldname)
        if found is None:
            names, docs, codes = [], [], []
            for term in self.reader.lexicon(fieldname):
                ids, _weights = self.term(fieldname, term)
                if len(ids):
                    docs.append(ids)
                    codes.append(np.full(len(ids), len(names), np.int32))
                    names.append(term.decode() if isinstance(term, bytes) else term)
            found = self._values[fieldname] = (
                names,
                np.concatenate(docs) if docs else np.empty(0, np.int32),
                np.concatenate(codes) if codes else np.empty(0, np.int32),
            )
        return found


def term_docs(searcher, fieldname, text):
    """The mask of live documents holding `text` in `fieldname`."""
    view = SegmentsView.of(searcher)
    return view.mask(view.term(fieldname, text)[0])


def bm25_scores(searcher, terms, boosts=None, into=None):
    """Every document's BM25 score summed over `terms` [(field, text)], zero where no
    term occurs: Lucene's BM25 (B=0.75, K1=1.2, its idf, documents and average length
    counted among the documents that have the field, lengths as lucene_length keeps
    them), so that OpenSearch ranks the same articles first (with the (K1 + 1) factor
    that OpenSearch's BM25 keeps and Lucene's own dropped). A field's terms count
    `boosts[field]` times (default once), as OpenSearch's term boosts. Added to `into`
    when given (one array for a whole query), else to a new array."""
    boosts = boosts or {}
    view = SegmentsView.of(searcher)
    scores = np.zeros(view.size, np.float64) if into is None else into
    for fieldname, text in terms:
        ids, weights = view.term(fieldname, text)
        if not len(ids):
            continue
        norms, average, having = view.length_norms(fieldname)
        idf = boosts.get(fieldname, 1.0) * log(1 + (having - len(ids) + 0.5) / (len(ids) + 0.5))
        tf = weights.astype(np.float64)
        scores[ids] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * norms[ids] / average))
    return scores


def best(keys, docs, limit, low_first=True, order=None):
    """The `limit` documents of the mask `docs` with the largest `keys`, as
    [(docnum, key)]; equal keys by `order` (an array over documents: the article id),
    lowest first (`low_first`) or highest, else in document order."""
    candidates = np.flatnonzero(docs)
    values = keys[candidates]
    ranks = order[candidates] if order is not None else candidates
    if len(candidates) > limit:
        kth = np.partition(values, len(values) - limit)[len(values) - limit]
        above = np.flatnonzero(values > kth)
        ties = np.flatnonzero(values == kth)
        ties = ties[np.argsort(ranks[ties], kind="stable")]
        room = limit - len(above)
        ties = ties[:room] if low_first else ties[len(ties) - room :]
        chosen = np.concatenate([above, ties])
        candidates, values, ranks = candidates[chosen], values[chosen], ranks[chosen]
    picked = np.lexsort((ranks if low_first else -ranks, -values))[:limit]
    return list(zip(candidates[picked].tolist(), values[picked].tolist(), strict=True))


def counts(searcher, fieldname, docs):
    """{value: how many of the mask `docs` have it}, values held by none left out."""
    names, holders, codes = SegmentsView.of(searcher).values(fieldname)
    tally = np.bincount(codes[docs[holders]], minlength=len(names))
    return {names[i]: int(n) for i, n in enumerate(tally.tolist()) if n}
