"""Postings read a block at a time, kept per searcher, and BM25 ranking from them.

Whoosh's matchers hand out one posting per Python call, and scoring walks a tree of
matchers several calls deep per posting: for a common word (5,000 of 10,000 articles)
that cost more than everything else in a search. Whoosh 2.7's postings blocks already
hold their ids as a tuple and their weights as an array; here they are taken whole
into {docnum: weight} dicts, and set algebra and a short BM25 loop do the rest. This
reads private attributes of Whoosh's W3 codec (`_ids`, `_weights`, `_i`; Whoosh is
pinned at 2.7.4) and falls back to the public matcher calls for any other matcher,
so another codec would be slower, not wrong.
"""

import heapq
from collections import OrderedDict
from math import log

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

B, K1 = 0.75, 1.2
# Postings a searcher keeps in memory (about 100 bytes each, so ~30 MB): the common
# words of recent queries, which are also the slow ones to read.
POSTINGS_KEPT = 300_000


def _leaf_weights(matcher):
    """{docnum: weight} of one segment's postings, a block at a time."""
    deleted = ()
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted, matcher = matcher._ids, matcher.child
    found = {}
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            found[matcher.id()] = matcher.weight()
            matcher.next()
    else:
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            start = matcher._i
            found.update(zip(matcher._ids[start:], matcher._weights[start:], strict=True))
            matcher._next_block()
    for docnum in deleted:
        found.pop(docnum, None)
    return found


def read_weights(reader, fieldname, text):
    found = {}
    for segment, offset in reader.leaf_readers():
        try:
            weights = _leaf_weights(segment.postings(fieldname, text))
        except TermNotFound:
            continue
        if offset:
            weights = dict(zip(map(offset.__add__, weights), weights.values(), strict=True))
        found.update(weights)
    return found


class _Kept(OrderedDict):
    """Least recently used terms' postings, up to POSTINGS_KEPT postings in all."""

    size = 0


def term_weights(searcher, fieldname, text):
    """{document number: weight (the term's frequency)} of every live document that
    holds `text` in `fieldname`; recently used terms are kept with the searcher."""
    kept = searcher.__dict__.setdefault("_archive_terms", _Kept())
    key = (fieldname, text)
    found = kept.get(key)
    if found is not None:
        kept.move_to_end(key)
        return found
    found = kept[key] = read_weights(searcher.reader(), fieldname, text)
    kept.size += len(found)
    while kept.size > POSTINGS_KEPT and len(kept) > 1:
        _key, dropped = kept.popitem(last=False)
        kept.size -= len(dropped)
    return found


def term_docs(searcher, fieldname, text):
    """The set of live document numbers holding `text` in `fieldname`."""
    return set(term_weights(searcher, fieldname, text))


def top_by_bm25(searcher, terms, docs, limit):
    """The `limit` best of `docs` as [(docnum, score)], scored with BM25 (Whoosh's
    default, B=0.75, K1=1.2) summed over `terms` [(field, text)]. Computed from the
    cached weights and field lengths, in place of Whoosh's matcher tree, which spends
    several Python calls per posting."""
    reader = searcher.reader()
    total_docs = max(1, reader.doc_count_all())
    scores = dict.fromkeys(docs, 0.0)
    for fieldname, text in terms:
        weights = term_weights(searcher, fieldname, text)
        if not weights:
            continue
        idf = log(total_docs / (len(weights) + 1)) + 1
        average = (reader.field_length(fieldname) / total_docs) or 1.0
        lengths = field_lengths(searcher, fieldname)
        for docnum in weights.keys() & scores.keys():
            length = lengths.get(docnum)
            if length is None:
                length = lengths[docnum] = reader.doc_field_length(docnum, fieldname, 1)
            tf = weights[docnum]
            scores[docnum] += idf * (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * length / average))
    return heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))


def field_lengths(searcher, fieldname):
    """A per-searcher memo of documents' field lengths, filled as documents are scored."""
    return searcher.__dict__.setdefault("_archive_lengths", {}).setdefault(fieldname, {})


def value_table(searcher, fieldname):
    """{term: frozenset of documents} for a field of few values per document (rubric,
    year, tags), built once per searcher, i.e. once per index version."""
    tables = searcher.__dict__.setdefault("_archive_values", {})
    table = tables.get(fieldname)
    if table is None:
        reader = searcher.reader()
        table = tables[fieldname] = {
            (term.decode() if isinstance(term, bytes) else term): frozenset(
                read_weights(reader, fieldname, term)
            )
            for term in reader.lexicon(fieldname)
        }
    return table


def counts(searcher, fieldname, docs):
    """{value: how many of `docs` have it}, values held by none left out."""
    out = {}
    for value, holders in value_table(searcher, fieldname).items():
        if n := len(docs & holders):  # CPython walks the smaller of the two
            out[value] = n
    return out
