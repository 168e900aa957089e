"""The admin home's dashboard and the preview in a real Chromium: laid out at a desktop
and a phone width with nothing off screen, the preview button opening the draft on the
site's template, nothing loaded from outside the machine."""

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import Article

from .browser import screenshot
from .factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOUR = timezone.timedelta(hours=1)


def newsroom(editor):
    now = timezone.now()
    drafts = [
        ArticleFactory(
            title_ru=title, status=Article.Status.DRAFT, created_by=editor, title_az="", title_en=""
        )
        for title in (
            "Гасан Мансуров выступил на сессии Генеральной Ассамблеи ООН в Нью-Йорке",
            "Бакинский метрополитен продлит вечерние рейсы",
            "Черновик интервью",
        )
    ]
    for n, title in enumerate(("Итоги недели", "Обзор прессы на завтра")):
        ArticleFactory(title_ru=title, title_en=f"Scheduled {n}", published_at=now + (n + 2) * HOUR)
    for n in range(10):
        ArticleFactory(
            title_ru=f"Опубликованная новость номер {n + 1} о работе парламента",
            title_az=f"Parlamentin işi haqqında xəbər {n + 1}" if n % 3 else "",
            title_en=f"Parliament news {n + 1}" if n % 4 else "",
            published_at=now - (n + 1) * HOUR,
        )
    return drafts


def test_dashboard_at_desktop_and_phone_width(admin_page, live_server):
    newsroom(admin_page.editor)
    for width, name in ((1280, "admin-dashboard"), (390, "admin-dashboard-390")):
        admin_page.set_viewport_size({"width": width, "height": 900})
        admin_page.goto(live_server.url + "/admin/")
        for block in ("#desk-index", "#desk-drafts", "#desk-scheduled", "#desk-published"):
            assert admin_page.locator(block).is_visible(), (width, block)
        assert admin_page.locator("#desk-drafts tr").count() == 3
        overflow = admin_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (width, overflow)
        desk_top = admin_page.locator("#desk").bounding_box()["y"]
        axes_top = admin_page.locator(".app-axes").bounding_box()["y"]
        assert desk_top < axes_top
        screenshot(admin_page, name)
    assert admin_page.outside_requests == [] and admin_page.errors == []


def test_preview_button_opens_the_draft_on_the_site(admin_page, live_server):
    draft = newsroom(admin_page.editor)[0]
    admin_page.set_viewport_size({"width": 1280, "height": 900})
    admin_page.goto(live_server.url + reverse("admin:archive_article_change", args=[draft.pk]))
    with admin_page.context.expect_page() as opened:
        admin_page.click("a.previewlink")
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.url == f"{live_server.url}/preview/{draft.pk}/"
    banner = preview.locator(".preview-banner")
    assert "Предпросмотр: черновик, читатели не видят эту страницу." in banner.inner_text()
    assert preview.locator("h1").inner_text() == draft.title_ru
    screenshot(preview, "article-preview-draft")
    preview.click("nav.languages a[data-lang=az]")
    preview.wait_for_url(f"{live_server.url}/az/preview/{draft.pk}/")
    assert "Önbaxış: qaralama" in preview.locator(".preview-banner").inner_text()
    assert admin_page.outside_requests == [] and admin_page.errors == []
