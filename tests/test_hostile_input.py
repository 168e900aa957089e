"""Hostile sizes and values: multi-megabyte bodies and pathological HTML are saved,
shown, summarised, indexed and highlighted with bounded output; titles that look like
numbers, booleans, lists or dates come back from the search index as the same strings.

No timed assertions: what nh3 is given is checked to be bounded in depth and
attributes (its work grows with those), the snippet window to be found in linear steps,
and outputs to be bounded in size. The sizes are the real ones (a 5 MB body, 100,000
nested elements, a 3 MB word...), so a regression shows as a slow or killed test too."""

import json
import re
import xml.etree.ElementTree as ET
from html import unescape

import nh3
import pytest
from django.utils import timezone

from archive import sanitize
from archive.models import Article
from archive.sanitize import MAX_DEPTH, clean_html
from archive.templatetags.archive_tags import SUMMARY_MAX_CHARS, article_summary
from search import engines
from search.highlight import _window_start, snippet
from search.query import parse
from search.search_indexes import INDEXED_WORD_CHARS, SNIPPET_SOURCE_CHARS

from . import search_support
from .search_support import api, module_archive

fresh_state = search_support.fresh_state

# name -> (body HTML, a word of it to search for)
BIG = {
    "5 MB body": (
        "<p>" + "Конвенция ООН против киберпреступности принята. " * 105_000 + "</p>"
        "<p>Финишслово</p>",
        "киберпреступности",
    ),
    "100,000 nested divs": ("<div>" * 100_000 + "вложенность" + "</div>" * 100_000, "вложенность"),
    "100,000 nested blockquotes": ("<blockquote>" * 100_000 + "цитатность", "цитатность"),
    "1 MB of unclosed tags": ("<b><i><p>незакрытость " * 52_000, "незакрытость"),
    "a 3 MB word": ("длинноесловие " + "ж" * 3_000_000, "длинноесловие"),
    "200,000 attributes": (
        "<p " + " ".join(f"a{i}=x" for i in range(200_000)) + ">атрибутность</p>",
        "атрибутность",
    ),
    # Formatting elements closed by their parent, re-opened by HTML in every later
    # paragraph: before the rewrite this 250 KB body made nh3 ask for more than 6 GB.
    "re-opened formatting": (
        "".join(
            "<div>" + "".join(f'<b title="{j}-{i}">' for i in range(50)) + "</div>"
            for j in range(100)
        )
        + "<p>форматность</p>" * 10_000,
        "форматность",
    ),
}
# Values haystack's Whoosh backend (_to_python) would turn into 1917, True, [1, 2]...
STRINGY = ["1917", "true", "false", "[1,2]", "None", "null", "1e3", "2024-08-01", "{}", "0"]


def build():
    now = timezone.now()
    for n, (name, (body, _word)) in enumerate(BIG.items()):
        Article(
            title_ru=f"Огромная статья: {name}",
            lead_ru="",
            body_ru=body,
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=n + 1),
        ).save()
    for n, value in enumerate(STRINGY):
        Article(
            title_ru=value,
            lead_ru=value,
            body_ru=f"<p>val{n}</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(days=1, minutes=n),
        ).save()
    return {a.title_ru: a for a in Article.objects.all()}


archive = module_archive(build)


def big(archive, name):
    return archive[f"Огромная статья: {name}"]


_MARKUP = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]*)>")


def shape(html):
    """(deepest nesting, most attributes on one tag) of markup, counting every start
    tag that is not void as opening and every end tag as closing."""
    depth = deepest = attributes = 0
    for m in _MARKUP.finditer(html):
        if m.group(1):
            depth = max(0, depth - 1)
        elif m.group(2).lower() not in ("br", "hr", "img"):
            depth += 1
            deepest = max(deepest, depth)
        attributes = max(attributes, len(re.findall(r"=", m.group(3))))
    return deepest, attributes


# --- saving: the sanitizer ----------------------------------------------------------------


@pytest.mark.parametrize("name", BIG)
def test_nh3_is_given_bounded_markup(name, monkeypatch):
    """nh3 (html5ever) is quadratic in nesting and in attributes per tag, and re-opens
    formatting elements without bound: what it is given is capped."""
    seen = []
    real_clean = nh3.clean
    monkeypatch.setattr(
        sanitize.nh3, "clean", lambda html, **kw: seen.append(html) or real_clean(html, **kw)
    )
    body, _word = BIG[name]
    cleaned = clean_html(body)
    [given] = seen
    depth, attributes = shape(given)
    assert depth <= MAX_DEPTH
    assert attributes <= 4  # only the allowed ones are passed on
    assert len(given) <= 4 * len(body)
    assert len(cleaned) <= 4 * len(body)  # at worst each "<" of text becomes "&lt;"


@pytest.mark.django_db
@pytest.mark.parametrize("name", BIG)
def test_saved_body_is_bounded(archive, name):
    body, word = BIG[name]
    article = big(archive, name)
    article.refresh_from_db()
    assert word in article.body_ru or word.capitalize() in article.body_ru
    assert len(article.body_ru) <= 2 * len(body)
    assert shape(article.body_ru)[0] <= MAX_DEPTH


def test_sanitizing_twice_changes_nothing():
    for body, _word in BIG.values():
        once = clean_html(body)
        assert clean_html(once) == once


# --- reading: article page, lists, feeds ---------------------------------------------------


def meta_content(html, prop):
    m = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)"', html)
    return unescape(m.group(1)) if m else None


@pytest.mark.django_db
@pytest.mark.parametrize("name", BIG)
def test_article_page(client, archive, name):
    article = big(archive, name)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    # The body once, and summaries (description, og:description, JSON-LD) of bounded size.
    assert len(response.content) <= len(article.body_ru.encode()) + 100_000
    for prop in ("description", "og:description"):
        assert len(meta_content(html, prop)) <= SUMMARY_MAX_CHARS


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/articles/", f"/{timezone.now().year}/"])
def test_lists_show_bounded_summaries(client, archive, path):
    response = client.get(path)
    assert response.status_code == 200
    # Twelve megabytes of bodies, a page of a few kilobytes.
    assert len(response.content) < 200_000


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/"])
def test_feed_summaries_are_bounded(client, archive, path):
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [e.text or "" for e in root.iter("description")] + [
        e.text or "" for e in root.iter(f"{atom}summary")
    ]
    assert len(summaries) == len(BIG) + len(STRINGY) + (path == "/feed/")  # + the channel's
    for text in summaries:
        assert len(unescape(text)) <= SUMMARY_MAX_CHARS


def test_summary_caps_a_long_lead_and_a_huge_word():
    long_lead = Article(lead_ru="Лид " * 300_000, body_ru="")
    assert len(article_summary(long_lead)) <= SUMMARY_MAX_CHARS
    word = Article(lead_ru="", body_ru="<p>" + "ж" * 3_000_000 + "</p>")
    assert len(article_summary(word, 60)) <= SUMMARY_MAX_CHARS
    cut_tag = Article(lead_ru="", body_ru="<p>Начало</p>" + "<a href='x'>" * 30_000)
    assert article_summary(cut_tag) == "Начало"  # no "<a hre" left by the cut


# --- search: indexing and highlighting ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", BIG)
def test_found_with_a_bounded_snippet(client, archive, name):
    _body, word = BIG[name]
    data = api(client, q=word)
    titles = [r["title"] for r in data["results"]]
    assert f"Огромная статья: {name}" in titles
    for result in data["results"]:
        text = unescape(re.sub(r"</?mark>", "", result["snippet"]))
        assert len(text) <= 242  # the 240-character window and its ellipses
    [hit] = [h for h in _search(word).hits if h.fields["title_ru"].endswith(name)]
    assert len(hit.fields.get("body_ru") or "") <= SNIPPET_SOURCE_CHARS


def _search(text):
    return engines.current().search(parse(text))


@pytest.mark.django_db
def test_index_keeps_no_huge_term_and_caps_the_text(archive):
    # The 3-million-letter word is indexed as its first INDEXED_WORD_CHARS letters.
    [hit] = _search("ж" * INDEXED_WORD_CHARS).hits
    assert hit.fields["title_ru"] == "Огромная статья: a 3 MB word"
    # Past the first half-million characters a body is not indexed (README, "Search").
    assert _search("финишслово").total == 0
    assert _search("киберпреступности").total == 1


def test_snippet_window_is_found_in_linear_steps():
    """Highlighting a text made of matches looked at every pair of them."""

    class CountingSpans(list):
        reads = 0

        def __getitem__(self, index):
            got = super().__getitem__(index)
            CountingSpans.reads += len(got) if isinstance(index, slice) else 1
            return got

        def __iter__(self):
            for item in super().__iter__():
                CountingSpans.reads += 1
                yield item

    spans = CountingSpans((i * 10, i * 10 + 9) for i in range(2000))
    _window_start(" " * 20_000, spans, 240)
    assert CountingSpans.reads <= 5 * len(spans)

    text = "конвенция " * 2000
    out = snippet(text, {"конвенция"}, "ru")
    assert out.count("<mark>") >= 20 and len(re.sub(r"</?mark>", "", out)) <= 242


# --- values that look like other types -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("n", range(len(STRINGY)), ids=STRINGY)
def test_stringy_titles_come_back_as_strings(client, archive, n):
    value = STRINGY[n]
    # The stored fields the engine reads.
    [hit] = _search(f"val{n}").hits
    assert hit.fields["title_ru"] == value and type(hit.fields["title_ru"]) is str
    assert hit.fields["body_ru"].startswith(value) and type(hit.fields["body_ru"]) is str
    # The JSON API, parsed as JSON: a string, not 1917, true, [1, 2] or null.
    response = client.get("/api/search/", {"q": f"val{n}"})
    [result] = json.loads(response.content)["results"]
    assert result["title"] == value and type(result["title"]) is str
    assert unescape(re.sub(r"</?mark>", "", result["snippet"])).startswith(value)
    # The results page.
    html = client.get("/search/", {"q": f"val{n}"}).content.decode()
    assert re.search(rf'<h2><a href="[^"]+">{re.escape(value)}</a></h2>', html)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1917", "true", "None", "1e3", "2024-08-01"])
def test_stringy_titles_found_by_themselves(client, archive, value):
    titles = [r["title"] for r in api(client, q=value)["results"]]
    assert value in titles
    labels = json.loads(client.get("/api/suggest/", {"q": value}).content)["suggestions"]
    assert value in [s["label"] for s in labels]
