"""What a search or a suggestion may cost is bounded by design: a prefix stands for its
most frequent words only (engine.PREFIX_TERMS, engine.QUERY_TERMS), whatever the size
of the vocabulary, and the reader is told when that cap applied.

The archive here holds many words beginning «пр» (as a real archive does: 1,687 in the
shared corpus), so reading each one's postings shows in the count of postings reads."""

import random

import pytest
from whoosh.reading import SegmentReader

from search.engines.whoosh import searching as engine
from search.query import MAX_CLAUSES, MAX_PHRASE_WORDS, parse

from . import search_support
from .factories import ArticleFactory
from .search_support import module_archive

fresh_state = search_support.fresh_state

LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"
PREFIXED_WORDS = 300


def made_up_words(count, head, rng):
    words = set()
    while len(words) < count:
        words.add(head + "".join(rng.choice(LETTERS) for _ in range(6)))
    return sorted(words)


def build():
    rng = random.Random(7)
    words = made_up_words(PREFIXED_WORDS, "пр", rng)
    # «провод» is the most frequent «пр» word: it must be among those searched.
    for n in range(0, PREFIXED_WORDS, 3):
        body = " ".join(["провод", *words[n : n + 3], "сеть"])
        title = f"Заметка {n} {words[n]}"
        ArticleFactory(title_ru=title, body_ru=f"<p>{body}.</p>", slug=f"zametka-{n}")
    return words


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive"), pytest.mark.whoosh_only]


@pytest.fixture
def postings_reads(monkeypatch):
    """How many term postings the index is asked for (Whoosh's and our own reads)."""
    reads = []
    original = SegmentReader.postings

    def counting(self, fieldname, text, *args, **kwargs):
        reads.append((fieldname, text))
        return original(self, fieldname, text, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "postings", counting)
    return reads


def test_a_prefix_stands_for_its_most_frequent_words_only(postings_reads):
    outcome = engine.search_text("пр*")
    assert outcome.capped
    assert len(outcome.terms["ru"]) == engine.PREFIX_TERMS
    assert "провод" in outcome.terms["ru"]
    assert outcome.total == PREFIXED_WORDS // 3  # «провод» is in every article
    assert len({t for t in postings_reads if t[0] == "text"}) == engine.PREFIX_TERMS


def test_a_short_prefix_that_fits_is_whole_and_not_capped(archive):
    rare = archive[0]
    outcome = engine.search_text(rare[:5] + "*")
    assert not outcome.capped
    assert rare in outcome.terms["ru"]


def test_twelve_prefixes_cost_at_most_the_query_budget(postings_reads):
    text = " OR ".join(["пр*", "про*", "пра*", "пре*", "при*", "пру*"] * 2)
    outcome = engine.search(parse(text))
    assert outcome.capped
    distinct = {t for t in postings_reads if t[0] == "text"}
    assert len(distinct) <= engine.QUERY_TERMS


def test_the_page_says_when_the_cap_applied(client):
    response = client.get("/api/search/", {"q": "пр*"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == PREFIXED_WORDS // 3
    assert any("32" in m and "звёздочкой" in m for m in data["messages"]), data["messages"]
    page = client.get("/search/", {"q": "пр*"}).content.decode()
    assert "32 самых частых" in page


def test_a_query_without_prefixes_has_no_cap_message(client):
    data = client.get("/api/search/", {"q": "провод"}).json()
    assert data["count"] == PREFIXED_WORDS // 3
    assert not any("звёздочкой" in m for m in data["messages"]), data["messages"]


def test_suggestions_for_two_letters_read_one_term(client, postings_reads):
    response = client.get("/api/suggest/", {"q": "пр"})
    assert response.status_code == 200
    titles = [s["label"] for s in response.json()["suggestions"]]
    assert len(titles) == 8 and all(t.startswith("Заметка") for t in titles)
    # Before, Whoosh's own search read the postings of every one of the 301 «пр» words.
    assert {t for t in postings_reads} == {("title_starts", "пр")}


def test_suggestions_complete_the_last_word_among_the_words_before_it(client, archive):
    beginning = archive[3][:4]  # article 3's title word
    response = client.get("/api/suggest/", {"q": f"сеть {beginning}"})
    titles = [s["label"] for s in response.json()["suggestions"]]
    assert f"Заметка 3 {archive[3]}" in titles
    assert all(beginning in t for t in titles)
    response = client.get("/api/suggest/", {"q": f"кошка {beginning}"})  # in no text
    assert [s for s in response.json()["suggestions"] if s["kind"] == "статья"] == []


def test_every_alternative_of_an_or_group_counts_against_the_clause_cap():
    parsed = parse(" OR ".join(f"слово{n}" for n in range(25)))
    assert parsed.truncated
    assert sum(len(group) for group in parsed.groups) == MAX_CLAUSES


def test_phrases_past_the_second_are_searched_as_their_words():
    parsed = parse('"провод сеть" "красный дом" "синее море"')
    phrases = [c for c in parsed.clauses() if len(c.words) > 1]
    assert [c.words for c in phrases] == [("провод", "сеть"), ("красный", "дом")]
    assert {c.words for c in parsed.clauses()} >= {("синее",), ("море",)}
    long = parse('"' + " ".join(f"слово{n}" for n in range(20)) + '"')
    assert [len(c.words) for c in long.clauses()] == [MAX_PHRASE_WORDS]


def test_a_phrase_of_common_words_is_checked_in_order_only_where_few_enough(client, monkeypatch):
    # «провод … сеть»: both words in every article, never side by side.
    assert client.get("/api/search/", {"q": '"провод сеть"'}).json()["count"] == 0
    monkeypatch.setattr(engine, "PHRASE_CANDIDATES", 5)
    data = client.get("/api/search/", {"q": '"провод сеть"'}).json()
    assert data["count"] == PREFIXED_WORDS // 3
    assert any("в любом порядке" in m for m in data["messages"]), data["messages"]
