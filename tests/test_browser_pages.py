"""The readers' pages in a real Chromium: walk from the home page to an article, a tag and
its feed; switch languages; use the date archive; read it on a phone. Nothing may leave
the machine and no script may fail. Screenshots go to test-output/screenshots/pages-*.png."""

import feedparser
import pytest
from django.core.cache import cache
from django.core.management import call_command

from .browser import chromium_page, screenshot
from .factories import ArticleFactory
from .pages_support import SEED_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
]

SEED_TITLE = "Подготовлен и принят итоговый проект «Конвенции ООН против киберпреступности»-ВИДЕО"


@pytest.fixture
def site(live_server):
    cache.clear()
    call_command("loaddata", "seed", verbosity=0)
    with chromium_page(live_server.url) as page:
        yield page, live_server.url
        assert page.outside_requests == []
        assert page.errors == []
    cache.clear()


def test_home_to_article_to_tag_to_its_feed(site):
    page, base = site
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Последние новости"
    screenshot(page, "pages-home")
    page.locator("section.latest").get_by_role("link", name=SEED_TITLE).click()
    page.wait_for_url(f"{base}/articles/{SEED_SLUG}/")
    assert page.locator("h1").inner_text() == SEED_TITLE
    assert page.locator("figure.video").is_visible()
    screenshot(page, "pages-article-ru")

    page.locator("section.tags").get_by_role("link", name="ООН", exact=True).click()
    page.wait_for_url(f"{base}/tags/oon/")
    assert page.locator("h1").inner_text() == "ООН"
    assert page.locator("main > article").count() == 5
    screenshot(page, "pages-tag")

    head_feed = page.locator("head link[type='application/rss+xml']").first
    assert head_feed.get_attribute("href") == "/tags/oon/feed/"
    link = page.locator("a.feed-link")
    assert link.get_attribute("href") == "/tags/oon/feed/"
    with page.expect_response(lambda r: r.url == f"{base}/tags/oon/feed/") as info:
        try:
            link.click()
        except Exception:  # Chromium may hand an RSS document to the download manager
            pass
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert response.headers["etag"]
    # The same URL fetched as a feed reader would.
    feed = feedparser.parse(page.request.get(base + "/tags/oon/feed/").body())
    assert not feed.bozo
    assert len(feed.entries) == 5
    assert {t.term for t in feed.entries[0].tags} >= {"ООН"}


def test_switching_languages_keeps_the_page(site):
    page, base = site
    page.goto(f"{base}/articles/{SEED_SLUG}/")
    switcher = page.locator("nav.languages")
    switcher.get_by_role("link", name="English").click()
    page.wait_for_url(f"{base}/en/articles/{SEED_SLUG}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Final draft of the")
    assert page.locator("section.tags dt").all_inner_texts() == [
        "People", "Organisations", "Places", "Topics",
    ]  # fmt: skip
    screenshot(page, "pages-article-en")
    switcher.get_by_role("link", name="Azərbaycanca").click()
    page.wait_for_url(f"{base}/az/articles/{SEED_SLUG}/")
    assert "yekun layihəsi" in page.locator("h1").inner_text()
    screenshot(page, "pages-article-az")
    page.locator("section.translations").get_by_role("link").first.click()
    page.wait_for_url(f"{base}/articles/{SEED_SLUG}/")
    # A tag page switches too, and an untranslated article says what it shows.
    page.goto(f"{base}/az/tags/gasan-mansurov/")
    assert page.locator("h1").inner_text() == "Həsən Mənsurov"
    switcher.get_by_role("link", name="Русский").click()
    page.wait_for_url(f"{base}/tags/gasan-mansurov/")
    assert page.locator("h1").inner_text() == "Гасан Мансуров"
    only_russian = ArticleFactory(title_ru="Только по-русски", body_ru="<p>Текст</p>")
    page.goto(f"{base}/en/articles/{only_russian.slug}/")
    assert page.locator(".fallback-notice").is_visible()
    assert page.locator("h1").get_attribute("lang") == "ru"
    screenshot(page, "pages-article-fallback-en")


def test_date_archive_by_year_month_and_day(site):
    page, base = site
    page.goto(base + "/")
    page.locator("body > header").get_by_role("link", name="Архив", exact=True).click()
    page.wait_for_url(base + "/archive/")
    screenshot(page, "pages-archive")
    page.get_by_role("link", name="2024", exact=True).click()
    page.wait_for_url(base + "/2024/")
    assert page.locator("svg.timeline g.bar").count() == 12
    screenshot(page, "pages-year")
    # A bar of the timeline is a link to its month.
    page.locator("svg.timeline a").first.click()
    page.wait_for_url(base + "/2024/08/")
    assert page.locator("h1").inner_text().startswith("Август 2024")
    screenshot(page, "pages-month")
    page.locator("table.calendar").get_by_role("link", name="9", exact=True).click()
    page.wait_for_url(base + "/2024/08/09/")
    assert page.get_by_role("link", name=SEED_TITLE).is_visible()
    screenshot(page, "pages-day")
    page.locator("nav.periods a").first.click()  # the previous day with articles
    page.wait_for_url(base + "/2022/03/11/")
    page.locator("nav.breadcrumbs").get_by_role("link", name="2022").click()
    page.wait_for_url(base + "/2022/")
    assert page.locator("nav.periods a").all_inner_texts() == ["← 2019", "2024 →"]


def test_pages_fit_a_phone(site):
    page, base = site
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in (
        ("/", "pages-phone-home"),
        (f"/articles/{SEED_SLUG}/", "pages-phone-article"),
        ("/tags/", "pages-phone-tags"),
        ("/2024/08/", "pages-phone-month"),
    ):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
        screenshot(page, name)


def test_not_found_page(site):
    page, base = site
    response = page.goto(base + "/en/articles/no-such-article/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    page.locator("nav.languages").get_by_role("link", name="Русский").click()
    assert page.locator("h1").inner_text() == "Страница не найдена"
    screenshot(page, "pages-404")
    response = page.goto(base + "/tags/?page=abc")
    assert response.status == 404
