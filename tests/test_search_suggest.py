"""Suggestions as you type, the OpenSearch description, and the search box and
OpenSearch link on every page."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from archive.models import Article, Tag

from . import search_support
from .factories import ArticleFactory, TagFactory
from .search_support import module_archive

ROOT = Path(__file__).resolve().parents[1]

fresh_state = search_support.fresh_state

OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def build():
    person = TagFactory(
        name_ru="Гасан Мансуров",
        name_en="Hasan Mansurov",
        name_az="Həsən Mənsurov",
        slug="gasan-mansurov",
        kind=Tag.Kind.PERSON,
    )
    TagFactory(name_ru="Конвенция ООН", slug="konventsiya-oon", name_en="UN Convention")
    ArticleFactory(
        title_ru="Конвенция против киберпреступности принята",
        title_en="Cybercrime convention adopted",
        body_en="<p>Adopted.</p>",
        slug="konventsiya-prinyata",
        tags=[person],
    )
    ArticleFactory(title_ru="Конвенции о правах ребёнка тридцать лет", slug="prava-rebenka")
    ArticleFactory(
        title_ru="Конвенция из будущего",
        published_at=timezone.now() + timedelta(days=3),
        slug="iz-budushchego",
    )


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]


def suggest(client, q, prefix="", **params):
    response = client.get(f"{prefix}/api/suggest/", {"q": q, **params})
    assert response.status_code == 200
    return response


def labels(client, q, prefix=""):
    return [s["label"] for s in suggest(client, q, prefix).json()["suggestions"]]


def test_people_and_topics_are_suggested_by_any_word_in_any_case(client):
    for typed in ("Ман", "ман", "гас", "МАНСУРОВ"):
        assert "Гасан Мансуров" in labels(client, typed), typed
    answer = suggest(client, "ман").json()
    assert answer["suggestions"][0] == {
        "label": "Гасан Мансуров",
        "kind": "персона",
        "url": "/tags/gasan-mansurov/",
        "language": "ru",
    }
    # What the box's live region says (search/static/search/suggest.js).
    n = len(answer["suggestions"])
    assert answer["status"].startswith(f"{n} подсказ") and "Enter — открыть" in answer["status"]


def test_names_are_found_in_every_language_folded_as_readers_type(client):
    assert "Hasan Mansurov" in labels(client, "hesen", prefix="/en")  # Həsən, no layout
    assert "Həsən Mənsurov" in labels(client, "Mənsu", prefix="/az")
    assert "Гасан Мансуров" in labels(client, "hasan")  # the Russian page, an English name


@pytest.mark.parametrize("typed", ["каид", "аль-ка", "рос", "РОСН"])
def test_a_word_after_a_hyphen_or_a_quote_begins_a_name_too(client, typed):
    tag = Tag.objects.create(name_ru="Аль-Каида «Роснефть»", kind=Tag.Kind.ORGANISATION)
    try:
        assert "Аль-Каида «Роснефть»" in labels(client, typed)
    finally:
        tag.delete()


def test_a_renamed_tag_is_found_by_its_new_name(client):
    tag = Tag.objects.create(name_ru="Старое имя", kind=Tag.Kind.TOPIC)
    try:
        tag.name_ru = "Новое название"
        tag.save()
        assert "Новое название" in labels(client, "назв")
        assert "Новое название" not in labels(client, "стар")
    finally:
        tag.delete()


def test_names_are_matched_in_the_database_not_read_into_python(client):
    """Tag.search_key: one LIKE with a LIMIT, however many tags there are."""
    with CaptureQueriesContext(connection) as queries:
        labels(client, "ман")
    tag_queries = [q["sql"] for q in queries if '"archive_tag"' in q["sql"]]
    assert len(tag_queries) == 1, tag_queries
    assert "LIKE" in tag_queries[0] and "LIMIT 4" in tag_queries[0], tag_queries[0]


def test_titles_are_suggested_by_the_beginning_of_the_last_word(client):
    found = labels(client, "конв")
    assert "Конвенция против киберпреступности принята" in found
    assert "Конвенции о правах ребёнка тридцать лет" in found
    assert "Конвенция из будущего" not in found  # scheduled: not yet
    assert labels(client, "конвенция киберпр") == ["Конвенция против киберпреступности принята"]
    assert labels(client, "конвенции ребёнок") == ["Конвенции о правах ребёнка тридцать лет"]


def test_the_words_before_the_last_read_or_as_a_search_does(client):
    # «ребёнка» is not in the first title, «киберпреступности» not in the second.
    found = labels(client, "ребёнок OR киберпреступность конв")
    assert "Конвенция против киберпреступности принята" in found
    assert "Конвенции о правах ребёнка тридцать лет" in found


def test_suggestions_speak_the_page_language(client):
    assert "Hasan Mansurov" in labels(client, "Mans", prefix="/en")
    assert "Cybercrime convention adopted" in labels(client, "conv", prefix="/en")
    items = suggest(client, "conv", prefix="/en").json()["suggestions"]
    assert all(i["url"].startswith("/en/") for i in items)
    # An untranslated title is shown in Russian, and says so (the option's lang).
    by_label = {i["label"]: i for i in suggest(client, "конв", prefix="/en").json()["suggestions"]}
    assert by_label["Cybercrime convention adopted"]["language"] == "en"
    assert by_label["Конвенции о правах ребёнка тридцать лет"]["language"] == "ru"


def test_an_article_suggestion_carries_its_day(client):
    items = suggest(client, "конв").json()["suggestions"]
    article = next(i for i in items if i["label"] == "Конвенция против киберпреступности принята")
    assert article["kind"] == "статья"
    published = Article.objects.get(slug="konventsiya-prinyata").published_at
    assert article["date"] == date_format(timezone.localtime(published), "DATE_FORMAT")
    assert article["date"].endswith(" г.")


@pytest.mark.parametrize("typed", ["", "к", " ", "*", "\x00", "🙂", "-", "AND"])
def test_too_little_to_suggest_from_is_an_empty_list(client, typed):
    assert suggest(client, typed).json()["suggestions"] == []


def test_the_opensearch_suggestion_format(client):
    response = suggest(client, "ман", format="opensearch")
    assert response["Content-Type"] == "application/x-suggestions+json"
    query, completions, descriptions, urls = json.loads(response.content)
    assert query == "ман"
    assert completions[0] == "Гасан Мансуров"
    assert descriptions[0] == "персона"
    assert urls[0] == "http://testserver/tags/gasan-mansurov/"
    assert len(completions) == len(descriptions) == len(urls)


def test_the_opensearch_description_is_valid_xml_with_a_suggestions_url(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert root.find(f"{OPENSEARCH}ShortName").text == "Архив новостей"
    assert len(root.find(f"{OPENSEARCH}ShortName").text) <= 16
    urls = {u.get("type"): u.get("template") for u in root.iter(f"{OPENSEARCH}Url")}
    assert urls["text/html"].startswith("http://testserver/search/?q={searchTerms}")
    assert urls["application/x-suggestions+json"] == (
        "http://testserver/api/suggest/?format=opensearch&q={searchTerms}"
    )
    english = ET.fromstring(client.get("/en/opensearch.xml").content)
    templates = [u.get("template") for u in english.iter(f"{OPENSEARCH}Url")]
    assert all(t.startswith("http://testserver/en/") for t in templates)


def test_the_opensearch_description_speaks_the_language_of_its_address(client):
    # Its words stood in an .xml template, which makemessages never reads: English on all.
    for prefix, description in (
        ("", "Поиск по архиву новостей на русском, азербайджанском и английском"),
        ("/az", "Xəbər arxivində rus, azərbaycan və ingilis dillərində axtarış"),
        ("/en", "Search the news archive in Russian, Azerbaijani and English"),
    ):
        root = ET.fromstring(client.get(f"{prefix}/opensearch.xml").content)
        assert root.find(f"{OPENSEARCH}Description").text == description


def test_no_template_makemessages_skips_has_words_to_translate():
    # makemessages reads .html, .txt and .py: «{% translate %}» in an .xml template is
    # never offered to translators, and `--no-obsolete` drops an entry added by hand.
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    found = [
        str(path.relative_to(ROOT))
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix not in (".html", ".txt", ".py")
        and re.search(r"{%\s*(block)?trans(late)?\b", path.read_text(errors="replace"))
    ]
    assert found == []


PAGES = [
    "/",
    "/articles/",
    "/articles/konventsiya-prinyata/",
    "/rubrics/",
    "/tags/",
    "/tags/gasan-mansurov/",
    "/archive/",
    "/search/",
    "/search/?q=конвенция",
    "/en/",
    "/az/tags/",
    "/no-such-page/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_the_opensearch_description_and_has_a_search_box(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    links = [
        link
        for link in doc.findall(".//head/link")
        if link.get("rel") == "search"
        and link.get("type") == "application/opensearchdescription+xml"
    ]
    assert len(links) == 1
    assert links[0].get("href").endswith("/opensearch.xml")
    assert links[0].get("title")
    forms = [f for f in doc.iter("form") if f.get("role") == "search"]
    assert len(forms) == 1  # the search page shows its own box instead of the header's
    assert forms[0].get("method") == "get"
    assert forms[0].get("action").endswith("/search/")
    assert forms[0].find(".//input[@name='q']") is not None
