"""search.engines.whoosh.postings and .codec read postings blocks whole, as arrays: they must
agree with Whoosh's own matchers on a real index with several segments and deleted
documents, and with Whoosh's own BM25 scores."""

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


def test_bm25_scores_as_whoosh_does(clean_searcher):
    for term in ["конвенция", "данные"]:
        docs = postings.term_docs(clean_searcher, "text", term)
        ours = postings.best(postings.bm25_scores(clean_searcher, [("text", term)]), docs, 10)
        theirs = clean_searcher.search(wq.Term("text", term), limit=10)
        assert [d for d, _s in ours] == [hit.docnum for hit in theirs]
        for (_d, score), hit in zip(ours, theirs, strict=True):
            assert score == pytest.approx(hit.score, rel=1e-9)


def test_bm25_ranks_as_whoosh_does_with_deleted_documents(searcher):
    # Scores differ a little here: Whoosh's document frequency still counts deleted
    # documents until a merge; ours counts the live ones.
    for term in ["конвенция", "данные"]:
        docs = postings.term_docs(searcher, "text", term)
        ours = postings.best(postings.bm25_scores(searcher, [("text", term)]), docs, 10)
        theirs = searcher.search(wq.Term("text", term), limit=10)
        assert [d for d, _s in ours] == [hit.docnum for hit in theirs]


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
