"""Article bodies are cleaned on every save: an XSS corpus goes in, nothing runnable comes out."""

import html5lib
import pytest

from archive.sanitize import clean_html, html_to_text, paragraphs_to_html

from .factories import ArticleFactory

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">ссылка</a>',
    '<a href="JaVaScRiPt:alert(1)">ссылка</a>',
    '<a href="&#106;avascript:alert(1)">ссылка</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">ссылка</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">текст</p>',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">наведи</div>',
    "<<script>alert(1);//<</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>OK</button></form>',
    '<object data="javascript:alert(1)"></object>',
    '<p title="</p><script>alert(1)</script>">x</p>',
    "<img src=`x`onerror=alert(1)>",
]


def _dangerous_bits(html):
    """Everything runnable in a parsed document: script elements, on* attributes,
    javascript:/data: URLs, frames, styles."""
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for el in doc.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.split("}")[-1] in {"script", "iframe", "object", "embed", "style", "form", "svg"}:
            found.append(tag)
        for name, value in el.attrib.items():
            lowered = value.strip().lower()
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{tag}@{name}")
            if lowered.startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag}@{name}={value}")
    return found


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_xss_corpus_is_harmless_after_cleaning(payload):
    cleaned = clean_html(f"<p>До</p>{payload}<p>После</p>")
    assert _dangerous_bits(cleaned) == [], cleaned
    assert "До" in cleaned  # text before the payload is kept (an unclosed <style> may eat the rest)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["body_ru", "body_az", "body_en"])
def test_every_translation_is_cleaned_on_save(field):
    article = ArticleFactory(**{field: '<p onclick="x()">Текст</p><script>alert(1)</script>'})
    article.refresh_from_db()
    assert getattr(article, field) == "<p>Текст</p>"


def test_news_markup_survives():
    html = (
        '<h2>Итоги</h2><p><strong>ООН</strong> и <a href="https://un.org/ru">сайт</a></p>'
        "<blockquote>Цитата</blockquote><ul><li>один</li></ul>"
    )
    cleaned = clean_html(html)
    assert "<h2>Итоги</h2>" in cleaned and "<blockquote>Цитата</blockquote>" in cleaned
    assert 'href="https://un.org/ru"' in cleaned and 'rel="noopener noreferrer nofollow"' in cleaned


def test_plain_text_round_trip():
    html = paragraphs_to_html("Первый абзац <b>.\n\nВторой\nс переносом")
    assert html == "<p>Первый абзац &lt;b&gt;.</p><p>Второй<br>с переносом</p>"
    assert html_to_text(html) == "Первый абзац <b>.\n\nВторой\nс переносом"


@pytest.mark.django_db
def test_fixture_rows_are_cleaned_too(tmp_path):
    """loaddata saves rows without Article.save(); they must not reach |safe raw."""
    import json

    from django.core.management import call_command

    from archive.models import Article

    fixture = tmp_path / "unsafe.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "archive.article",
                    "fields": {
                        "title": "Т",
                        "title_ru": "Т",
                        "slug": "t",
                        "status": "published",
                        "published_at": "2024-08-09T12:00:00+04:00",
                        "updated_at": "2024-08-09T12:00:00+04:00",
                        "body_ru": '<p onclick="x()">Текст</p><script>alert(1)</script>',
                        "body_en": '<a href="javascript:alert(1)">link</a>',
                    },
                }
            ]
        ),
        "utf-8",
    )
    call_command("loaddata", str(fixture), verbosity=0)
    article = Article.objects.get(slug="t")
    assert article.body_ru == "<p>Текст</p>"
    assert article.body_en == '<a rel="noopener noreferrer nofollow">link</a>'
