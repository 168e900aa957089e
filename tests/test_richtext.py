"""The article body's rich-text editor on the server side: the widget and its assets,
the form round trip (an untouched body is stored unchanged and not marked edited), what
the sanitizer keeps of the editor's figures and what it takes from attacks through
them, which old markup the editor cannot keep, and the image picker."""

import json
from datetime import timedelta

import html5lib
import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.config import allowlist_from_extensions

from archive.admin.richtext import PICKER_PAGE_SIZE, image_url
from archive.models import Article, Image
from archive.richtext import TOOLS, RichTextWidget, unkept_markup
from archive.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean_html

from .factories import ArticleFactory
from .richtext_support import OLD_BODIES, form_data, make_image

BODIES = ("body_ru", "body_az", "body_en")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def change_url(article):
    return reverse("admin:archive_article_change", args=[article.pk])


def textareas(html):
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    return {t.get("name"): t for t in doc.iter("textarea")}


# --- the widget ---------------------------------------------------------------------


@pytest.mark.django_db
def test_every_body_translation_gets_the_editor_with_its_own_language(editor_client):
    article = ArticleFactory(body_az="<p>Mətn</p>", body_en="<p>Text</p>")
    fields = textareas(editor_client.get(change_url(article)).content.decode())
    picker = reverse("admin:archive_article_image_picker")
    for code in ("ru", "az", "en"):
        textarea = fields[f"body_{code}"]
        config = json.loads(textarea.get("data-django-prose-editor-archive"))
        assert config["language"] == code
        assert config["editor"] == "/static/django_prose_editor/editor.js"
        assert config["extensions"]["Figure"] == {"pickerUrl": f"{picker}?language={code}"}
        assert config["extensions"]["Heading"] == {"levels": [2, 3]}
        assert "HTML" not in config["extensions"]  # no raw-HTML escape hatch
        assert f"mt-field-body-{code}" in textarea.get("class")  # the tabs still find it
    # The title and lead stay plain.
    assert "data-django-prose-editor-archive" not in str(fields["lead_ru"].attrib)


@pytest.mark.django_db
def test_the_form_loads_the_editor_without_an_import_map_or_inline_code(editor_client):
    html = editor_client.get(reverse("admin:archive_article_add")).content.decode()
    doc = html5lib.parse(html, namespaceHTMLElements=False)
    scripts = list(doc.iter("script"))
    assert not [s for s in scripts if s.get("type") == "importmap"]
    assert not [s for s in scripts if not s.get("src") and (s.text or "").strip()]
    media = RichTextWidget().media
    for path in [*media._js, *media._css["all"]]:
        name = getattr(path, "_path", path)
        assert finders.find(name), name  # served from our static files, no CDN
    assert '<script src="/static/archive/admin/richtext.js" type="module">' in html


def test_the_editor_can_only_make_what_the_sanitizer_keeps():
    """The library's own allowlist for our tools, against archive.sanitize: every tag it
    can make is kept; the attributes the sanitizer drops are exactly these."""
    library = allowlist_from_extensions(TOOLS)
    assert library["tags"] <= ALLOWED_TAGS
    dropped = {
        f"{tag}@{name}"
        for tag, names in library["attributes"].items()
        for name in names
        if name not in ALLOWED_ATTRIBUTES.get(tag, set())
    }
    # figure's class="figure" is the editor's own styling hook; ol's list style has no
    # tool (enableListAttributes off); rel is set by the sanitizer itself.
    assert dropped == {"figure@class", "ol@start", "ol@type", "ol@data-type", "a@rel"}


# --- what the editor cannot keep ----------------------------------------------------


@pytest.mark.django_db
def test_seed_and_imported_bodies_fit_the_editor():
    call_command("loaddata", "seed", verbosity=0)
    bodies = [getattr(a, f) for a in Article.objects.all() for f in BODIES]
    assert len([b for b in bodies if b]) >= 15
    assert [unkept_markup(b) for b in bodies] == [[]] * len(bodies)
    assert [unkept_markup(clean_html(b)) for b in OLD_BODIES.values()] == [[], [], []]


def test_markup_the_editor_holds_is_not_reported():
    html = clean_html(
        "<h2>Итоги</h2><h3>Детали</h3><p><b>Ж</b> <i>к</i> <strong>с</strong> <em>э</em>"
        '<a href="https://un.org" title="ООН" hreflang="ru">ООН</a><br>дальше</p>'
        '<blockquote cite="https://un.org"><p>Цитата</p></blockquote><hr>'
        "<ul><li>раз</li></ul><ol><li>два</li></ol>"
        '<figure><img src="/media/a.png" alt="А" width="10" height="5" loading="lazy" '
        'data-file="3"><figcaption>Подпись</figcaption></figure>'
        '<figure><img src="https://example.org/b.png" alt=""></figure>'
        '<p>текст <img src="/media/c.png" alt="в абзаце"></p>'
    )
    assert unkept_markup(html) == []


@pytest.mark.parametrize(
    "html, unkept",
    [
        ("<h4>Раздел</h4>", ["h4"]),
        ("<table><tr><td>1</td></tr></table>", ["table", "tbody", "td", "tr"]),
        ("<p><u>u</u><s>s</s><sub>2</sub><sup>3</sup></p>", ["s", "sub", "sup", "u"]),
        (
            '<p><q>q</q><cite>c</cite><abbr title="t">a</abbr><code>x</code></p>',
            ["abbr", "cite", "code", "q"],
        ),
        ('<p><time datetime="2024-08-09">9 августа</time></p>', ["time"]),
        ("<pre>код</pre>", ["pre"]),
        ("<figure><p>без картинки</p></figure>", ["figure"]),
        ('<figure><img src="/media/a.png"><img src="/media/b.png"></figure>', ["figure"]),
        ("<figcaption>одна подпись</figcaption>", ["figcaption outside figure"]),
        ('<img alt="адрес убран санитайзером">', ["img without src"]),
        ('<a href="https://x.org"><img src="/media/a.png"></a>', ["a>img"]),
    ],
)
def test_markup_the_editor_would_drop_is_named(html, unkept):
    assert unkept_markup(clean_html(html)) == unkept


@pytest.mark.django_db
def test_a_body_the_editor_would_damage_is_shown_as_html_with_a_note(editor_client):
    article = ArticleFactory(
        body_ru="<p>Итоги голосования:</p><table><tr><th>За</th><td>72</td></tr></table>"
    )
    html = editor_client.get(change_url(article)).content.decode()
    fields = textareas(html)
    assert fields["body_ru"].get("data-django-prose-editor-archive") is None
    assert "vLargeTextField" in fields["body_ru"].get("class").split()
    assert fields["body_ru"].text == article.body_ru
    assert fields["body_az"].get("data-django-prose-editor-archive")  # empty: the editor
    assert "редактор не сохранит (table, tbody, td, th, tr)" in html


# --- the form round trip ------------------------------------------------------------


@pytest.mark.django_db
def test_saving_the_form_untouched_stores_every_body_unchanged(editor_client):
    call_command("loaddata", "seed", verbosity=0)
    old = ArticleFactory(
        body_ru=OLD_BODIES["rss"],
        body_az=OLD_BODIES["plain"],
        body_en="<p>Table:</p><table><tr><td>1</td></tr></table>\n",
    )
    for article in [*Article.objects.exclude(pk=old.pk), old]:
        article.refresh_from_db()
        before = {f: getattr(article, f) for f in BODIES}
        stamps, updated = article.text_edited, article.updated_at
        page = editor_client.get(change_url(article)).content.decode()
        response = editor_client.post(change_url(article), form_data(page))
        assert response.status_code == 302, response.content.decode()[:2000]
        article.refresh_from_db()
        assert {f: getattr(article, f) for f in BODIES} == before
        assert article.text_edited == stamps  # not "edited": translations stay current
        assert article.updated_at > updated  # it was saved
    assert old.body_ru.count("\n") == 2  # line breaks survived the CRLF of the form


@pytest.mark.django_db
def test_what_the_editor_sends_is_sanitized_and_stamped(editor_client, media):
    image = make_image()
    article = ArticleFactory(body_ru="<p>Было.</p>")
    stamps = dict(article.text_edited)
    page = editor_client.get(change_url(article)).content.decode()
    data = form_data(page)
    data["body_ru"] = [
        '<h2>Итоги</h2><p>Текст со <a href="https://un.org">ссылкой</a></p>'
        "<ul><li><p>один</p></li></ul>"
        f'<figure class="figure"><img src="{image.file.url}" alt="Зал" data-file="{image.pk}">'
        '<figcaption class="figure-caption">Подпись</figcaption></figure>'
        '<img src="x" onerror="alert(1)"><p style="color:red" onclick="alert(2)">стиль</p>'
    ]
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.body_ru == (
        '<h2>Итоги</h2><p>Текст со <a href="https://un.org" rel="noopener noreferrer nofollow">'
        "ссылкой</a></p><ul><li><p>один</p></li></ul>"
        f'<figure><img src="{image.file.url}" alt="Зал" data-file="{image.pk}" width="640" '
        'height="400"><figcaption>Подпись</figcaption></figure><img><p>стиль</p>'
    )
    assert article.text_edited["ru"] > stamps["ru"]
    assert article.body_az == ""  # the empty translations stay empty
    assert "az" not in article.text_edited


# --- the sanitizer: figures, images and attacks through them ------------------------


def test_figures_from_the_library_are_kept():
    html = (
        '<figure><img src="/media/images/2025/01/zal.png" alt="Зал «Ад хок»" width="640" '
        'height="400" loading="lazy" data-file="12"><figcaption>Подпись — <em>Архив</em>'
        "</figcaption></figure>"
    )
    assert clean_html(html) == html
    https = '<figure><img src="https://example.org/a.jpg" alt=""></figure>'
    assert clean_html(https) == https


@pytest.mark.parametrize(
    "img",
    [
        '<img src="/media/a.png" onerror="alert(1)">',
        '<img src="/media/a.png" onload="alert(1)" ONERROR=alert(1)>',
        '<img src="/media/a.png" style="background:url(javascript:alert(1))">',
        '<img src="/media/a.png" srcset="javascript:alert(1) 1x, data:image/svg+xml,x 2x">',
        '<img src="/media/a.png" sizes="100vw" srcset="https://evil.example/x.png 1x">',
        '<img src="/media/a.png" usemap="#m" ismap crossorigin="use-credentials">',
    ],
)
def test_image_attributes_beyond_the_list_are_removed(img):
    assert clean_html(img) == '<img src="/media/a.png">'


@pytest.mark.parametrize(
    "src",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "data:image/png;base64,iVBORw0KGgo=",
        "vbscript:msgbox(1)",
        "http:///a.png",
        "http://",
        "//evil.example/pixel.png",
        "/admin/logout/",
        "/media/../admin/logout/",
        "/media/%2e%2e/admin/logout/",
        "/media/%2E%2e/admin/",
        "/media/a/%2f%2fevil.example/x.png",
        "/media/a\\..\\..\\admin/",
        "/media//evil.example/x.png",
        "/media/./a.png",
        "https:///a.png",
        "https:\\\\evil.example/a.png",
        "x",
        "",
    ],
)
def test_unsafe_image_addresses_are_removed(src):
    cleaned = clean_html(f'<img src="{src}" alt="a">')
    assert cleaned == '<img alt="a">', cleaned


@pytest.mark.parametrize(
    ("src", "kept"),
    [
        ("http://apa.az/photo/a.jpg", "https://apa.az/photo/a.jpg"),
        ("HTTP://Example.org/a.png?w=1", "https://Example.org/a.png?w=1"),
    ],
)
def test_an_old_http_image_is_upgraded_not_dropped(src, kept):
    """Bodies imported years ago link agency photos over http:, which an https page may
    not load as such; the policy allows https:, and browsers upgrade such images too."""
    assert clean_html(f'<img src="{src}" alt="Фото">') == f'<img src="{kept}" alt="Фото">'


def test_media_url_on_another_host_is_https_like_any_other(settings):
    settings.MEDIA_URL = "https://media.example.org/archive/"
    assert clean_html('<img src="https://media.example.org/archive/a.png">') == (
        '<img src="https://media.example.org/archive/a.png">'
    )
    assert clean_html('<img src="/media/a.png">') == "<img>"  # not ours any more


@pytest.mark.parametrize(
    "attribute",
    ['width="100%"', 'height="-1"', 'width="1e9"', 'width="999999"', 'loading="auto"',
     'loading="LAZY"', 'data-file="1;alert(1)"', 'data-file="../5"'],
)  # fmt: skip
def test_image_numbers_and_keywords_are_checked(attribute):
    assert clean_html(f'<img src="/media/a.png" {attribute}>') == '<img src="/media/a.png">'


def test_a_figure_cannot_smuggle_markup():
    html = (
        '<figure onclick="alert(1)" class="x" style="x"><img src="/media/a.png" alt="&quot; '
        'onerror=&quot;alert(1)"><figcaption onmouseover="alert(1)"><script>alert(1)</script>'
        '<a href="javascript:alert(1)">ссылка</a></figcaption></figure>'
    )
    assert clean_html(html) == (
        '<figure><img src="/media/a.png" alt="&quot; onerror=&quot;alert(1)"><figcaption>'
        '<a rel="noopener noreferrer nofollow">ссылка</a></figcaption></figure>'
    )


def test_sanitized_figures_are_stable():
    html = (
        '<figure><img src="/media/a.png" alt="A" data-file="1"><figcaption>B</figcaption></figure>'
    )
    assert clean_html(clean_html(html)) == clean_html(html) == html


# --- the image picker ---------------------------------------------------------------


@pytest.fixture
def picker():
    return reverse("admin:archive_article_image_picker")


@pytest.mark.django_db
def test_the_picker_is_for_staff_who_may_see_images(client, django_user_model, picker, media):
    assert client.get(picker).status_code == 302  # to the login page
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)
    assert client.get(picker).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_image"))
    assert client.get(picker).status_code == 200


def choices(response):
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    buttons = doc.iter("button")
    return [dict(b.attrib) for b in buttons if "image-picker-choice" in (b.get("class") or "")]


@pytest.mark.django_db
def test_the_picker_lists_recent_images_and_searches_every_language(editor_client, picker, media):
    older = make_image(
        alt_ru="Конвенция ООН", alt_az="BMT Konvensiyası", caption_ru="Подписание", credit="ООН"
    )
    newer = make_image(alt_ru="Нью-Йорк", caption_ru="", credit="Архив")
    listed = choices(editor_client.get(picker, {"language": "ru", "CKEditorFuncNum": "-1"}))
    assert [c["data-id"] for c in listed] == [str(newer.pk), str(older.pk)]
    assert listed[1]["data-alt"] == "Конвенция ООН"
    assert listed[1]["data-caption"] == "Подписание — ООН"  # the credit goes along
    assert listed[1]["data-url"] == older.file.url
    # Case-folded, in any language, on SQLite too.
    for query in ("конвенц", "KONVENSIYA", "подписание оон"):
        found = choices(editor_client.get(picker, {"q": query, "language": "ru"}))
        assert [c["data-id"] for c in found] == [str(older.pk)], query
    # The body's language chooses the description (Russian when there is none).
    az = choices(editor_client.get(picker, {"language": "az"}))
    assert [c["data-alt"] for c in az] == ["Нью-Йорк", "BMT Konvensiyası"]
    empty = editor_client.get(picker, {"q": "жираф"}).content.decode()
    assert "жираф" in empty and not choices(editor_client.get(picker, {"q": "жираф"}))


@pytest.mark.django_db
def test_the_picker_finds_an_image_however_old(
    editor_client, picker, media, django_assert_max_num_queries
):
    """The search runs in the database, on every image, not on the newest ones."""
    old = make_image(alt_ru="Зал заседаний Генеральной Ассамблеи", credit="ООН")
    Image.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=3000))
    Image.objects.bulk_create(
        Image(
            file=f"images/filler-{n}.png", width=10, height=10, alt_ru=f"Снимок {n}", credit="Архив"
        )
        for n in range(2500)
    )
    with django_assert_max_num_queries(12):
        found = choices(editor_client.get(picker, {"q": "ГЕНЕРАЛЬНОЙ зал", "language": "ru"}))
    assert [c["data-id"] for c in found] == [str(old.pk)]
    assert " генеральной" in Image.objects.get(pk=old.pk).search_key  # folded, word by word


@pytest.mark.django_db
def test_the_picker_pages_keep_the_search_and_the_editor(editor_client, picker, media):
    for n in range(PICKER_PAGE_SIZE + 1):
        make_image(alt_ru=f"Снимок {n}")
    first = editor_client.get(picker, {"q": "снимок", "CKEditorFuncNum": "-3", "language": "en"})
    assert len(choices(first)) == PICKER_PAGE_SIZE
    html = first.content.decode()
    assert (
        "?CKEditorFuncNum=-3&amp;language=en&amp;q=%D1%81%D0%BD%D0%B8%D0%BC%D0%BE%D0%BA&amp;page=2"
        in html
    )
    second = editor_client.get(
        picker, {"q": "снимок", "CKEditorFuncNum": "-3", "language": "en", "page": 2}
    )
    assert [c["data-alt"] for c in choices(second)] == ["Снимок 0"]


@pytest.mark.django_db
def test_library_images_in_a_body_get_their_size_on_save(media):
    """So the text does not jump when they load; scaled to the column, shape kept."""
    wide, small = make_image(size=(2000, 1000)), make_image(size=(300, 200))
    body = (
        f'<p>До</p><figure><img src="{wide.file.url}" alt="Зал" data-file="{wide.pk}">'
        "<figcaption>Подпись</figcaption></figure>"
        f'<p><img src="{small.file.url}" alt="" data-file="{small.pk}"></p>'
        f'<p><img src="{small.file.url}" alt="" data-file="{small.pk}" width="150" '
        'height="100"></p>'
        '<p><img src="/media/gone.png" alt="" data-file="999999"></p>'
        '<p><img src="https://example.org/a.png" alt=""></p>'
    )
    article = ArticleFactory(body_ru=body, body_en=body)
    for saved in (article.body_ru, Article.objects.get(pk=article.pk).body_en):
        sizes = [
            (img.get("data-file"), img.get("width"), img.get("height"))
            for img in html5lib.parse(saved, namespaceHTMLElements=False).iter("img")
        ]
        assert sizes == [
            (str(wide.pk), "832", "416"),  # the column's width, half as tall
            (str(small.pk), "300", "200"),  # narrower than the column: its own size
            (str(small.pk), "150", "100"),  # the editor's size stays
            ("999999", None, None),  # no longer in the library
            (None, None, None),  # not from the library
        ]
    article.save()
    assert Article.objects.get(pk=article.pk).body_ru == article.body_ru  # stable


@pytest.mark.django_db
def test_a_body_image_is_the_smallest_rendition_wide_enough(media):
    image = make_image()
    assert image_url(image) == image.file.url  # no renditions yet
    image.renditions = {"320": "r/a-320.webp", "960": "r/a-960.webp", "1600": "r/a-1600.webp"}
    assert image_url(image) == "/media/r/a-960.webp"
    assert image_url(image, 200) == "/media/r/a-320.webp"
    image.renditions = {"320": "r/a-320.webp", "640": "r/a-640.webp"}
    assert image_url(image) == "/media/r/a-640.webp"  # the largest there is


@pytest.mark.django_db
def test_an_alt_text_that_reads_like_a_size_does_not_stop_the_sizing(media):
    """The sanitizer escapes quotes and angle brackets in attributes, but an alt text
    may end in «width=» or «height=»: that is not a size the editor gave."""
    image = make_image(size=(300, 200))
    body = "".join(
        f'<p><img src="{image.file.url}" alt="{alt}" data-file="{image.pk}"></p>'
        for alt in ("Схема: height=", "ширина width=", "Цитата: data-file=&quot;1&quot;")
    )
    saved = ArticleFactory(body_ru=body).body_ru
    images = list(html5lib.parse(saved, namespaceHTMLElements=False).iter("img"))
    assert [(img.get("alt"), img.get("width"), img.get("height")) for img in images] == [
        ("Схема: height=", "300", "200"),
        ("ширина width=", "300", "200"),
        ('Цитата: data-file="1"', "300", "200"),
    ]
