"""Lead images in a real Chromium: the seed article's picture on the page at desktop and
phone widths (the browser picks a WebP of the right width) and in each language's own
version, and an editor uploading a picture and choosing it as an article's lead image,
then its Azerbaijani version on the Azerbaijani tab."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from archive.illustrations import ensure_seed_images
from archive.models import Article, Image

from .browser import chromium_page, screenshot
from .image_support import library_image, media_root, photo, png_of_zeros  # noqa: F401
from .pages_support import SEED_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]

SHOWN = """(img) => ({complete: img.complete, natural: img.naturalWidth,
  current: img.currentSrc, width: img.getBoundingClientRect().width})"""


def watched(page):
    """Console errors (a CSP violation is one) collected from now on."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)
    assert ensure_seed_images() == 15


def test_article_page_shows_the_lead_image_at_desktop_and_phone_widths(live_server, seeded):
    with chromium_page(live_server.url) as page:
        console = watched(page)
        page.goto(live_server.url + reverse("archive:article-detail", args=[SEED_SLUG]))
        img = page.locator("figure.lead-image img")
        img.wait_for()
        page.wait_for_function("() => document.querySelector('figure.lead-image img').complete")
        shown = img.evaluate(SHOWN)
        # 831 px of text column at 1280 px: the browser takes the 1024 px WebP.
        assert shown["current"].endswith("-1024.webp") and shown["natural"] > 0, shown
        assert shown["width"] == 831
        caption = page.locator("figure.lead-image figcaption").inner_text()
        assert "Архив новостей (иллюстрация); данные: ООН" in caption

        screenshot(page, "article-lead-image")

        # Cards (a tag's list; the seed article's related notes are in its story's
        # timeline now): each with its own small thumbnail, loaded when near.
        page.goto(live_server.url + reverse("archive:tag-detail", args=["oon"]))
        thumbs = page.locator("main article.card picture.thumbnail img")
        assert thumbs.count() == 5
        thumbs.last.scroll_into_view_if_needed()
        page.wait_for_function(
            "() => [...document.querySelectorAll('main article.card picture img')]"
            ".every((i) => i.complete && i.naturalWidth > 0)"
        )
        card = thumbs.first.evaluate(SHOWN)
        assert card["current"].endswith("-320.webp") and card["width"] == 144, card  # 8rem

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(live_server.url + reverse("archive:article-detail", args=[SEED_SLUG]))
        page.wait_for_function(
            "() => { const i = document.querySelector('figure.lead-image img');"
            " return i.complete && i.naturalWidth > 0; }"
        )
        shown = img.evaluate(SHOWN)
        assert shown["current"].endswith("-640.webp") and shown["width"] == 358, shown
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        screenshot(page, "article-lead-image-390")
        assert page.outside_requests == [] and page.errors == []
        assert console == []


def test_each_language_shows_its_own_version_of_the_seed_picture(live_server, seeded, settings):
    settings.ROOT_URLCONF = "tests.media_urls"  # the live server serves the renditions
    article = Article.objects.get(slug=SEED_SLUG)
    with chromium_page(live_server.url) as page:
        console = watched(page)
        for code in ("ru", "az", "en"):
            image = getattr(article, f"lead_image_{code}")
            with translation.override(code):
                path = reverse("archive:article-detail", args=[SEED_SLUG])
            page.goto(live_server.url + path)
            page.wait_for_function(
                "() => { const i = document.querySelector('figure.lead-image img');"
                " return i.complete && i.naturalWidth > 0; }"
            )
            shown = page.locator("figure.lead-image img").evaluate(SHOWN)
            # The picture with the page's words: its own renditions, at the same width.
            assert f"/media/renditions/{image.pk}/" in shown["current"], (code, shown)
            assert shown["current"].endswith("-1024.webp") and shown["width"] == 831, shown
            alt = page.locator("figure.lead-image img").get_attribute("alt")
            assert alt == getattr(image, f"alt_{code}")
            screenshot(page, f"article-lead-image-{code}")
        assert page.outside_requests == [] and page.errors == []
        assert console == []


@pytest.fixture
def admin_page(live_server, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "secret-pw")
    with chromium_page(live_server.url) as page:
        page.goto(live_server.url + "/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "secret-pw")
        page.click("input[type=submit]")
        page.wait_for_url(live_server.url + "/admin/")
        yield page


def test_an_editor_uploads_a_picture_and_makes_it_the_lead_image(admin_page, live_server, tmp_path):
    page = admin_page
    console = watched(page)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_of_zeros(30000, 30000))
    page.goto(live_server.url + reverse("admin:archive_image_add"))
    page.set_input_files("#id_file", str(bomb))
    page.fill("#id_alt_ru", "Бомба")
    page.fill("#id_credit", "Никто")
    page.click("input[name=_save]")
    error = page.locator(".errorlist li").first.inner_text()
    assert error.startswith("bomb.png: в заголовке файла указано намного больше 50,0 Мп")
    screenshot(page, "admin-image-refused")
    assert not Image.objects.exists()

    upload = tmp_path / "красный-синий.jpg"
    upload.write_bytes(photo(1400, 800, orientation=1, gps=True))
    page.set_input_files("#id_file", str(upload))
    page.fill("#id_alt_ru", "Красный и синий прямоугольники")
    page.fill("#id_credit", "Фото: редакция")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/archive/image/")
    image = Image.objects.get()
    thumb = page.locator(".field-list_thumbnail img")
    thumb.wait_for()
    page.wait_for_function("() => document.querySelector('.field-list_thumbnail img').naturalWidth")
    screenshot(page, "admin-image-list")
    page.click(".field-alt a")
    page.wait_for_url("**/change/")
    page.wait_for_function("() => document.querySelector('.field-preview img').naturalWidth")
    screenshot(page, "admin-image-change")

    article = Article.objects.create(title_ru="Статья для картинки", status=Article.Status.DRAFT)
    page.goto(live_server.url + reverse("admin:archive_article_change", args=[article.pk]))
    ru_preview = page.locator(".lead-image-preview[lang=ru]")
    assert ru_preview.locator("img").count() == 0
    page.locator(".field-lead_image_ru .select2-selection").click()
    page.locator("input[aria-controls='select2-id_lead_image_ru-results']").fill("красный")
    page.locator(".select2-results__option", has_text="Красный и синий").click()
    preview = ru_preview.locator("img")
    preview.wait_for()
    assert f"/media/renditions/{image.pk}/" in preview.get_attribute("src")
    page.wait_for_function(
        "() => document.querySelector('.lead-image-preview[lang=ru] img').naturalWidth"
    )
    page.locator(".field-lead_image_ru").scroll_into_view_if_needed()
    screenshot(page, "admin-article-lead-image")

    # The Azerbaijani version of the picture, chosen on the Azerbaijani tab: until then
    # the tab says its pages show the Russian picture.
    az_image = library_image(photo(1400, 800), name="az.jpg", alt_ru="Версия на азербайджанском")
    page.locator(".translation-switch button", has_text="Azərbaycanca").click()
    assert not page.locator(".field-lead_image_ru").is_visible()
    az_preview = page.locator(".lead-image-preview[lang=az]")
    fallback = az_preview.locator(".lead-image-fallback")
    assert fallback.is_visible()
    assert fallback.inner_text() == (
        "Не выбрано: страницы на этом языке показывают русское главное изображение."
    )
    original = page.locator(".field-lead_image_az .translation-original-text")
    assert original.inner_text() == "Красный и синий прямоугольники"  # the Russian choice
    page.locator(".field-lead_image_az .select2-selection").click()
    page.locator("input[aria-controls='select2-id_lead_image_az-results']").fill("азерб")
    page.locator(".select2-results__option", has_text="Версия на азербайджанском").click()
    az_preview.locator("img").wait_for()
    assert f"/media/renditions/{az_image.pk}/" in az_preview.locator("img").get_attribute("src")
    assert not fallback.is_visible()
    page.wait_for_function(
        "() => document.querySelector('.lead-image-preview[lang=az] img').naturalWidth"
    )
    page.locator(".field-lead_image_az").scroll_into_view_if_needed()
    screenshot(page, "admin-article-lead-image-az")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    article.refresh_from_db()
    assert (article.lead_image_ru_id, article.lead_image_az_id) == (image.pk, az_image.pk)
    assert article.lead_image_en_id is None
    assert page.url.endswith("#lang=az")  # reopened on the language it was saved in
    assert page.locator(".field-lead_image_az").is_visible()
    assert page.outside_requests == [] and page.errors == []
    assert console == []
