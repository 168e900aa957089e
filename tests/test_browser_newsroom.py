"""An editor's whole day at the desk, in a real Chromium on the live server: log in,
upload a picture, write an article in Russian with it and a tag the assist suggests,
translate the whole article on the Azerbaijani tab, preview the draft, publish it, and
find it on the site and in search. Each step's screenshot is saved as
test-output/screenshots/newsroom-NN-*.png."""

import io
import time

import pytest
from django.core.management import call_command
from PIL import Image as PillowImage
from PIL import ImageDraw

from archive.models import Article, Image, Tag
from search.models import PendingUpdate

from .browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE_RU = "Конвенцию ООН против киберпреступности открыли для подписания"
LEAD_RU = "Документ подписали представители нескольких десятков государств."
BODY_RU = "Церемония прошла в Ханое. ООН назвала конвенцию первым глобальным договором."
TITLE_AZ = "BMT-nin kibercinayətkarlığa qarşı konvensiyası imzaya açıldı"
LEAD_AZ = "Sənədi onlarla dövlətin nümayəndələri imzalayıb."
BODY_AZ = "Mərasim Hanoyda keçirilib."


def picture():
    """A real PNG, drawn here: what an editor's upload would be."""
    image = PillowImage.new("RGB", (1200, 675), (18, 52, 86))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1200, 60):
        draw.line([(x, 0), (x + 300, 675)], fill=(40, 100, 150), width=6)
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


def step(page, number, name):
    screenshot(page, f"newsroom-{number:02d}-{name}")


def editor_text(page, field):
    """The rich-text editor's editable area around the hidden textarea `field`."""
    area = page.locator(f".prose-editor:has(#id_{field}) .ProseMirror[contenteditable]")
    area.wait_for()
    return area


def type_body(page, field, text):
    editor_text(page, field).click()
    page.keyboard.type(text)
    page.wait_for_function(
        "([id, text]) => document.getElementById(id).value.includes(text)",
        arg=[f"id_{field}", text[:20]],
    )


def choose_in_autocomplete(page, field, typed, shown):
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=shown).first.click()


@pytest.fixture
def desk(live_server, search_index, settings, tmp_path, request):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "tests.media_urls"  # the live server serves the renditions
    call_command("loaddata", "seed", verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    # Logged in only now: the admin home that opens after login reads the index built above.
    page = request.getfixturevalue("admin_page")
    yield page, live_server.url
    assert page.outside_requests == []
    assert page.errors == []


def test_an_editor_writes_translates_previews_publishes_and_finds_an_article(desk, tmp_path):
    page, base = desk
    page.goto(base + "/admin/")
    index_line = page.locator(".desk-index").inner_text()
    assert "5" in index_line and "недоступен" not in index_line, index_line
    step(page, 1, "dashboard")

    # 1. A picture for the library, with what it shows and whom to credit.
    upload = tmp_path / "hanoi-ceremony.png"
    upload.write_bytes(picture())
    page.goto(base + "/admin/archive/image/add/")
    page.set_input_files("#id_file", str(upload))
    page.fill("#id_alt_ru", "Схема: церемония подписания в Ханое")
    page.fill("#id_credit", "Редакция архива")
    step(page, 2, "image-upload")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    image = Image.objects.get()
    assert image.renditions, "renditions are made at upload"

    # 2. The article in Russian: text, the picture, a tag the assist finds in the text.
    page.goto(base + "/admin/archive/article/add/")
    page.fill("#id_title_ru", TITLE_RU)
    page.locator("#id_title_ru").press("End")
    page.fill("#id_lead_ru", LEAD_RU)
    type_body(page, "body_ru", BODY_RU)
    choose_in_autocomplete(page, "lead_image_ru", "Ханое", "Схема")
    page.locator(".lead-image-preview img").wait_for()
    panel = page.locator(".assist-tags")
    panel.locator(".assist-tags__find").click()
    offered = panel.locator("button.assist-tag", has_text="ООН")
    offered.wait_for()
    offered.click()
    page.locator(".field-tags .select2-selection__choice", has_text="ООН").wait_for()
    step(page, 3, "article-russian")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    article = Article.objects.get(title_ru=TITLE_RU)
    assert article.status == Article.Status.DRAFT
    assert article.lead_image == image
    assert list(article.tags.values_list("name_ru", flat=True)) == ["ООН"]
    assert Tag.objects.filter(name_ru="ООН").count() == 1  # the existing tag, not a new one
    assert article.translation_state("az") == "missing"

    # 3. The whole Azerbaijani version on its tab.
    page.locator(".translation-switch button", has_text="Azərbaycanca").click()
    for field in ("title", "lead", "body"):
        assert page.locator(f".form-row.field-{field}_az").is_visible(), field
        assert not page.locator(f".form-row.field-{field}_ru").is_visible(), field
    page.fill("#id_title_az", TITLE_AZ)
    page.fill("#id_lead_az", LEAD_AZ)
    type_body(page, "body_az", BODY_AZ)
    step(page, 4, "article-azerbaijani")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    assert page.url.endswith("#lang=az")
    article.refresh_from_db()
    assert (article.title_az, article.lead_az) == (TITLE_AZ, LEAD_AZ)
    assert BODY_AZ in article.body_az
    assert article.translation_state("az") == "current"

    # 4. The draft previewed on the site's own templates, which readers cannot open.
    assert page.context.request.get(base + article.get_absolute_url()).status == 404
    with page.expect_popup() as opened:
        page.locator("a.previewlink").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert "Предпросмотр: черновик" in preview.locator("body").inner_text()
    assert preview.locator("h1").inner_text() == TITLE_RU
    assert preview.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    screenshot(preview, "newsroom-05-preview-draft")
    preview.goto(base + f"/az/preview/{article.pk}/")
    assert preview.locator("h1").inner_text() == TITLE_AZ
    screenshot(preview, "newsroom-06-preview-draft-az")
    preview.close()

    # 5. Published.
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    step(page, 7, "published-list")
    article.refresh_from_db()
    assert article.is_visible

    # 6. On the site: the home page, the article with its picture, the Azerbaijani page.
    page.goto(base + "/")
    page.locator("a", has_text=TITLE_RU).first.click()
    page.wait_for_url(base + article.get_absolute_url())
    figure = page.locator("article figure img, main figure img").first
    assert figure.get_attribute("alt") == "Схема: церемония подписания в Ханое"
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Редакция архива" in page.locator("main figure").first.inner_text()
    step(page, 8, "site-article")
    page.goto(base + "/az" + article.get_absolute_url())
    assert page.locator("h1").inner_text() == TITLE_AZ
    step(page, 9, "site-article-az")

    # 7. In search, by other forms of its words: «десятки государства» finds the lead's
    # «десятков государств» (the seed's own Hanoi article shares the headline's words).
    # An index write that meets a busy lock is queued and flushed in the background
    # (search/signals.py): wait for the queue to empty, as a reader a moment later would.
    for _ in range(100):
        if not PendingUpdate.objects.exists():
            break
        time.sleep(0.2)
    assert not PendingUpdate.objects.exists()
    page.goto(base + "/search/?q=" + "десятки государства")
    first = page.locator(".search-hit h2 a").first
    assert first.inner_text() == TITLE_RU
    assert first.get_attribute("href") == article.get_absolute_url()
    step(page, 10, "search")
