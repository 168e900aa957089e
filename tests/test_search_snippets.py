"""Snippets: the Russian (and English) word forms that matched are marked, and the
stored text is escaped, so an article can never inject markup through a snippet."""

import re

import html5lib
import pytest

from search.highlight import snippet

from . import search_support
from .factories import ArticleFactory
from .search_support import api, module_archive

fresh_state = search_support.fresh_state

HOSTILE_TITLE = "<script>alert('title')</script> Конвенция о вредном коде"
# Escaped in the stored HTML, so it is text, and the sanitizer keeps it as such.
HOSTILE_BODY = (
    "<p>Пример атаки: &lt;script&gt;alert('x')&lt;/script&gt; и "
    "&lt;img src=x onerror=alert(1)&gt; в тексте конвенции. "
    "Кавычки \" и ' и амперсанд &amp;amp; тоже.</p>"
)
FAR = " ".join(["Вступление без нужного слова."] * 40) + " Наконец принята конвенция ООН."


def build():
    ArticleFactory(
        title_ru="Генассамблея приняла Конвенцию",
        lead_ru="",
        body_ru="<p>Генеральная Ассамблея приняла Конвенцию против киберпреступности. "
        "Новогодняя ёлка стояла в зале; использование информационно-коммуникационных "
        "технологий обсуждали.</p>",
        title_en="The General Assembly adopts the Convention",
        body_en="<p>The General Assembly adopted the Convention against Cybercrime.</p>",
    )
    ArticleFactory(title_ru=HOSTILE_TITLE, lead_ru="", body_ru=HOSTILE_BODY)
    ArticleFactory(title_ru="Длинная заметка", lead_ru="", body_ru=f"<p>{FAR}</p>")
    ArticleFactory(title_ru="Заголовок про ёлку", lead_ru="", body_ru="<p>Только текст.</p>")


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]


def snippets(client, q, prefix=""):
    return {r["title"]: r["snippet"] for r in api(client, prefix, q=q)["results"]}


def marked(html):
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_the_russian_forms_that_matched_are_marked(client):
    text = snippets(client, "принять конвенция")["Генассамблея приняла Конвенцию"]
    assert marked(text) == ["приняла", "Конвенцию"]


def test_yo_and_hyphenated_words_are_marked(client):
    text = snippets(client, "елка")["Генассамблея приняла Конвенцию"]
    assert marked(text) == ["ёлка"]
    text = snippets(client, "коммуникационные")["Генассамблея приняла Конвенцию"]
    assert marked(text) == ["информационно-коммуникационных"]


def test_english_results_on_the_english_page_mark_english_forms(client):
    text = snippets(client, "conventions", prefix="/en")[
        "The General Assembly adopts the Convention"
    ]
    assert marked(text) == ["Convention"]


def test_the_snippet_is_cut_around_a_match_far_into_the_text(client):
    text = snippets(client, "конвенция")["Длинная заметка"]
    assert text.startswith("…")
    assert marked(text) == ["конвенция"]
    assert len(re.sub("<[^>]+>", "", text)) <= 250


def test_a_match_in_the_title_only_gives_the_start_of_the_text(client):
    assert snippets(client, "ёлку")["Заголовок про ёлку"] == "Только текст."


def only_marks(html):
    """The snippet's only tags are <mark> and </mark>."""
    return set(re.findall(r"<[^>]*>", html)) <= {"<mark>", "</mark>"}


def test_stored_markup_is_escaped_in_json_snippets(client):
    for query in ("конвенция", "script", "img onerror", "alert"):
        text = snippets(client, query)[HOSTILE_TITLE]
        assert only_marks(text), text
        assert "&lt;" in text
    text = snippets(client, "конвенция")[HOSTILE_TITLE]
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&quot;" in text and "&amp;amp;" in text


@pytest.mark.parametrize("query", ["конвенция", "script", "onerror", "img"])
def test_stored_markup_never_becomes_markup_on_the_page(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    main = doc.find(".//main")
    assert main.findall(".//img") == []
    for script in main.findall(".//script"):  # only the search box's own file
        assert script.get("src", "").startswith("/static/search/") and not script.text
    for element in main.iter():
        assert not any(name.startswith("on") for name in element.attrib), element.attrib
    text = "".join(main.itertext())
    assert "<script>alert('x')</script>" in text or "<img src=x onerror=alert(1)>" in text
    assert "<script>alert('title')</script>" in text  # the title, as text


def test_the_highlighter_escapes_and_marks_alone():
    html = snippet('a < b & "c" конвенции', {"конвенция"}, "ru")
    assert html == "a &lt; b &amp; &quot;c&quot; <mark>конвенции</mark>"
    assert snippet("", {"конвенция"}, "ru") == ""
    assert snippet("<b>жирный</b>", set(), "ru") == "&lt;b&gt;жирный&lt;/b&gt;"
