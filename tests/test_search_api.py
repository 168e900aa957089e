"""GET /api/search/: the JSON shape, pagination, facets that narrow, errors, and results
in the page's language first (the page at /search/ shows the same)."""

import re
from datetime import datetime

import html5lib
import pytest
from django.utils import timezone

from archive.models import Tag

from . import search_support
from .factories import ArticleFactory, RubricFactory, TagFactory
from .pages_support import parse_html
from .search_support import api, module_archive

fresh_state = search_support.fresh_state

MANY = 45  # three pages of 20
QUERY = "%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F"  # «конвенция» in a URL


def baku(*args):
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


def build():
    rubrics = [RubricFactory(name_ru="Право", slug="law"), RubricFactory(name_ru="ИКТ", slug="ikt")]
    topic = TagFactory(name_ru="Права человека", slug="human-rights")
    place = TagFactory(name_ru="Баку", slug="baku", kind=Tag.Kind.PLACE)
    for n in range(MANY):
        ArticleFactory(
            title_ru=f"Конвенция, выпуск {n}",
            lead_ru="",
            body_ru=f"<p>Текст о конвенции номер {n}.</p>",
            rubric=rubrics[n % 2],
            published_at=baku(2020 + n % 3, 1 + n % 12, 1 + n % 28, 10),
            time_known=n % 4 != 3,  # every fourth: the source gave the date alone
            tags=[topic] if n % 3 == 0 else [topic, place] if n % 3 == 1 else [],
        )
    # The same story in different languages only: the page's language comes first.
    for n in range(3):
        ArticleFactory(
            title_ru=f"Саммит G20: день {n}",
            lead_ru="",
            body_ru="<p>Лидеры G20 встретились. G20 G20 G20.</p>",
        )
    ArticleFactory(
        title_ru="",
        lead_ru="",
        body_ru="",
        title_en="G20 summit closes",
        body_en="<p>The G20 leaders met.</p>",
    )
    ArticleFactory(
        title_ru="",
        lead_ru="",
        body_ru="",
        title_az="G20 sammiti başa çatdı",
        body_az="<p>G20 liderləri görüşdü.</p>",
    )


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]

TOP_KEYS = {"query", "count", "page", "results", "facets", "suggestion"}
RESULT_KEYS = {"id", "url", "title", "published_at", "time_known", "rubric", "tags", "snippet"}


def test_the_json_has_the_documented_shape(client):
    response = client.get("/api/search/", {"q": "конвенция"})
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert TOP_KEYS <= set(data)
    assert data["query"] == "конвенция"
    assert data["count"] == MANY
    assert data["page"] == 1
    assert data["suggestion"] is None
    assert set(data["facets"]) == {"rubric", "year", "tags"}
    for result in data["results"]:
        assert RESULT_KEYS <= set(result)
        assert isinstance(result["id"], int)
        assert result["url"].startswith("/articles/")
        assert result["title"].startswith("Конвенция, выпуск")
        assert result["time_known"] is (int(result["title"].rsplit(" ", 1)[1]) % 4 != 3)
        assert (
            datetime.fromisoformat(result["published_at"]).utcoffset().total_seconds() == 4 * 3600
        )
        assert result["rubric"] in {"Право", "ИКТ"}
        assert isinstance(result["tags"], list)
        assert "<mark>" in result["snippet"]


def test_the_json_speaks_the_language_of_its_url(client):
    data = api(client, prefix="/en", q="конвенция", page="1")
    assert data["results"][0]["url"].startswith("/en/articles/")


def test_results_are_paginated(client):
    pages = [api(client, q="конвенция", page=str(n)) for n in (1, 2, 3)]
    assert [len(p["results"]) for p in pages] == [20, 20, MANY - 40]
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert all(p["count"] == MANY and p["num_pages"] == 3 for p in pages)
    ids = [r["id"] for p in pages for r in p["results"]]
    assert len(ids) == len(set(ids)) == MANY


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "10**9", "1.5", "²", "9" * 50])
def test_a_page_that_does_not_exist_is_a_json_404(client, page):
    response = client.get("/api/search/", {"q": "конвенция", "page": page})
    assert response.status_code == 404
    assert response.json() == {"error": "Такой страницы результатов нет."}
    assert client.get("/en/api/search/", {"q": "конвенция", "page": page}).json() == {
        "error": "There is no such page of results."
    }


def test_pages_stop_at_the_results_a_reader_may_page_to(client, monkeypatch):
    from search import service

    monkeypatch.setattr(service, "MAX_RESULTS", 30)  # 10,000 in production
    first = api(client, q="конвенция")
    assert (first["count"], first["num_pages"]) == (MANY, 2)  # the count stays the true one
    assert len(api(client, q="конвенция", page="2")["results"]) == 20
    assert client.get("/api/search/", {"q": "конвенция", "page": "3"}).status_code == 404


def test_an_empty_query_is_an_empty_answer(client):
    data = api(client, q="   ")
    assert data["count"] == 0 and data["results"] == [] and data["query"] == ""


@pytest.mark.parametrize("query", ["", "   ", "~", "NOT конвенция", "-конвенция"])
def test_nothing_searched_has_no_second_page(client, query):
    # Only the empty page 1: not a 200 that names «?page=50» its canonical address.
    assert api(client, q=query)["num_pages"] == 0
    assert client.get("/api/search/", {"q": query, "page": "50"}).status_code == 404
    assert client.get("/search/", {"q": query, "page": "2"}).status_code == 404


def facet(data, name, value):
    return next(f for f in data["facets"][name] if f["value"] == value)


def test_facets_count_and_their_urls_narrow_the_results(client):
    data = api(client, q="конвенция")
    assert {f["value"]: f["count"] for f in data["facets"]["rubric"]} == {"law": 23, "ikt": 22}
    assert {f["value"]: f["count"] for f in data["facets"]["year"]} == {
        "2020": 15,
        "2021": 15,
        "2022": 15,
    }
    assert {f["value"]: f["count"] for f in data["facets"]["tags"]} == {
        "human-rights": 30,
        "baku": 15,
    }
    assert facet(data, "tags", "baku")["kind"] == "place"
    for name, value in [("rubric", "ikt"), ("year", "2021"), ("tags", "baku")]:
        item = facet(data, name, value)
        assert item["url"].startswith("/api/search/?q=")
        narrowed = client.get(item["url"]).json()
        assert narrowed["count"] == item["count"], item
        # the facet just applied is not offered again
        assert value not in [f["value"] for f in narrowed["facets"][name]]


def test_facets_combine(client):
    data = api(client, q="конвенция")
    by_rubric = client.get(facet(data, "rubric", "ikt")["url"]).json()
    by_both = client.get(facet(by_rubric, "tags", "baku")["url"]).json()
    assert "rubric=ikt" in facet(by_rubric, "tags", "baku")["url"]
    assert "place=baku" in facet(by_rubric, "tags", "baku")["url"]
    assert 0 < by_both["count"] < by_rubric["count"]
    assert all(r["rubric"] == "ИКТ" and "Баку" in r["tags"] for r in by_both["results"])


def test_the_page_shows_the_same_facets_as_links_to_itself(client):
    response = client.get("/search/", {"q": "конвенция"})
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    aside = next(a for a in doc.iter("aside") if "search-facets" in a.get("class", ""))
    hrefs = [a.get("href") for a in aside.iter("a")]
    assert f"/search/?q={QUERY}&rubric=ikt" in hrefs
    assert all(h.startswith("/search/?") for h in hrefs)
    narrowed = client.get(hrefs[0])
    assert narrowed.status_code == 200


def test_active_filters_can_be_removed_on_the_page(client):
    page = client.get("/search/", {"q": "конвенция", "rubric": "ikt", "place": "baku"})
    html = page.content.decode()
    assert "Рубрика: ИКТ <a" in html
    assert f'href="/search/?q={QUERY}&amp;place=baku"' in html


def order_of_languages(client, prefix):
    return [r["language"] for r in api(client, prefix, q="G20")["results"]]


def test_the_page_language_comes_first(client):
    # Russian-only articles mention G20 far more often, yet the English one leads on /en/.
    assert order_of_languages(client, "/en") == ["en", "ru", "ru", "ru", "az"]
    assert order_of_languages(client, "/az")[0] == "az"
    assert order_of_languages(client, "")[:3] == ["ru", "ru", "ru"]
    first = api(client, "/en", q="G20")["results"][0]
    assert first["title"] == "G20 summit closes" and first["in_page_language"] is True


def test_titles_are_shown_in_the_page_language_when_translated(client):
    data = api(client, prefix="/en", q="G20")
    assert {r["title"] for r in data["results"]} >= {"G20 summit closes", "Саммит G20: день 0"}


def test_the_search_page_renders_results_and_counts(client):
    html = client.get("/search/", {"q": "конвенция"}).content.decode()
    assert "Найдено 45 статей" in html
    assert html.count('class="search-hit"') == 20
    assert f'rel="next" href="/search/?q={QUERY}&amp;page=2"' in html
    assert client.get("/search/", {"q": "конвенция", "page": "9"}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "конвенция"},
        {"q": "конвенция", "page": "3"},
        {"q": "rjydtywbz"},
        {"rubric": "ikt"},
    ],
)
@pytest.mark.parametrize("prefix", ["", "/az", "/en"])
def test_the_search_page_is_well_formed_html(client, prefix, params):
    response = client.get(f"{prefix}/search/", params)
    assert response.status_code == 200
    doc = parse_html(response)  # html5lib in strict mode
    assert doc.find(".//main//h1") is not None


def test_the_language_switcher_and_canonical_url_keep_the_search(client):
    html = client.get("/search/", {"q": "конвенция", "sort": "date", "utm_source": "x"}).content
    html = html.decode()
    query = "q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F&amp;sort=date"
    assert f'href="/en/search/?{query}"' in html
    assert "utm_source" not in html


def test_the_canonical_url_holds_the_search_as_validated_never_raw_values(client):
    response = client.get(
        "/search/", {"q": "  конвенция\x00 ", "to": "junk", "from": "2024-1-5", "exact": "yes"}
    )
    [canonical] = re.findall(r'<link rel="canonical" href="([^"]+)"', response.content.decode())
    query = "q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F&amp;from=2024-01-05"
    assert canonical == f"http://testserver/search/?{query}"


def test_head_requests_are_answered(client):
    assert client.head("/search/", {"q": "конвенция"}).status_code == 200
    assert client.head("/api/search/", {"q": "конвенция"}).status_code == 200
