"""Query syntax and filters: all words by default, "phrases", -exclusions, OR, prefixes,
filters by rubric, tag kind and dates, and sorting."""

from datetime import datetime

import pytest
from django.utils import timezone

from archive.models import Tag
from search.query import parse

from . import search_support
from .factories import ArticleFactory, RubricFactory, SourceFactory, TagFactory
from .search_support import api, module_archive, titles

fresh_state = search_support.fresh_state


def baku(*args):
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


CYBER = "Конвенция против киберпреступности принята"
CHILD = "Конвенция о правах ребёнка"
ATTACKS = "Против кибератак: новая стратегия"
BANKS = "Киберпреступники атаковали банки в Ханое"
RIGHTS = "Ребёнка лишили права голоса"
NEW_YEAR = "Праздник в Баку: конвенция отложена"


def build():
    ikt = RubricFactory(name_ru="ИКТ", slug="ikt")
    society = RubricFactory(name_ru="Общество", slug="society")
    apa = SourceFactory(name="APA")
    topic = TagFactory(name_ru="кибербезопасность", slug="cybersecurity")
    person = TagFactory(name_ru="Гасан Мансуров", slug="gasan-mansurov", kind=Tag.Kind.PERSON)
    org = TagFactory(name_ru="ООН", slug="oon", kind=Tag.Kind.ORGANISATION)
    place = TagFactory(name_ru="Баку", slug="baku", kind=Tag.Kind.PLACE)
    rows = [
        (CYBER, ikt, baku(2024, 8, 9, 12), [topic, person, org]),
        (CHILD, society, baku(2020, 1, 10, 9), [org]),
        (ATTACKS, ikt, baku(2023, 5, 5, 10), [topic]),
        (BANKS, ikt, baku(2022, 3, 1, 10), [topic, place]),
        (RIGHTS, society, baku(2021, 6, 1, 10), []),
        # 1 January, 02:00 in Baku is still 31 December in UTC: the newsroom's year counts
        (NEW_YEAR, society, baku(2025, 1, 1, 2), [place]),
    ]
    for title, rubric, published_at, tags in rows:
        ArticleFactory(
            title_ru=title,
            lead_ru="",
            body_ru=f"<p>{title}.</p>",
            rubric=rubric,
            source=apa,
            published_at=published_at,
            tags=tags,
        )


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]


def found(client, q="", **params):
    return set(titles(client, q, **params))


# --- words, phrases, exclusions, OR, prefixes --------------------------------------------


def test_every_word_must_match_by_default(client):
    assert found(client, "конвенция киберпреступность") == {CYBER}
    assert found(client, "конвенция") == {CYBER, CHILD, NEW_YEAR}


def test_when_no_article_has_every_word_those_with_most_words_come_first(client):
    response = client.get("/api/search/", {"q": "конвенция ребёнка кибератаки отложена"})
    data = response.json()
    assert data["match"] == "any"
    assert data["messages"] == [
        "Ни одна статья не содержит всех слов; вот статьи, где есть часть из них, "
        "сначала те, где больше."
    ]
    titles_in_order = [r["title"] for r in data["results"]]
    # CHILD and NEW_YEAR hold two of the four words, ATTACKS one; RIGHTS one (ребёнка).
    assert set(titles_in_order[:2]) == {CHILD, NEW_YEAR}
    assert set(titles_in_order) == {CHILD, NEW_YEAR, ATTACKS, RIGHTS, CYBER}
    assert client.get("/api/search/", {"q": "конвенция киберпреступность"}).json()["match"] == "all"


def test_a_quoted_phrase_matches_the_words_together_in_any_form(client):
    assert found(client, '"права ребёнка"') == {CHILD}
    assert found(client, "права ребёнка") == {CHILD, RIGHTS}
    assert found(client, '"против киберпреступности"') == {CYBER}
    assert found(client, '"киберпреступность против"') == set()


def test_minus_excludes_a_word_in_any_form(client):
    assert found(client, "конвенция -ребёнок") == {CYBER, NEW_YEAR}
    assert found(client, "конвенция -детей -Баку") == {CYBER}
    assert found(client, 'конвенция -"права ребёнка"') == {CYBER, NEW_YEAR}
    assert found(client, "конвенция NOT ребёнка") == {CYBER, NEW_YEAR}


def test_or_accepts_either_word(client):
    assert found(client, "Ханой OR Баку") == {BANKS, NEW_YEAR}
    assert found(client, "ханое ИЛИ баку") == {BANKS, NEW_YEAR}
    assert found(client, "конвенция ребёнок OR киберпреступность") == {CYBER, CHILD}


def test_a_star_searches_by_the_beginning_of_a_word(client):
    assert found(client, "кибер*") == {CYBER, ATTACKS, BANKS}
    assert found(client, "Кибер*") == {CYBER, ATTACKS, BANKS}
    assert found(client, "кибер* конвенция") == {CYBER}
    # too short a beginning would expand to half the dictionary: read as a word
    assert parse("к*").clauses()[0].prefix is False


def test_the_parser_reads_the_syntax():
    parsed = parse('конвенция "права ребёнка" -Баку Ханой OR Москва кибер*')
    assert parsed.text == 'конвенция "права ребёнка" Ханой OR Москва кибер* -Баку'
    assert [c.text for c in parsed.excluded] == ["Баку"]
    assert len(parsed.groups) == 4  # конвенция, phrase, (Ханой OR Москва), кибер*


@pytest.mark.parametrize(
    "text, expected",
    [
        ('"незакрытая кавычка', '"незакрытая кавычка"'),  # a phrase to the end
        ("(скобка", "скобка"),
        ("AND", ""),
        ("OR конвенция", "конвенция"),
        ("-", ""),
        ("*", ""),
        ("title:конвенция", "title конвенция"),
        ("конвенция\x00ООН", "конвенция ООН"),
    ],
)
def test_odd_syntax_is_read_as_plain_words(text, expected):
    assert parse(text).text == expected


# --- filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"rubric": "ikt"}, {CYBER, ATTACKS, BANKS}),
        ({"rubric": "society"}, {CHILD, RIGHTS, NEW_YEAR}),
        ({"tag": "cybersecurity"}, {CYBER, ATTACKS, BANKS}),
        ({"person": "gasan-mansurov"}, {CYBER}),
        ({"organisation": "oon"}, {CYBER, CHILD}),
        ({"place": "baku"}, {BANKS, NEW_YEAR}),
        ({"source": "apa"}, {CYBER, CHILD, ATTACKS, BANKS, RIGHTS, NEW_YEAR}),
        ({"from": "2023-01-01"}, {CYBER, ATTACKS, NEW_YEAR}),
        ({"to": "2021-06-01"}, {CHILD, RIGHTS}),
        ({"from": "2022-01-01", "to": "2023-12-31"}, {ATTACKS, BANKS}),
    ],
)
def test_filters_narrow_the_results_without_a_query(client, params, expected):
    assert found(client, **params) == expected


def test_filters_combine_with_each_other_and_the_query(client):
    assert found(client, "конвенция", rubric="ikt") == {CYBER}
    assert found(client, "кибер*", tag="cybersecurity", place="baku") == {BANKS}
    assert found(client, "конвенция", organisation="oon", **{"from": "2021-01-01"}) == {CYBER}


def test_dates_are_the_newsrooms_days(client):
    # Published at 02:00 on 1 January 2025 in Baku (22:00 on 31 December in UTC).
    assert NEW_YEAR in found(client, **{"from": "2025-01-01", "to": "2025-01-01"})
    assert NEW_YEAR not in found(client, **{"from": "2024-12-31", "to": "2024-12-31"})
    years = {f["value"]: f["count"] for f in api(client, q="Баку")["facets"]["year"]}
    assert years == {"2025": 1, "2022": 1}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_are_ignored_with_a_message(client, day):
    # Year 1 at midnight in Baku is before year 1 in UTC: it used to be a 500.
    for path in ("/search/", "/api/search/", "/search/feed/"):
        assert client.get(path, {"q": "конвенция", "from": day, "to": day}).status_code == 200
    data = api(client, q="конвенция", **{"from": day})
    assert {r["title"] for r in data["results"]} == {CYBER, CHILD, NEW_YEAR}
    assert len(data["messages"]) == 1


def test_a_filter_that_is_not_a_slug_or_date_is_ignored_with_a_message(client):
    data = api(client, q="конвенция", rubric="<b>ikt</b>", **{"from": "вчера"})
    assert {r["title"] for r in data["results"]} == {CYBER, CHILD, NEW_YEAR}
    assert len(data["messages"]) == 2
    assert any(m.startswith("рубрика: ") for m in data["messages"])


def test_an_end_before_the_start_is_dropped_with_a_message(client):
    data = api(client, **{"from": "2024-01-01", "to": "2020-01-01"})
    assert {r["title"] for r in data["results"]} == {CYBER, NEW_YEAR}
    assert data["messages"]


def test_an_unknown_filter_value_finds_nothing(client):
    assert found(client, rubric="no-such-rubric") == set()


# --- sorting -----------------------------------------------------------------------------


def test_sort_by_date_puts_the_newest_first(client):
    data = api(client, q="конвенция OR кибер*", sort="date")
    dates = [r["published_at"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert data["results"][0]["title"] == NEW_YEAR


def test_relevance_is_the_default_order(client):
    # The article that has both words twice (title and body) comes before one-word hits.
    data = api(client, q="конвенция OR ребёнок")
    assert data["results"][0]["title"] == CHILD
    assert [
        r["title"] for r in api(client, q="конвенция OR ребёнок", sort="relevance")["results"]
    ] == [r["title"] for r in data["results"]]


def test_an_unknown_sort_falls_back_to_relevance_with_a_message(client):
    data = api(client, q="конвенция", sort="random")
    assert data["count"] == 3
    assert data["messages"]
