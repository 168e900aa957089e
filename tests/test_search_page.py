"""The search page a reader reads: numbered pages (Django's elided page range), counts
in each language's plural forms, filter chips in plain words, and an empty page that
offers what to try instead (other words, fewer filters, the name in other languages),
with no feed to follow. The Django client on a real index."""

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from archive.models import Tag
from search import service, suggest
from search.management.engine_calls import counting
from search.periods import az_ordinal, period

from . import search_support
from .factories import ArticleFactory, RubricFactory, TagFactory
from .pages_support import head_links, parse_html, text_of
from .search_support import module_archive

fresh_state = search_support.fresh_state

MANY = 45
QUERY = "%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F"  # «конвенция» in a URL
# Words found in exactly this many articles: the plural forms of each language.
COUNTED = {"альфа": 1, "бета": 2, "гамма": 5, "дельта": 21}


def baku(*args):
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


def build():
    rubrics = [RubricFactory(name_ru="Право", slug="law"), RubricFactory(name_ru="ИКТ", slug="ikt")]
    topic = TagFactory(name_ru="Права человека", slug="human-rights")
    place = TagFactory(
        name_ru="Баку", name_az="Bakı", name_en="Baku", slug="baku", kind=Tag.Kind.PLACE
    )
    # No article is tagged with Ganja; one English article names it.
    TagFactory(
        name_ru="Гянджа", name_az="Gəncə", name_en="Ganja", slug="ganja", kind=Tag.Kind.PLACE
    )
    for n in range(MANY):
        # Baku's articles are those of 2021 (n % 3 == 1): no article of 2020 has the tag.
        ArticleFactory(
            title_ru=f"Конвенция, выпуск {n}",
            lead_ru="",
            body_ru=f"<p>Текст о конвенции номер {n}.</p>",
            rubric=rubrics[n % 2],
            published_at=baku(2020 + n % 3, 1 + n % 12, 1 + n % 28, 10),
            tags=[topic] if n % 3 == 0 else [topic, place] if n % 3 == 1 else [],
        )
    for word, count in COUNTED.items():
        for n in range(count):
            ArticleFactory(title_ru=f"Заметка {n}", lead_ru="", body_ru=f"<p>Слово {word}.</p>")
    ArticleFactory(
        title_ru="",
        lead_ru="",
        body_ru="",
        title_en="Ganja hosts a chess festival",
        body_en="<p>The city of Ganja welcomed players.</p>",
    )


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]


def page(client, prefix="", **params):
    response = client.get(f"{prefix}/search/", params)
    assert response.status_code == 200, response.status_code
    return parse_html(response)


def pagination(doc):
    [nav] = [n for n in doc.iter("nav") if "search-pages" in n.get("class", "")]
    return nav


def items(nav):
    return [text_of(li) for li in nav.iter("li")]


def summary(doc):
    [count] = [p for p in doc.iter("p") if "search-count" in p.get("class", "").split()]
    return text_of(count)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(service, "PER_PAGE", 2)  # 45 results: 23 pages


# --- numbered pages ----------------------------------------------------------------


def test_the_first_page_numbers_the_pages_with_gaps(client, small_pages):
    nav = pagination(page(client, q="конвенция"))
    assert items(nav) == ["1", "2", "3", "…", "23", "Дальше →"]
    current = [a for a in nav.iter("a") if a.get("aria-current")]
    assert [(a.text, a.get("aria-current"), a.get("href")) for a in current] == [
        ("1", "page", f"/search/?q={QUERY}")
    ]
    links = {a.text: a.get("href") for a in nav.iter("a")}
    assert links["23"] == f"/search/?q={QUERY}&page=23"
    assert links["Дальше →"] == f"/search/?q={QUERY}&page=2"
    assert nav.find(".//a[@rel='prev']") is None


def test_page_two_has_its_number_current_and_page_one_without_a_parameter(client, small_pages):
    response = client.get("/search/", {"q": "конвенция", "page": "2"})
    doc = parse_html(response)
    nav = pagination(doc)
    assert items(nav) == ["← Назад", "1", "2", "3", "4", "…", "23", "Дальше →"]
    [current] = [a for a in nav.iter("a") if a.get("aria-current") == "page"]
    assert current.text == "2" and current.get("aria-label") == "Страница 2"
    assert nav.find(".//a[@rel='prev']").get("href") == f"/search/?q={QUERY}"
    assert nav.find(".//a[@rel='next']").get("href") == f"/search/?q={QUERY}&page=3"
    assert summary(doc) == "Найдено 45 статей · страница 2 из 23"
    assert doc.find(".//title").text.startswith("конвенция — Страница 2 — Поиск")
    assert len([a for a in doc.iter("article") if a.get("class") == "search-hit"]) == 2
    [canonical] = head_links(doc, "canonical")
    assert canonical["href"] == f"http://testserver/search/?q={QUERY}&page=2"


def test_a_page_in_the_middle_shows_its_neighbours_and_both_ends(client, small_pages):
    nav = pagination(page(client, q="конвенция", page="12", sort="date"))
    assert items(nav)[1:-1] == ["1", "…", "10", "11", "12", "13", "14", "…", "23"]
    # Every link keeps the search and its order.
    assert all("sort=date" in a.get("href") for a in nav.iter("a"))


def test_the_last_page_and_beyond_it(client, small_pages):
    nav = pagination(page(client, q="конвенция", page="23"))
    assert items(nav) == ["← Назад", "1", "…", "21", "22", "23"]
    assert nav.find(".//a[@rel='next']") is None
    for beyond in ("24", "100", "0", "-1", "abc", "1.5", "²", "01x"):
        response = client.get("/search/", {"q": "конвенция", "page": beyond})
        assert response.status_code == 404, beyond


def test_one_page_of_results_has_no_page_numbers(client):
    doc = page(client, q="гамма")
    assert not [n for n in doc.iter("nav") if "search-pages" in n.get("class", "")]


# --- counts in each language's plural forms ------------------------------------------


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("", ["Найдена 1 статья", "Найдено 2 статьи", "Найдено 5 статей", "Найдена 21 статья"]),
        ("/az", ["1 məqalə tapıldı", "2 məqalə tapıldı", "5 məqalə tapıldı", "21 məqalə tapıldı"]),
        (
            "/en",
            ["1 article found", "2 articles found", "5 articles found", "21 articles found"],
        ),
    ],
)
def test_the_count_reads_right_in_each_language(client, prefix, expected):
    assert [summary(page(client, prefix, q=word)) for word in COUNTED] == expected
    assert (
        summary(page(client, prefix, q="конвенция"))
        == {
            "": "Найдено 45 статей",
            "/az": "45 məqalə tapıldı",
            "/en": "45 articles found",
        }[prefix]
    )


def test_suggestions_count_themselves_for_a_screen_reader():
    with translation.override("ru"):
        said = [suggest.status([{}] * n) for n in (1, 2, 5, 21)]
        assert suggest.status([]) == "Подсказок нет."
    assert [s.split(":")[0] for s in said] == [
        "1 подсказка",
        "2 подсказки",
        "5 подсказок",
        "21 подсказка",
    ]
    assert said[0].endswith("стрелки вверх и вниз — выбрать, Enter — открыть.")
    with translation.override("az"):
        assert suggest.status([{}] * 3).startswith("3 təklif:")
    with translation.override("en"):
        assert suggest.status([{}]).startswith("1 suggestion:")
        assert suggest.status([{}] * 3).startswith("3 suggestions:")


# --- filter chips in plain words -----------------------------------------------------


def chips(doc):
    [chip_list] = [u for u in doc.iter("ul") if u.get("class") == "search-active"]
    return [text_of(li).removesuffix(" ×") for li in chip_list.iter("li")]


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("", ["Рубрика: ИКТ", "Место: Баку", "2021 год"]),
        ("/az", ["Rubrika: ИКТ", "Məkan: Bakı", "2021-ci il"]),  # no Azerbaijani name
        ("/en", ["Rubric: ИКТ", "Place: Baku", "2021"]),
    ],
)
def test_chips_say_the_filters_in_plain_words(client, prefix, expected):
    params = {"rubric": "ikt", "place": "baku", "from": "2021-01-01", "to": "2021-12-31"}
    doc = page(client, prefix, q="конвенция", **params)
    assert chips(doc) == expected
    [chip_list] = [u for u in doc.iter("ul") if u.get("class") == "search-active"]
    remove_year = list(chip_list)[2].find("a")
    assert expected[2] in remove_year.get("aria-label")
    assert remove_year.get("href") == f"{prefix}/search/?q={QUERY}&rubric=ikt&place=baku"


def test_the_year_chip_replaces_the_dates_and_a_facet_year_becomes_one(client):
    doc = page(client, q="конвенция")
    year = next(a for a in doc.iter("a") if a.text == "2020")
    narrowed = parse_html(client.get(year.get("href")))
    assert chips(narrowed) == ["2020 год"]
    assert "2020-01-01" not in text_of(narrowed.find(".//main"))


@pytest.mark.parametrize(
    "start, end, ru, az, en",
    [
        (date(2024, 1, 1), date(2024, 12, 31), "2024 год", "2024-cü il", "2024"),
        (date(2020, 1, 1), date(2022, 12, 31), "2020–2022 годы", "2020–2022-ci illər",
         "2020–2022"),
        (date(2024, 8, 1), date(2024, 8, 31), "август 2024 г.", "2024-cü ilin avqustu",
         "August 2024"),
        (
            date(2024, 8, 1),
            date(2024, 8, 15),
            "с 1 по 15 августа 2024 г.",
            "1–15 avqust 2024-cü il",
            "August 1–15, 2024",
        ),
        (
            date(2024, 7, 29),
            date(2024, 8, 9),
            "с 29 июля по 9 августа 2024 г.",
            "29 iyul – 9 avqust 2024-cü il",
            "July 29 – August 9, 2024",
        ),
        (
            date(2023, 12, 30),
            date(2024, 1, 2),
            "с 30 декабря 2023 г. по 2 января 2024 г.",
            "30 dekabr 2023-cü il – 2 yanvar 2024-cü il",
            "December 30, 2023 – January 2, 2024",
        ),
        (date(2024, 2, 29), date(2024, 2, 29), "29 февраля 2024 г.", "29 fevral 2024-cü il",
         "February 29, 2024"),
        (date(2019, 12, 27), None, "с 27 декабря 2019 г.", "27 dekabr 2019-cu il tarixindən",
         "from December 27, 2019"),
        (None, date(2010, 5, 9), "по 9 мая 2010 г.", "9 may 2010-cu il tarixinədək",
         "until May 9, 2010"),
    ],
)  # fmt: skip
def test_a_period_in_words(start, end, ru, az, en):
    assert [period(start, end, lang) for lang in ("ru", "az", "en")] == [ru, az, en]


def test_a_february_and_a_leap_year_are_whole_months():
    assert period(date(2024, 2, 1), date(2024, 2, 29), "ru") == "февраль 2024 г."
    assert period(date(2023, 2, 1), date(2023, 2, 28), "en") == "February 2023"
    assert period(date(2024, 2, 1), date(2024, 2, 28), "en") == "February 1–28, 2024"


@pytest.mark.parametrize(
    "year, said",
    [(2024, "2024-cü"), (2020, "2020-ci"), (2010, "2010-cu"), (1990, "1990-cı"),
     (2023, "2023-cü"), (2019, "2019-cu"), (2026, "2026-cı"), (2000, "2000-ci"),
     (1900, "1900-cü"), (2040, "2040-cı"), (2030, "2030-cu"), (2025, "2025-ci")],
)  # fmt: skip
def test_the_azerbaijani_ordinal_follows_the_last_spoken_word(year, said):
    assert az_ordinal(year) == said


# --- an empty page -----------------------------------------------------------------


def tries(doc, heading):
    """{link text: count text} of the list under the empty page's `heading`."""
    section = doc.find(".//section[@class='search-empty']")
    children = list(section)
    for n, child in enumerate(children):
        if child.tag == "h3" and child.text == heading:
            return {text_of(li.find("a")): text_of(li.find("small")) for li in children[n + 1]}
    return {}


@pytest.mark.parametrize("prefix", ["", "/az", "/en"])
def test_an_empty_page_says_so_and_offers_no_feed(client, prefix):
    response = client.get(f"{prefix}/search/", {"q": "щзхъщзхъ"})
    doc = parse_html(response)
    assert (
        summary(doc)
        == {"": "Ничего не найдено", "/az": "Heç nə tapılmadı", "/en": "Nothing found"}[prefix]
    )
    html = response.content.decode()
    assert "/search/feed/" not in html  # neither the link in the page nor the alternate
    feeds = [a["href"] for a in head_links(doc, "alternate") if a.get("type")]
    assert feeds and not [href for href in feeds if "/search/" in href]  # the site's only
    assert "search-feed" not in html and "0 " not in summary(doc)
    # Something to click still: all articles, the tags, the archive by date.
    section = doc.find(".//section[@class='search-empty']")
    hrefs = [a.get("href") for a in section.iter("a")]
    assert hrefs == [f"{prefix}/articles/", f"{prefix}/tags/", f"{prefix}/archive/"]


def test_a_found_search_has_its_feed(client):
    doc = page(client, q="конвенция")
    feeds = [a["href"] for a in head_links(doc, "alternate") if "/search/feed/" in a["href"]]
    assert feeds == [f"/search/feed/?q={QUERY}", f"/search/feed/atom/?q={QUERY}"]


def test_dropping_each_filter_is_offered_with_what_it_finds(client):
    # Baku's articles are all of 2021: with 2020 nothing is left.
    params = {"q": "конвенция", "place": "baku", "from": "2020-01-01", "to": "2020-12-31"}
    doc = page(client, **params)
    assert summary(doc) == "Ничего не найдено"
    offered = tries(doc, "Меньше фильтров")
    assert offered == {
        "Без фильтра «Место: Баку»": "15 статей",
        "Без фильтра «2020 год»": "15 статей",
        "Без фильтров": "45 статей",
    }
    assert tries(doc, "Другие слова") == {}  # «конвенция» is known: no near words for it
    links = {text_of(a): a.get("href") for a in doc.iter("a")}
    for label, count in offered.items():
        followed = parse_html(client.get(links[label]))
        assert summary(followed) == f"Найдено {count}", label
    assert links["Без фильтров"] == f"/search/?q={QUERY}"


def test_only_the_page_pays_for_the_offers(client):
    params = {"q": "конвенция", "place": "baku", "from": "2020-01-01", "to": "2020-12-31"}
    with counting() as api_calls:
        assert client.get("/api/search/", params).json()["count"] == 0
    with counting() as page_calls:
        client.get("/search/", params)
    # The JSON: the search and its repair (none). The page: three counts more, one for
    # each filter dropped and one without both.
    assert api_calls["search"] == 1
    assert page_calls["search"] == 1 + 3


def test_filters_alone_that_find_nothing_offer_each_one_alone(client):
    doc = page(client, place="baku", rubric="law", **{"from": "2020-01-01", "to": "2020-12-31"})
    assert summary(doc) == "Ничего не найдено"
    offered = tries(doc, "Меньше фильтров")
    # Without Baku: the law articles of 2020 (n even, n % 3 == 0: n % 6 == 0).
    assert offered["Без фильтра «Место: Баку»"] == "8 статей"
    assert offered["Без фильтра «2020 год»"] == "7 статей"  # Baku and law: n % 6 == 4
    assert "Без фильтров" not in offered  # no query: nothing to search without them


def test_words_near_a_mistyped_one_are_offered_when_asked_for_it_as_typed(client):
    # exact=1: what the reader typed, unrepaired (the «search for what you typed» link).
    doc = page(client, q="конвинция", exact="1")
    assert summary(doc) == "Ничего не найдено"
    offered = tries(doc, "Другие слова")
    assert offered.get("«конвенция»") == "45 статей", offered
    link = next(a for a in doc.iter("a") if text_of(a) == "«конвенция»")
    assert link.get("href") == f"/search/?q={QUERY}"


def test_a_name_is_offered_as_the_other_languages_write_it(client):
    # No Russian text names Гянджа; an English article names Ganja (the tag's English name).
    doc = page(client, q="Гянджа")
    assert summary(doc) == "Ничего не найдено"
    offered = tries(doc, "На других языках")
    assert offered == {"«Ganja» — английский": "1 статья"}
    section = doc.find(".//section[@class='search-empty']")
    link = next(a for a in section.iter("a") if a.get("hreflang") == "en")
    assert link.get("href") == "/en/search/?q=Ganja"
    assert link.find("span").get("lang") == "en"
    english = parse_html(client.get(link.get("href")))
    assert summary(english) == "1 article found"
    # From the Azerbaijani page the same name is offered, named in Azerbaijani.
    az = page(client, "/az", q="Gəncə")
    assert tries(az, "Digər dillərdə") == {"«Ganja» — ingilis dili": "1 məqalə"}


@pytest.mark.parametrize("prefix", ["", "/az", "/en"])
@pytest.mark.parametrize(
    "params",
    [
        {"q": "конвенция", "page": "2"},
        {"q": "щзхъщзхъ"},
        {"q": "конвенция", "place": "baku", "from": "2020-01-01", "to": "2020-12-31"},
        {"q": "конвинция", "exact": "1"},
    ],
)
def test_the_pages_are_well_formed(client, prefix, params, small_pages):
    page(client, prefix, **params)  # strict html5lib
