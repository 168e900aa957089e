"""The image library in the admin: uploads through the real form (checked, stored,
rendered), editors' messages in Russian, the original for staff only, and the lead
image on the article form."""

import re

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Article, Image
from archive.renditions import renditions_of

from .factories import ArticleFactory
from .image_support import (
    library_image,
    media_path,
    media_root,  # noqa: F401 (a fixture)
    photo,
    png_of_zeros,
)


def parse_html(response):
    # Not strict: Django's own Russian admin strings put quotes inside a title attribute.
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ADD = reverse("admin:archive_image_add")


def form_data(upload=None, **fields):
    data = {"alt_ru": "Снимок для проверки", "credit": "Фото: редакция", **fields}
    if upload is not None:
        data["file"] = upload
    return data


def errors_of(response):
    doc = parse_html(response)
    return [
        " ".join("".join(li.itertext()).split())
        for li in doc.iterfind(".//ul[@class='errorlist']/li")
    ]


def stored_files():
    root = media_path()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_an_upload_is_stored_under_its_real_type_rendered_and_credited(editor_client, editor):
    # A JPEG named .png: the contents decide, and the stored name says .jpg.
    upload = SimpleUploadedFile("снимок.png", photo(1300, 700, orientation=1, gps=True))
    response = editor_client.post(ADD, form_data(upload))
    assert response.status_code == 302, errors_of(response)
    image = Image.objects.get()
    assert image.file.name.startswith("images/") and image.file.name.endswith("снимок.jpg")
    assert image.uploaded_by == editor
    assert [r.width for r in renditions_of(image)] == [320, 640, 1024, 1300]
    assert all((media_path() / r.webp).is_file() for r in renditions_of(image))


def test_the_upload_form_states_the_limits(editor_client):
    html = editor_client.get(ADD).content.decode()
    assert "JPEG, PNG или WebP, не больше 10,0\xa0МБ, 50 Мп и 12\xa0000 пикс." in html


@pytest.mark.parametrize(
    "name, data, expected",
    [
        (
            "bomb.png",
            lambda: png_of_zeros(30000, 30000),
            "bomb.png: в заголовке файла указано намного больше 50,0 Мп",
        ),
        (
            "notes.jpg",
            lambda: "просто текст".encode() * 100,
            "notes.jpg — не изображение JPEG, PNG или WebP",
        ),
        (
            "cut.jpg",
            lambda: photo(900, 700, quality=95)[:5000],
            "cut.jpg повреждён или обрезан: данные JPEG не читаются до конца.",
        ),
    ],
    ids=["bomb", "text", "cut"],
)
def test_a_refused_upload_says_why_and_stores_nothing(editor_client, name, data, expected):
    response = editor_client.post(ADD, form_data(SimpleUploadedFile(name, data())))
    assert response.status_code == 200
    assert any(error.startswith(expected) for error in errors_of(response)), errors_of(response)
    assert not Image.objects.exists()
    assert stored_files() == []


def test_editing_the_texts_keeps_the_file_and_renditions(editor_client, editor):
    image = library_image(uploaded_by=editor)
    before = dict(image.renditions)
    change = reverse("admin:archive_image_change", args=[image.pk])
    response = editor_client.post(change, form_data(alt_az="Qırmızı-göy şəkil", credit="APA"))
    assert response.status_code == 302, errors_of(response)
    image.refresh_from_db()
    assert (image.alt_az, image.credit, image.renditions) == ("Qırmızı-göy şəkil", "APA", before)


def test_a_new_file_replaces_the_old_one_and_its_renditions(
    editor_client, django_capture_on_commit_callbacks
):
    image = library_image(photo(800, 600), name="old.jpg")
    old = {image.file.name} | {r.jpeg for r in renditions_of(image)}
    change = reverse("admin:archive_image_change", args=[image.pk])
    upload = SimpleUploadedFile("new.webp", photo(500, 900, fmt="WEBP"))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change, form_data(upload))
    assert response.status_code == 302, errors_of(response)
    image.refresh_from_db()
    assert image.file.name.endswith("new.webp")
    assert [(r.width, r.height) for r in renditions_of(image)] == [(320, 576), (500, 900)]
    assert set(stored_files()) == {image.file.name} | {
        name for r in renditions_of(image) for name in (r.jpeg, r.webp)
    }
    assert not old & set(stored_files())


def test_bodies_showing_a_replaced_file_show_the_new_one(
    editor_client, django_capture_on_commit_callbacks
):
    """The old renditions are deleted with the old file: every body (in every language)
    that shows the image is pointed at the new one, its automatic size with it; an
    editor's own width stays, with the height of the new shape; other images and the
    text are untouched."""
    from archive.admin.richtext import image_url

    image = library_image(photo(1600, 900), name="wide.jpg")
    other = library_image(photo(400, 300), name="other.jpg")
    figure = f'<figure><img src="{image_url(image)}" alt="Карта" data-file="{image.pk}"></figure>'
    kept = f'<p><img src="{image_url(other)}" alt="Другая" data-file="{other.pk}"></p>'
    own = f'<p><img src="{image_url(image)}" alt="Мала" width="400" data-file="{image.pk}"></p>'
    article = ArticleFactory(
        title_ru="Статья с картой",
        body_ru=f"<p>Текст</p>{figure}{kept}",
        body_az=f"<p>Mətn</p>{own}",
    )
    untouched = ArticleFactory(title_ru="Без картинки", body_ru="<p>data-file</p>")
    article.refresh_from_db()
    assert 'width="832" height="468"' in article.body_ru  # sized on save from 1600 × 900
    kept = kept.replace('">', '" width="400" height="300">')  # sized on save too
    assert kept in article.body_ru
    stamps = (article.updated_at, article.text_edited)
    change = reverse("admin:archive_image_change", args=[image.pk])
    upload = SimpleUploadedFile("tall.jpg", photo(600, 900))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change, form_data(upload), follow=True)
    assert response.status_code == 200
    assert "Новый файл показан в тексте 1 статьи." in response.content.decode()
    image.refresh_from_db()
    article.refresh_from_db()
    new_url = image_url(image)
    assert new_url != figure.split('"')[1]
    assert article.body_ru == (
        f'<p>Текст</p><figure><img src="{new_url}" alt="Карта" data-file="{image.pk}" '
        f'width="600" height="900"></figure>{kept}'
    )
    assert f'<img src="{new_url}" alt="Мала" width="400" data-file="{image.pk}" height="600">' in (
        article.body_az
    )
    assert (article.updated_at, article.text_edited) == stamps
    assert untouched.body_ru == Article.objects.get(pk=untouched.pk).body_ru
    page = editor_client.get(article.get_absolute_url()).content.decode()
    for src in re.findall(r'<img src="(/media/[^"]+)"', page):
        assert (media_path() / src.removeprefix("/media/")).is_file(), src


def test_an_image_shown_in_a_body_cannot_be_deleted_and_the_page_names_the_articles(
    editor_client,
):
    from archive.admin.richtext import image_url

    shown, spare = library_image(name="shown.jpg"), library_image(name="spare.jpg")
    img = f'<p><img src="{image_url(shown)}" alt="Карта" data-file="{shown.pk}"></p>'
    article = ArticleFactory(title_ru="Статья с картой", body_ru=img, body_en=img)
    ArticleFactory(title_ru="Другая", body_ru=f'<p><img alt="x" data-file="{shown.pk}0"></p>')
    delete = reverse("admin:archive_image_delete", args=[shown.pk])
    page = editor_client.get(delete).content.decode()
    link = reverse("admin:archive_article_change", args=[article.pk])
    assert "Нельзя удалить изображение" in page
    assert (
        f'Статья: <a href="{link}">Статья с картой</a> — изображение в её тексте (RU, EN)' in page
    )
    assert "Другая" not in page  # data-file="…0" is another image
    refused = editor_client.post(delete, {"post": "yes"})  # the same page again
    assert refused.status_code == 200 and "Нельзя удалить изображение" in refused.content.decode()
    changelist = reverse("admin:archive_image_changelist")
    both = {"action": "delete_selected", "_selected_action": [shown.pk, spare.pk], "post": "yes"}
    page = editor_client.post(changelist, both).content.decode()
    assert "Нельзя удалить 2 изображения" in page and "Статья с картой" in page
    assert Image.objects.count() == 2
    ArticleFactory(title_ru="Только заглавная", lead_image=spare)
    assert (
        editor_client.post(
            reverse("admin:archive_image_delete", args=[spare.pk]), {"post": "yes"}
        ).status_code
        == 302
    )
    assert list(Image.objects.all()) == [shown]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ru", "az"])
def test_deleting_a_lead_image_commits_and_empties_every_lead_image_column(editor_client, language):
    """Django empties the articles' lead_image with update(lead_image=None), which
    modeltranslation rewrote to the editor's language's column: the untranslated column
    kept the id, and the commit failed on its foreign key (a server error)."""
    picture, other = library_image(name="lead.jpg"), library_image(name="other.jpg")
    article = ArticleFactory(title_ru="С картинкой", lead_image=picture, lead_image_en=picture)
    keeps = ArticleFactory(title_ru="С другой", lead_image=other)
    editor_client.cookies["django_language"] = language
    delete = reverse("admin:archive_image_delete", args=[picture.pk])
    response = editor_client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    columns = ("lead_image", "lead_image_ru", "lead_image_az", "lead_image_en")
    raw = Article.objects.rewrite(False).values_list
    assert raw(*columns).get(pk=article.pk) == (None, None, None, None)
    assert raw(*columns).get(pk=keeps.pk) == (other.pk, other.pk, None, None)
    assert list(Image.objects.all()) == [other]


def test_an_image_whose_original_was_lost_can_be_edited_and_given_a_new_file(editor_client):
    """Django reads the size from the file on every validation: a lost original made each
    save a server error, the upload of a replacement too."""
    image = library_image(photo(800, 600), name="lost.jpg")
    (media_path() / image.file.name).unlink()
    change = reverse("admin:archive_image_change", args=[image.pk])
    assert editor_client.get(change).status_code == 200
    response = editor_client.post(change, form_data(alt_ru="Описание после потери"))
    assert response.status_code == 302, errors_of(response)
    image.refresh_from_db()
    assert (image.alt_ru, image.width, image.height) == ("Описание после потери", 800, 600)
    upload = SimpleUploadedFile("found.jpg", photo(640, 480))
    response = editor_client.post(change, form_data(upload))
    assert response.status_code == 302, errors_of(response)
    image.refresh_from_db()
    assert image.file.name.endswith("found.jpg") and (image.width, image.height) == (640, 480)
    assert (media_path() / image.file.name).is_file() and renditions_of(image)


def test_the_list_shows_thumbnails_searches_alt_and_credit_and_counts_articles(editor_client):
    image = library_image(alt_az="Qırmızı-göy", credit="Агентство «Юг»")
    other = library_image(name="other.jpg", alt_ru="Другое", credit="Другой автор")
    ArticleFactory(title_ru="Статья с картинкой", lead_image=image)
    changelist = reverse("admin:archive_image_changelist")
    doc = parse_html(editor_client.get(changelist))
    thumbnails = doc.findall(".//*[@class='field-list_thumbnail']//img")
    assert len(thumbnails) == 2
    assert thumbnails[-1].get("src").startswith(f"/media/renditions/{image.pk}/")
    assert thumbnails[-1].get("src").endswith("-320.jpg")
    for query, found in (("юг", image), ("göy", image), ("другое", other), ("ДРУГОЙ", other)):
        html = editor_client.get(changelist, {"q": query}).content.decode()
        assert f"/{found.pk}/change/" in html and html.count('class="field-list_thumbnail"') == 1
    # The count and its link cover every language's lead image, whatever the admin's.
    ArticleFactory(title_ru="Статья с картинкой на английском", lead_image_en=image)
    ArticleFactory(title_ru="Статья с другой картинкой", lead_image=other)
    for admin_language in ("ru", "en"):
        editor_client.cookies["django_language"] = admin_language
        doc = parse_html(editor_client.get(changelist))
        [row] = [
            tr
            for tr in doc.findall(".//table[@id='result_list']/tbody/tr")
            if tr.find(".//img").get("src").startswith(f"/media/renditions/{image.pk}/")
        ]
        link = row.find(".//td[@class='field-used_in']/a")
        assert link.text == "2"
        used = editor_client.get(link.get("href")).content.decode()
        assert "Статья с картинкой" in used and "Статья с картинкой на английском" in used
        assert "Статья с другой картинкой" not in used


def test_the_original_is_served_to_staff_only(editor_client, client):
    image = library_image(photo(640, 480, gps=True))
    original = reverse("admin:archive_image_original", args=[image.pk])
    response = editor_client.get(original)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == (media_path() / image.file.name).read_bytes()
    editor_client.logout()
    assert client.get(original).status_code == 302  # to the login page
    assert (
        editor_client.get(reverse("admin:archive_image_original", args=[99999])).status_code == 302
    )


def test_the_article_form_offers_the_lead_image_by_autocomplete_with_a_preview(editor_client):
    image = library_image(alt_ru="Шкала времени конвенции")
    article = ArticleFactory(lead_image=image)
    html = editor_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    doc = parse_html(html)
    # One per language, each on its language's tab, with its preview (the Russian one
    # shows the picture chosen; the others, none of their own, say what pages show).
    for code in ("ru", "az", "en"):
        select = doc.find(f".//select[@name='lead_image_{code}']")
        assert "admin-autocomplete" in select.get("class")
        assert select.get("data-translation-language") == code
    previews = {p.get("lang"): p for p in doc.findall(".//div[@class='lead-image-preview']")}
    assert set(previews) == {"ru", "az", "en"}
    preview = previews["ru"]
    assert preview.get("data-translation-language") == "ru"
    assert preview.get("data-for") == "id_lead_image_ru"
    assert preview.find(".//img").get("src").startswith(f"/media/renditions/{image.pk}/")
    for code in ("az", "en"):
        assert previews[code].find(".//img") is None
        note = previews[code].find(".//p[@class='lead-image-fallback help']")
        assert note.get("hidden") is None
        assert note.text == (
            "Не выбрано: страницы на этом языке показывают русское главное изображение."
        )
    template = preview.get("data-thumbnail-url")
    assert template == "/admin/archive/image/{id}/thumbnail/"
    assert any(s.get("src", "").endswith("archive/admin/lead-image.js") for s in doc.iter("script"))
    for code in ("ru", "az"):
        found = editor_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "archive",
                "model_name": "article",
                "field_name": f"lead_image_{code}",
                "term": "шкала",
            },
        ).json()
        assert found["results"] == [{"id": str(image.pk), "text": "Шкала времени конвенции"}]
    thumbnail = editor_client.get(template.replace("{id}", str(image.pk))).json()
    assert thumbnail["url"].endswith("-320.jpg") and thumbnail["alt"] == "Шкала времени конвенции"
