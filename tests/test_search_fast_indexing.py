"""Indexing speed-ups that must not change what is indexed: the one-pass analyzers
(search.engines.whoosh.backend.FastAnalyzer) yield exactly the tokens of the analyzer chains in
search.analysis, and a large batch written by several processes ends up the same."""

import gzip
import json
import random
from pathlib import Path

import pytest
from haystack import connections
from whoosh.fields import KEYWORD
from whoosh.formats import Frequency, Positions

from archive import demo
from search import rebuild as rebuild_module
from search.analysis import title_starts
from search.engines.whoosh import backend as backends
from search.engines.whoosh import searching as engine
from search.engines.whoosh.analyzers import AzerbaijaniAnalyzer, EnglishAnalyzer, RussianAnalyzer
from search.engines.whoosh.backend import FastAnalyzer, FastKeywords, FastPositions
from search.indexing import index_articles

from .factories import ArticleFactory
from .search_support import api

CHAINS = {"ru": RussianAnalyzer, "az": AzerbaijaniAnalyzer, "en": EnglishAnalyzer}
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ru-news-001.jsonl.gz"
TRICKY = [
    "",
    "   ",
    "Нью-Йорк и информационно-коммуникационных, O'Neil’s F-строки — ёлка Ёж ЁЛКИ",
    "Не будет служить ни без нет, и в на с по для",
    "İstanbul Gəncə BMT-nin ŞİRKƏT ağ-qara i̇ I",
    "a I an the state-of-the-art on-the-fly x-ray A-1 5-й 2024-го 1917 _ __init__",
    "стали сталь Мансуров Мансур людей человек ООН-а -- - ' ’",
    "конвенция Конвенции КОНВЕНЦИЯМИ кибер* «кавычки» (скобки) 3,5 %",
]
OPTIONS = [
    {},
    {"positions": True, "mode": "index"},
    {"positions": True, "chars": True, "start_pos": 7, "start_char": 3},
    {"mode": "query"},
    {"positions": True, "removestops": False},
    {"positions": True, "tokenize": False},
    {"chars": True, "keeporiginal": True},
]


def tokens(analyzer, text, **options):
    fields = ("text", "pos", "startchar", "endchar", "stopped", "boost", "original")
    return [tuple(getattr(t, f, None) for f in fields) for t in analyzer(text, **options)]


def texts():
    out = list(TRICKY)
    for article in demo.generate(5, seed=3, words=120):
        out += [*article["title"], *article["lead"], *article["body"]]
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            out += [json.loads(line)["body"] for _, line in zip(range(40), lines, strict=False)]
    rng = random.Random(5)
    alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяЁАБВ-'’ əışçğöüİ aeiouxyz019_ ,."
    out += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(300)]
    return out


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_fast_analyzer_yields_the_chains_tokens(lang):
    fast, chain = FastAnalyzer(lang), CHAINS[lang]()
    for text in texts():
        for options in OPTIONS:
            assert tokens(fast, text, **options) == tokens(chain, text, **options), (text, options)


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_fast_positions_write_the_same_postings(lang):
    fast, chain = FastAnalyzer(lang), CHAINS[lang]()
    for boost in (1.0, 2.5):
        for text in texts():
            ours = FastPositions(field_boost=boost).word_values(text, fast, mode="index")
            theirs = Positions(field_boost=boost).word_values(text, chain, mode="index")
            assert list(ours) == list(theirs), text


@pytest.mark.django_db(transaction=True)
def test_a_large_batch_is_written_by_several_processes_completely(
    search_index, monkeypatch, client
):
    monkeypatch.setattr(backends, "MULTIPROCESS_MIN_DOCS", 5)
    monkeypatch.setattr(backends, "INDEX_PROCS", 2)
    articles = [ArticleFactory(title_ru=f"Урожай винограда {n}") for n in range(12)]
    pks = [a.pk for a in articles]
    for _ in range(2):  # written again: replaced, not duplicated
        index_articles(pks, batch_size=4)
        reader = connections["default"].get_backend().index.reader()
        assert reader.doc_count() == 12
        assert sorted(int(f["django_id"]) for f in reader.all_stored_fields()) == sorted(pks)
        engine.searchers.reset()
        assert api(client, q="виноград")["count"] == 12


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_commits_in_parts_and_loses_no_article(search_index, monkeypatch, client):
    # Whoosh's writers sort pooled postings at commit: bulk writes commit every
    # SEGMENT_DOCS articles so that cost stays that of one part (README, Performance).
    monkeypatch.setattr(backends, "MULTIPROCESS_MIN_DOCS", 5)
    monkeypatch.setattr(backends, "SEGMENT_DOCS", 10)
    articles = [ArticleFactory(title_ru=f"Урожай винограда {n}") for n in range(25)]
    outcome = rebuild_module.rebuild(batch_size=4)
    assert outcome.documents == 25
    engine.searchers.reset()
    reader = engine.searchers.get().reader()
    assert len(list(reader.leaf_readers())) >= 3  # one commit per part of ten
    assert sorted(int(f["django_id"]) for f in reader.all_stored_fields()) == sorted(
        a.pk for a in articles
    )
    assert api(client, q="виноград")["count"] == 25


@pytest.mark.parametrize(
    "titles",
    [("Конвенция ООН против киберпреступности", "BMT Konvensiyası", "UN Convention"), ("", "")],
)
def test_title_beginnings_are_indexed_as_whooshs_keyword_field_would(titles):
    value = ",".join(title_starts(*titles))
    field = KEYWORD(commas=True)
    expected = sorted(Frequency().word_values(value, field.analyzer, mode="index"))
    assert sorted(FastKeywords().word_values(value, field.analyzer, mode="index")) == expected
    assert {w for w, *_ in expected} >= ({"ко", "конве", "bmt", "un"} if titles[0] else set())
