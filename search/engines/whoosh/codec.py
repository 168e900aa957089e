"""The index's postings format: Whoosh 2.7's W3 codec with blocks a reader can take whole.

W3 pickles each block of 128 postings as (delta ids, weights, positions) and zlib-compresses
the lot, so learning which documents hold a word means decompressing and unpickling its
positions too, and decoding the ids one Python step at a time: at 100,000 articles a
common word took 40-80 ms before any search work. Here a block (512 postings) is

    header (first id, id width, weight width) | id deltas | weights | zlib(pickled positions)

with ids and weights as plain little-endian arrays that numpy reads in place; positions
are unpacked only when a phrase asks for them. Everything else (terms, columns, stored
fields) is W3's. Segments remember their codec, so an index written with stock W3
segments still reads: `term_postings` decodes those the slow way.

The class is pickled into the index by its import path: moving it breaks old indexes
(a rebuild fixes them).
"""

import itertools
import struct
import zlib
from array import array
from pickle import dumps, loads

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PerDocWriter,
    W3PostingsWriter,
)
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import length_to_byte

_HEADER = struct.Struct("<IBB")  # first id, bytes per id delta, bytes per weight
_ID_TYPES = {1: "<u1", 2: "<u2", 4: "<u4"}
_WEIGHT_TYPES = {1: "<u1", 4: "<f4"}
BLOCK_POSTINGS = 512


def _narrowest(largest):
    return 1 if largest < 1 << 8 else 2 if largest < 1 << 16 else 4


class ArchiveCodec(W3Codec):
    def __init__(self, blocklimit=BLOCK_POSTINGS, compression=3, inlinelimit=1):
        super().__init__(blocklimit, compression, inlinelimit)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors (unused here) stay W3's
            return super().postings_writer(dbfile, byteids=True)
        return ArchivePostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_writer(self, storage, segment):
        return ArchivePerDocWriter(self, storage, segment)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term, scorer)
        offset, length = terminfo.extent()
        return ArchiveLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class ExactLengths(NumericColumn):
    """A text field's column of each document's exact length in terms. Whoosh keeps
    lengths in one lossy byte (11 terms read back as 12); BM25 as OpenSearch computes it
    needs the exact count (postings.bm25_scores). The field asks for the length the
    writer has just counted (LENGTH_PENDING, see backend.LengthedText); a merge copies
    the column's numbers as they are."""

    def __init__(self):
        super().__init__("I", default=0)


LENGTH_PENDING = 0xFFFFFFFF


class ArchivePerDocWriter(W3PerDocWriter):
    _length = 0

    def add_field(self, fieldname, fieldobj, value, length):
        super().add_field(fieldname, fieldobj, value, length)
        self._length = length  # the writer adds this field's column value next

    def add_column_value(self, fieldname, columnobj, value):
        if isinstance(columnobj, ExactLengths) and value == LENGTH_PENDING:
            value = self._length
        super().add_column_value(fieldname, columnobj, value)


class ArchivePostingsWriter(W3PostingsWriter):
    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)

        ids = np.asarray(self._ids, dtype=np.int64)
        deltas = np.diff(ids)
        id_width = _narrowest(int(deltas.max()) if len(deltas) else 0)
        weights = np.asarray(self._weights, dtype=np.float32)
        whole = bool(np.all((weights == np.floor(weights)) & (weights >= 0) & (weights < 256)))
        weight_width = 1 if whole else 4
        values = self._mini_values()
        packed = zlib.compress(dumps(values, 2), self._compression) if values else b""
        data = b"".join(
            (
                _HEADER.pack(int(ids[0]), id_width, weight_width),
                deltas.astype(_ID_TYPES[id_width]).tobytes(),
                weights.astype(_WEIGHT_TYPES[weight_width]).tobytes(),
                packed,
            )
        )
        info = dumps(
            (
                len(ids),
                int(ids[-1]),
                self._maxweight,
                self._compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            ),
            2,
        )
        length = len(info) + len(data)
        self._postfile.write_int(-length if last else length)
        self._postfile.write(info)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


class ArchiveLeafMatcher(W3LeafMatcher):
    """W3's matcher over ArchiveCodec blocks: the same interface, and `arrays()` for
    taking a whole posting list at once."""

    def _block(self):
        """(ids, weights, packed positions) of the current block, ids as int64."""
        n = self._blocklength
        raw = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        first, id_width, weight_width = _HEADER.unpack_from(raw)
        at = _HEADER.size
        ids = np.empty(n, dtype=np.int64)
        ids[0] = first
        deltas = np.frombuffer(raw, _ID_TYPES[id_width], n - 1, at)
        np.cumsum(deltas, out=ids[1:])
        ids[1:] += first
        at += (n - 1) * id_width
        weights = np.frombuffer(raw, _WEIGHT_TYPES[weight_width], n, at)
        return ids, weights, raw[at + n * weight_width :]

    def _read_data(self):
        # Positions are unpacked only when a value is asked for (phrases).
        ids, weights, self._packed = self._block()
        self._data = (ids, weights, None)

    def _read_ids(self):
        if self._data is None:
            self._read_data()
        self._ids = self._data[0].tolist()

    def _read_weights(self):
        if self._data is None:
            self._read_data()
        self._weights = array("f", self._data[1].astype(np.float32).tobytes())

    def _read_values(self):
        if self._data is None:
            self._read_data()
        values = loads(zlib.decompress(self._packed)) if self._packed else None
        self._data = (*self._data[:2], values)
        super()._read_values()

    def arrays(self):
        """(ids, weights) of every posting from the current block to the end."""
        id_parts, weight_parts = [], []
        while self.is_active():
            ids, weights, _packed = self._block()
            id_parts.append(ids[self._i :])
            weight_parts.append(weights[self._i :])
            self._next_block()
        return _joined(id_parts, weight_parts)


def _joined(id_parts, weight_parts):
    if not id_parts:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    return np.concatenate(id_parts), np.concatenate(weight_parts).astype(np.float32)


def _w3_arrays(matcher):
    """The same from a stock W3 matcher, without decoding positions one by one."""
    id_parts, weight_parts = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        deltas, weights, _values = matcher._data
        n = matcher._blocklength
        ids = np.fromiter(itertools.accumulate(deltas), np.int64, n)
        if weights is None or isinstance(weights, float):
            weights = np.full(n, 1.0 if weights is None else weights, np.float32)
        id_parts.append(ids[matcher._i :])
        weight_parts.append(np.asarray(weights, np.float32)[matcher._i :])
        matcher._next_block()
    return _joined(id_parts, weight_parts)


class DamagedPostings(Exception):
    """A postings list that decodes but cannot be right: ids out of order or beyond
    the segment's documents."""


def term_postings(matcher, doc_count=None):
    """(document numbers, weights) as numpy arrays, from a segment's matcher for one
    term; checked against the segment's `doc_count` when given. Deleted documents may
    be included: readers mask them once per searcher (postings)."""
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        matcher = matcher.child
    if isinstance(matcher, ArchiveLeafMatcher):
        ids, weights = matcher.arrays()
    elif type(matcher) is W3LeafMatcher and not matcher._byteids:
        ids, weights = _w3_arrays(matcher)
    else:
        ids, weights = [], []
        while matcher.is_active():  # inlined postings and anything else: the public calls
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        ids, weights = np.asarray(ids, np.int64), np.asarray(weights, np.float32)
    if doc_count is not None and len(ids):
        if ids[0] < 0 or ids[-1] >= doc_count or (len(ids) > 1 and np.any(np.diff(ids) <= 0)):
            raise DamagedPostings(f"postings out of order or beyond {doc_count} documents")
    return ids, weights
