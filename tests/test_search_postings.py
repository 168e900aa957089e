"""search.postings and search.codec read postings blocks whole, as arrays: they must
agree with Whoosh's own matchers on a real index with several segments and deleted
documents, and with Whoosh's own BM25 scores."""

import numpy as np
import pytest
from whoosh import query as wq

from archive.models import Article
from search import engine, postings

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
    ids, weights = postings.View.of(searcher).term("text", "конвенция")
    assert dict(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
    assert max(expected.values()) > 1


def test_bm25_scores_as_whoosh_does(clean_searcher):
    for term in ["конвенция", "данные"]:
        docs = postings.term_docs(clean_searcher, "text", term)
        ours = postings.top_by_bm25(clean_searcher, [("text", term)], docs, 10)
        theirs = clean_searcher.search(wq.Term("text", term), limit=10)
        assert [d for d, _s in ours] == [hit.docnum for hit in theirs]
        for (_d, score), hit in zip(ours, theirs, strict=True):
            assert score == pytest.approx(hit.score, rel=1e-9)


def test_bm25_ranks_as_whoosh_does_with_deleted_documents(searcher):
    # Scores differ a little here: Whoosh's document frequency still counts deleted
    # documents until a merge; ours counts the live ones.
    for term in ["конвенция", "данные"]:
        docs = postings.term_docs(searcher, "text", term)
        ours = postings.top_by_bm25(searcher, [("text", term)], docs, 10)
        theirs = searcher.search(wq.Term("text", term), limit=10)
        assert [d for d, _s in ours] == [hit.docnum for hit in theirs]


def test_kept_postings_stay_under_their_bound(searcher, monkeypatch):
    monkeypatch.setattr(postings, "POSTINGS_KEPT", 200)
    postings.kept.clear()
    view = postings.View.of(searcher)
    for term in WORDS:
        view.term("text", term)
    kept = postings.kept
    assert kept.size == sum(len(ids) for ids, _weights in kept.items.values())
    assert kept.size <= 200 or len(kept.items) == 1
    assert list(kept.items)[-1][1:] == ("text", WORDS[-1])  # the most recent stays
