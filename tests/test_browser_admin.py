"""The admin in a real Chromium: every page loads with no server error, no script
error and no request leaving the machine; the translation tabs work offline."""

import pytest
from django.urls import reverse

from archive.models import Article, Rubric, Source, Tag

from .browser import screenshot
from .factories import ArticleFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_urls(article):
    urls = ["admin:index"]
    for model in (Article, Rubric, Tag, Source):
        name = model._meta.model_name
        obj = model.objects.first()
        urls += [
            (f"admin:archive_{name}_changelist", ()),
            (f"admin:archive_{name}_add", ()),
            (f"admin:archive_{name}_change", (obj.pk,)),
            (f"admin:archive_{name}_history", (obj.pk,)),
        ]
    urls += [("admin:archive_article_import", ()), ("admin:archive_article_export", ())]
    return [reverse(u) if isinstance(u, str) else reverse(u[0], args=u[1]) for u in urls]


def test_every_admin_page_loads_offline(admin_page, live_server):
    article = ArticleFactory(title_ru="Конвенция ООН", tags=[TagFactory(name_ru="ООН")])
    for path in admin_urls(article):
        response = admin_page.goto(live_server.url + path)
        assert response.status == 200, path
        assert admin_page.locator("#content").count() == 1, path
    assert admin_page.outside_requests == []
    assert admin_page.errors == []


def test_translation_tabs_switch_languages(admin_page, live_server):
    article = ArticleFactory(
        title_ru="Конвенция ООН", title_az="BMT Konvensiyası", title_en="UN Convention"
    )
    admin_page.goto(live_server.url + reverse("admin:archive_article_change", args=[article.pk]))
    switch = admin_page.locator(".translation-switch")
    switch.wait_for()
    assert admin_page.locator("#id_title_ru").is_visible()
    assert not admin_page.locator("#id_title_az").is_visible()
    switch.locator("button", has_text="Azərbaycanca").click()
    assert admin_page.locator("#id_title_az").is_visible()
    assert admin_page.locator("#id_title_az").input_value() == "BMT Konvensiyası"
    assert not admin_page.locator("#id_title_ru").is_visible()
    # One switch for the whole form: the lead and the body followed the title.
    for field in ("lead", "body"):  # rows: a rich-text editor may hide its textarea
        assert admin_page.locator(f".form-row.field-{field}_az").is_visible()
        assert not admin_page.locator(f".form-row.field-{field}_ru").is_visible()
    screenshot(admin_page, "admin-article-change-az")
    assert admin_page.outside_requests == [] and admin_page.errors == []


def test_new_article_slug_is_prefilled_from_the_russian_title(admin_page, live_server):
    admin_page.goto(live_server.url + reverse("admin:archive_article_add"))
    title = admin_page.locator("#id_title_ru")
    title.fill("Щит и меч: конвенция ООН")
    title.press("End")  # a real key event, as when an editor types
    assert admin_page.locator("#id_slug").input_value() == "shchit-i-mech-konventsiya-oon"
    screenshot(admin_page, "admin-article-add")


def test_a_long_title_is_cut_after_a_whole_word_as_on_the_server(admin_page, live_server):
    from archive.slugs import transliterate_slug

    title = "Генеральная Ассамблея ООН учредила комитет для разработки конвенции против ИКТ в"
    admin_page.goto(live_server.url + reverse("admin:archive_article_add"))
    field = admin_page.locator("#id_title_ru")
    field.fill(title)
    field.press("End")
    assert admin_page.locator("#id_slug").input_value() == transliterate_slug(title)
