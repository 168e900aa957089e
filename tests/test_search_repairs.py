"""When nothing or little matches: a typo, the wrong keyboard layout or a name in Latin
letters is repaired from the archive's own vocabulary; the page says what it searched
instead and links what the reader typed."""

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.engines.distance import edit_distance
from search.query import fix_layout, latin_to_cyrillic

from . import search_support
from .factories import ArticleFactory, RubricFactory
from .search_support import api, module_archive

fresh_state = search_support.fresh_state

CONVENTIONS = 12  # more than ten times any typo's count, so the typo is worth replacing


def build():
    rubric = RubricFactory(slug="ikt")
    for n in range(CONVENTIONS):
        ArticleFactory(
            title_ru=f"Конвенция номер {n}",
            lead_ru="",
            body_ru="<p>Борьба с киберпреступностью и конвенция.</p>",
            rubric=rubric,
        )
    ArticleFactory(title_ru="Гасан Мансуров выступил", lead_ru="", body_ru="<p>Речь.</p>")
    ArticleFactory(title_ru="Погода в Баку", lead_ru="", body_ru="<p>Жарко.</p>")
    # One article with a typo of its own: the typo finds it, and the fix is offered.
    ArticleFactory(title_ru="Опечатка: конвенцыя", lead_ru="", body_ru="<p>Бывает.</p>")
    return {"rubric": rubric.slug}


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]


@pytest.mark.parametrize(
    "typed, searched",
    [
        ("киберпреступнось", "киберпреступность"),
        ("rjydtywbz", "конвенция"),
        ("mansurov", "Мансуров"),
        ("Mansurova", "Мансурова"),
        (",fre", "Баку"),  # «б» is the comma key
        ("<fre", "Баку"),
    ],
)
def test_a_query_that_finds_nothing_is_repaired_and_searched(client, typed, searched):
    data = api(client, q=typed)
    assert data["query"] == searched
    assert data["suggestion"] == searched
    assert data["original_query"] == typed
    assert data["count"] >= 1


def test_a_repair_keeps_the_rest_of_the_query_and_filters(client, archive):
    data = api(client, q="rjydtywbz киберпреступнось -опечатка", rubric=archive["rubric"])
    assert data["query"] == "конвенция киберпреступность -опечатка"
    assert data["count"] == CONVENTIONS


def test_a_known_word_is_not_repaired(client):
    data = api(client, q="конвенция")
    assert data["suggestion"] is None and data["original_query"] is None
    assert data["count"] == CONVENTIONS


def test_a_little_found_is_kept_and_the_repair_offered(client):
    data = api(client, q="конвенцыя")
    assert [r["title"] for r in data["results"]] == ["Опечатка: конвенцыя"]
    assert data["suggestion"] == "конвенция"
    assert data["original_query"] is None


def test_nonsense_gets_no_suggestion(client):
    data = api(client, q="ззззззщщщ qqqqxxxx")
    assert data["count"] == 0 and data["suggestion"] is None


def test_the_page_says_what_was_searched_and_links_the_original(client):
    response = client.get("/search/", {"q": "rjydtywbz"})
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    notice = next(p for p in doc.iter("p") if p.get("role") == "status")
    text = "".join(notice.itertext())
    assert "«конвенция»" in text and "«rjydtywbz»" in text
    link = notice.find(".//a").get("href")
    assert link == "/search/?q=rjydtywbz&exact=1"
    # The original, searched as typed: nothing found, and no repair again.
    original = client.get(link)
    assert "«конвенция»" not in original.content.decode()
    assert "Ничего не найдено" in original.content.decode()
    assert client.get("/api/search/", {"q": "rjydtywbz", "exact": "1"}).json()["count"] == 0


def test_the_page_offers_a_repair_as_did_you_mean(client):
    page = client.get("/search/", {"q": "конвенцыя"}).content.decode()
    assert "Возможно, вы имели в виду" in page
    assert 'href="/search/?q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F"' in page


def test_the_english_page_links_its_own_search(client):
    data = api(client, prefix="/en", q="rjydtywbz")
    assert data["query"] == "конвенция"
    page = client.get("/en/search/", {"q": "rjydtywbz"}).content.decode()
    assert 'href="/en/search/?q=rjydtywbz&amp;exact=1"' in page


@pytest.mark.parametrize(
    "latin, cyrillic",
    [
        ("mansurov", "мансуров"),
        ("aliyev", "алиев"),
        ("zelensky", "зеленский"),
        ("khanoy", "ханой"),
        ("shchukin", "щукин"),
        ("rossiya", "россия"),
    ],
)
def test_latin_spellings_of_russian_names(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


def test_the_keyboard_layout_repair():
    assert fix_layout("rjydtywbz") == "конвенция"
    assert fix_layout("Vjcrdf") == "Москва"
    assert fix_layout(",fre") == "баку"
    assert fix_layout("конвенция") is None


def table_distance(a, b):
    """Levenshtein distance by the textbook table, as the oracle."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@settings(max_examples=400, deadline=None)
@given(a=st.text("абвгдеёжз", max_size=12), b=st.text("абвгдеёжз", max_size=12))
def test_edit_distance_is_levenshteins(a, b):
    assert edit_distance(a, b) == table_distance(a, b)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("конвенция", "конвенция", 0),
        ("конвенция", "канвенция", 1),
        ("конвенция", "конвенцыя", 1),
        ("конвенция", "конвенци", 1),
        ("конвенция", "коонвенция", 1),
        ("конвенция", "конвенциия", 1),
        ("конвенция", "кнвенциия", 2),
        ("киберпреступность", "преступность", 5),
        ("", "сеть", 4),
    ],
)
def test_edit_distance_of_typos(a, b, distance):
    assert edit_distance(a, b) == distance == edit_distance(b, a)
