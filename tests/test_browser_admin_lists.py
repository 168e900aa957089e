"""The article list in a real Chromium at a laptop's and a phone's width: titles get the
room and stop after two lines, nothing runs off the screen, and the tag and source
filters are autocomplete inputs that filter the list. Screenshots:
test-output/screenshots/admin-article-list-{1280,390}.png."""

import re

import pytest
from django.urls import reverse

from archive.models import Article, Tag

from .admin_lists_support import newsroom
from .browser import chromium_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
        assert page.outside_requests == []
        assert page.errors == []


def changelist(live_server):
    return live_server.url + reverse("admin:archive_article_changelist")


def line_count(locator):
    return locator.evaluate(
        "el => Math.round(el.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(el).lineHeight))"
    )


def test_titles_get_the_room_and_stop_after_two_lines(admin_page, live_server):
    newsroom(articles=60, tags=300)
    admin_page.goto(changelist(live_server))
    screenshot(admin_page, "admin-article-list-1280")
    rows = admin_page.locator("#result_list tbody tr")
    assert rows.count() == 50  # list_per_page
    title = rows.first.locator(".article-title")
    full = Article.objects.first().title_ru  # the admin's order is the model's
    assert title.get_attribute("title") == full
    assert title.inner_text() == full
    assert title.bounding_box()["width"] >= 400  # the issue measured ~130 px
    assert all(line_count(t) <= 2 for t in admin_page.locator(".article-title").all())
    # No column runs off the page: the table fits the changelist's box.
    table = admin_page.locator("#result_list").bounding_box()
    assert table["x"] + table["width"] <= 1280
    headers = admin_page.locator("#result_list thead th").all_text_contents()
    assert [h.strip() for h in headers[1:]] == ["Заголовок", "Публикация"]

    admin_page.set_viewport_size({"width": 390, "height": 844})
    admin_page.goto(changelist(live_server))
    screenshot(admin_page, "admin-article-list-390")
    title = admin_page.locator(".article-title").first
    assert title.bounding_box()["width"] >= 180
    assert line_count(title) <= 2
    width = admin_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"


def test_tag_and_source_filters_are_autocomplete_inputs(admin_page, live_server):
    newsroom(articles=12, tags=2000, tags_per_article=3)
    person = Tag.objects.create(name_ru="Гасан Мансуров", kind=Tag.Kind.PERSON)
    marked = list(Article.objects.order_by("pk")[:2])
    for article in marked:
        article.tags.add(person)

    admin_page.goto(changelist(live_server))
    sidebar = admin_page.locator("#changelist-filter")
    # One input per filter, not a link per tag.
    assert sidebar.locator("a", has_text="Тема 0").count() == 0
    tag_filter = sidebar.locator("details", has=admin_page.locator("#filter_tags"))
    tag_filter.locator(".select2-selection").click()
    admin_page.locator(".select2-search__field").fill("Мансур")
    option = admin_page.locator(".select2-results__option", has_text="Гасан Мансуров")
    option.click()
    admin_page.wait_for_url(re.compile(rf"tags__id__exact={person.pk}"))
    assert admin_page.locator("#result_list tbody tr").count() == 2
    chosen = tag_filter.locator("li.selected")
    assert chosen.inner_text().strip() == "Гасан Мансуров"
    assert (
        tag_filter.locator(".select2-selection__rendered")
        .inner_text()
        .strip()
        .endswith("Гасан Мансуров")
    )

    # Narrow further by source, keeping the tag.
    source = marked[0].source
    source_filter = sidebar.locator("details", has=admin_page.locator("#filter_source"))
    source_filter.locator(".select2-selection").click()
    admin_page.locator(".select2-search__field").fill(source.name[:3])
    admin_page.locator(".select2-results__option", has_text=source.name).click()
    admin_page.wait_for_url(re.compile(rf"source__id__exact={source.pk}"))
    assert f"tags__id__exact={person.pk}" in admin_page.url
    expected = sum(1 for a in marked if a.source_id == source.pk)
    assert admin_page.locator("#result_list tbody tr").count() == expected
    screenshot(admin_page, "admin-article-list-filtered")

    # "All" under the tag filter drops the tag and keeps the source.
    tag_filter.locator("li a", has_text="Все").click()
    admin_page.wait_for_url(re.compile(r"source__id__exact"))
    assert "tags__id__exact" not in admin_page.url
