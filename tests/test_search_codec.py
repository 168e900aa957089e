"""search.engines.whoosh.codec writes postings blocks that numpy reads whole: the same postings,
weights and positions as Whoosh's own W3 codec, through Whoosh's matchers and through
term_postings, and an index holding segments of both codecs reads as one."""

import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.searching import Searcher

from search.engines.whoosh import codec as archive_codec
from search.engines.whoosh.codec import ArchiveCodec, ArchiveLeafMatcher, term_postings
from search.engines.whoosh.postings import SegmentsView

SCHEMA = Schema(id=ID(stored=True), body=TEXT(phrase=True), title=TEXT(field_boost=1.5))


def documents(count):
    # A word in every document (several blocks), one in every 300th (id gaps over 256),
    # one in two documents 70,000 apart (a gap over 65,535), repeated words (weights
    # over 1) and a boosted field (fractional weights).
    for n in range(count):
        words = ["новость", "день"] * (n % 3 + 1)
        if n % 300 == 0:
            words.append("редкий")
        if n in (1, 70_001):
            words.append("далёкий")
        yield {"id": str(n), "body": " ".join(words) + " конец", "title": f"заголовок номер{n % 5}"}


def build(path, codec, count, commits=1):
    ix = whoosh_index.create_in(str(path), SCHEMA)
    docs = list(documents(count))
    for part in range(commits):
        writer = ix.writer(codec=codec)
        for doc in docs[part::commits]:
            writer.add_document(**doc)
        writer.commit(merge=False)
    return ix


def postings_of(reader, field, text):
    matcher = reader.postings(field, text)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    count = 70_002
    ours = build(tmp_path_factory.mktemp("archive"), ArchiveCodec(), count)
    theirs = build(tmp_path_factory.mktemp("w3"), W3Codec(), count)
    with ours.reader() as a, theirs.reader() as b:
        yield a, b


TERMS = [
    ("body", "новость"),
    ("body", "редкий"),
    ("body", "далёкий"),
    ("body", "конец"),
    ("title", "заголовок"),
    ("title", "номер3"),
]


@pytest.mark.parametrize(("field", "text"), TERMS)
def test_matchers_see_what_w3_wrote(both, field, text):
    ours, theirs = both
    assert isinstance(ours.postings(field, text), ArchiveLeafMatcher)
    expected = postings_of(theirs, field, text)
    assert expected
    assert postings_of(ours, field, text) == expected


@pytest.mark.parametrize(("field", "text"), TERMS)
def test_term_postings_are_the_matchers_postings(both, field, text):
    for reader in both:
        ids, weights = term_postings(reader.postings(field, text))
        expected = postings_of(reader, field, text)
        assert ids.tolist() == [docnum for docnum, _w, _v in expected]
        assert weights.tolist() == [weight for _d, weight, _v in expected]


def test_block_widths_cover_every_case(both):
    ours, _theirs = both
    # Deltas of 1, of 300 (two bytes), of 70,000 (four bytes); whole and fractional weights.
    assert term_postings(ours.postings("body", "далёкий"))[0].tolist() == [1, 70_001]
    assert set(term_postings(ours.postings("title", "номер3"))[1].tolist()) == {1.5}
    assert set(term_postings(ours.postings("body", "новость"))[1].tolist()) == {1.0, 2.0, 3.0}


def test_skipping_and_phrases_as_whoosh_does(both):
    for q in [
        wq.Phrase("body", ["день", "конец"]),
        wq.And([wq.Term("body", "редкий"), wq.Term("body", "новость")]),
        wq.Term("body", "далёкий"),
    ]:
        found = [sorted(Searcher(r, closereader=False).docs_for_query(q)) for r in both]
        assert found[0] == found[1] and found[0], q


def test_an_index_of_both_codecs_reads_as_one(tmp_path):
    ix = build(tmp_path, W3Codec(), 600, commits=1)
    writer = ix.writer(codec=ArchiveCodec())
    writer.add_document(id="new", body="новость редкий свежий", title="заголовок")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        leaves = searcher.reader().leaf_readers()
        codecs = {type(leaf.segment().codec()) for leaf, _offset in leaves}
        assert codecs == {W3Codec, ArchiveCodec}
        view = SegmentsView(searcher)
        ids, _weights = view.term("body", "редкий")
        expected = sorted(searcher.docs_for_query(wq.Term("body", "редкий")))
        assert ids.tolist() == expected and len(expected) == 3


def test_a_w3_block_is_decoded_without_its_positions(tmp_path, monkeypatch):
    ix = build(tmp_path, W3Codec(), 1000)
    with ix.reader() as reader:
        matcher = reader.postings("body", "новость")
        monkeypatch.setattr(type(matcher), "_read_values", _forbidden)
        ids, _weights = archive_codec.term_postings(matcher)
        assert len(ids) == 1000 and np.all(np.diff(ids) == 1)


def _forbidden(self):
    raise AssertionError("positions were decoded")


def test_two_indexes_with_the_same_segment_ids_keep_apart(tmp_path):
    # Whoosh names segments from the `random` module: seeded alike, two indexes get
    # the same segment ids, and the process-wide postings cache must not mix them.
    found, state = [], random.getstate()
    for name, body in [("one", "альфа бета"), ("two", "бета гамма")]:
        random.seed(7)
        (tmp_path / name).mkdir()
        ix = whoosh_index.create_in(str(tmp_path / name), SCHEMA)
        writer = ix.writer(codec=ArchiveCodec())
        writer.add_document(id="0", body="пусто", title="")
        writer.add_document(id="1", body=body, title="")
        writer.commit()
        with ix.searcher() as searcher:
            (leaf, _offset), *_ = searcher.reader().leaf_readers()
            found.append(leaf.segment().segment_id())
            expected = [1] if name == "one" else []
            assert SegmentsView(searcher).term("body", "альфа")[0].tolist() == expected
    random.setstate(state)
    assert found[0] == found[1]
