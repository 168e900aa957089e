"""search.engines.whoosh.postings and .codec read postings blocks whole, as arrays: they must
agree with Whoosh's own matchers on a real index with several segments and deleted
documents; BM25 is OpenSearch's, computed here from first principles."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from archive.models import Article
from search.engines.whoosh import postings
from search.engines.whoosh import searching as engine

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = ["конвенция", "договор", "киберпреступность", "сеть", "данные", "суд"]


def articles():
    # Several commits (segments), repeated words (several postings blocks for a
    # common term).
    for n in range(150):
        words = " ".join(WORDS[i % len(WORDS)] for i in range(n % 7 + 1))
        ArticleFactory(title_ru=f"Статья {n}", body_ru=f"<p>{words} {words}</p>")


@pytest.fixture
def clean_searcher(search_index):
    articles()
    engine.searchers.reset()
    searcher = engine.searchers.get()
    assert not searcher.reader().has_deletions()
    yield searcher
    engine.searchers.reset()


@pytest.fixture
def searcher(search_index):
    # ... and deletions of both kinds: an edit and a delete.
    articles()
    Article.objects.filter(pk__in=list(Article.objects.values_list("pk", flat=True)[:5])).delete()
    for article in Article.objects.all()[:5]:
        article.title_ru = f"{article.title_ru} правка"
        article.save()
    engine.searchers.reset()
    searcher = engine.searchers.get()
    assert searcher.reader().has_deletions() and len(list(searcher.reader().leaf_readers())) > 1
    yield searcher
    engine.searchers.reset()


def test_term_documents_are_whooshs_own(searcher):
    reader = searcher.reader()
    for term in ["договор", "конвенция", "суд", "статья", "правка", "нет-такого"]:
        expected = set(searcher.docs_for_query(wq.Term("text", term)))
        mask = postings.term_docs(searcher, "text", term)
        assert set(np.flatnonzero(mask).tolist()) == expected, term
        assert not reader.has_deletions() or expected.isdisjoint(
            d for d in range(reader.doc_count_all()) if reader.is_deleted(d)
        )


def test_weights_are_the_term_frequencies_whoosh_stores(searcher):
    matcher = searcher.postings("text", "конвенция")
    expected = {}
    while matcher.is_active():
        expected[matcher.id()] = matcher.weight()
        matcher.next()
    ids, weights = postings.SegmentsView.of(searcher).term("text", "конвенция")
    assert dict(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
    assert max(expected.values()) > 1


def lucene_norm_length(length):
    """Lucene's SmallFloat.intToByte4 then byte4ToInt, transcribed from its Java."""
    free = 24
    if length < free:
        return length
    value = length - free
    bits = value.bit_length()
    if bits < 4:
        encoded = value
    else:
        shift = bits - 4
        encoded = ((value >> shift) & 0x07) | ((shift + 1) << 3)
    mantissa, shift = encoded & 0x07, (encoded >> 3) - 1
    return free + (mantissa if shift == -1 else (mantissa | 0x08) << shift)


def expected_bm25(searcher, term):
    """{docnum: score} by OpenSearch's BM25 (k1 1.2, b 0.75, the (k1 + 1) factor, Lucene's
    idf and norms), from each article's exact length counted here from its text."""
    from search.analysis import positioned_terms
    from search.search_indexes import ArticleIndex

    reader = searcher.reader()
    lengths = {}
    for docnum in reader.all_doc_ids():
        article = Article.objects.get(pk=searcher.stored_fields(docnum)["django_id"])
        text = ArticleIndex().prepare_text(article)
        lengths[docnum] = sum(len(terms) for terms in positioned_terms("ru", text))
    having = sum(1 for n in lengths.values() if n)
    average = sum(lengths.values()) / having
    matcher = searcher.postings("text", term)
    tf = {}
    while matcher.is_active():
        tf[matcher.id()] = matcher.weight()
        matcher.next()
    idf = math.log(1 + (having - len(tf) + 0.5) / (len(tf) + 0.5))
    return {
        doc: idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * lucene_norm_length(lengths[doc]) / average))
        for doc, f in tf.items()
    }


def test_bm25_scores_are_opensearchs(clean_searcher):
    for term in ["конвенция", "данные"]:
        expected = expected_bm25(clean_searcher, term)
        scores = postings.bm25_scores(clean_searcher, [("text", term)])
        docs = postings.term_docs(clean_searcher, "text", term)
        assert set(np.flatnonzero(docs).tolist()) == set(expected)
        for doc, score in expected.items():
            assert scores[doc] == pytest.approx(score, rel=1e-9), doc
        assert len({round(s, 6) for s in expected.values()}) > 3  # lengths do differ


@pytest.mark.parametrize("length", [*range(0, 40), 63, 64, 65, 1000, 123_456, 2**31 - 1])
def test_lucene_lengths_as_lucene_keeps_them(length):
    assert postings.lucene_length(length) == lucene_norm_length(length)
    assert postings.lucene_lengths([length])[0] == lucene_norm_length(length)


def test_bm25_ranks_live_documents_only(searcher):
    reader = searcher.reader()
    for term in ["конвенция", "данные"]:
        docs = postings.term_docs(searcher, "text", term)
        ours = postings.best(postings.bm25_scores(searcher, [("text", term)]), docs, 10)
        assert len(ours) == 10
        assert not any(reader.is_deleted(d) for d, _s in ours)
        assert [s for _d, s in ours] == sorted((s for _d, s in ours), reverse=True)


def test_kept_postings_stay_under_their_bound(searcher, monkeypatch):
    monkeypatch.setattr(postings.kept, "limit", 200)
    postings.kept.clear()
    view = postings.SegmentsView.of(searcher)
    for term in WORDS:
        view.term("text", term)
    kept = postings.kept
    assert kept.size == sum(len(ids) for ids, _weights in kept.items.values())
    assert kept.size <= 200 or len(kept.items) == 1
    assert list(kept.items)[-1][2:] == ("text", WORDS[-1])  # the most recent stays
    before = len(kept.items)
    for n in range(50):  # words no article holds (typos, robots) take no room
        assert not len(view.term("text", f"нет-такого-{n}")[0])
    assert len(kept.items) == before


# --- masks against Whoosh's own matching, for any Boolean query ------------------------

VOCABULARY = ["альфа", "бета", "гамма", "дельта", "эпсилон", "зета"]


@pytest.fixture(scope="module")
def boolean_index(tmp_path_factory):
    """Three commits (segments), one of them in Whoosh's stock codec, and deletions in
    two: the masks must line up across segments and skip deleted documents."""
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.fields import ID, TEXT, Schema

    from search.engines.whoosh.codec import ArchiveCodec

    ix = whoosh_index.create_in(
        str(tmp_path_factory.mktemp("boolean")),
        Schema(id=ID(stored=True, unique=True), body=TEXT()),
    )
    for commit, codec in enumerate([ArchiveCodec(), W3Codec(), ArchiveCodec()]):
        writer = ix.writer(codec=codec)
        for n in range(commit * 200, commit * 200 + 200):
            writer.add_document(id=str(n), body=" ".join(sorted(words_of(n))))
        writer.commit(merge=False)
    writer = ix.writer(codec=ArchiveCodec())
    for n in [*range(0, 200, 7), *range(400, 600, 11)]:
        writer.delete_by_term("id", str(n))
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert reader.has_deletions()
        live = [
            (docnum, words_of(int(reader.stored_fields(docnum)["id"])))
            for docnum in reader.all_doc_ids()
        ]
        yield searcher, live


def queries():
    leaf = st.one_of(
        st.sampled_from(VOCABULARY).map(lambda w: wq.Term("body", w)),
        st.sampled_from(["а", "б", "г", "д", "э", "з", "ю"]).map(lambda p: wq.Prefix("body", p)),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(wq.And),
            st.lists(inner, min_size=1, max_size=3).map(wq.Or),
            st.tuples(inner, inner).map(lambda pair: wq.AndNot(*pair)),
        ),
        max_leaves=6,
    )


def words_of(n):
    return {w for i, w in enumerate(VOCABULARY) if n % (i + 2) == 0} or {"пусто"}


def holds(q, words):
    """What a query means, evaluated on one document's words."""
    if isinstance(q, wq.Term):
        return q.text in words
    if isinstance(q, wq.Prefix):
        return any(w.startswith(q.text) for w in words)
    if isinstance(q, wq.And):
        return all(holds(sub, words) for sub in q.subqueries)
    if isinstance(q, wq.Or):
        return any(holds(sub, words) for sub in q.subqueries)
    return holds(q.a, words) and not holds(q.b, words)  # AndNot


@settings(max_examples=150, deadline=None)
@given(q=queries())
def test_masks_match_what_the_query_means(boolean_index, q):
    # The oracle is the query's meaning, not Whoosh: Whoosh 2.7.4's own AndNot returns
    # documents it should exclude once a segment has deletions (AndNot(гамма, альфа)
    # gave [4] though every document with «гамма» has «альфа»).
    searcher, live = boolean_index
    expected = [docnum for docnum, words in live if holds(q, words)]
    assert np.flatnonzero(engine.mask_of(searcher, q)).tolist() == expected, q
