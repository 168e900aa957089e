"""Search in a real Chromium: suggestions appear in the box's datalist as you type, the
form submits to highlighted results, and it works the same with JavaScript off.
Screenshots: test-output/screenshots/search-*.png. Nothing may leave the machine."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command

from .browser import chromium_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, search_index):
    cache.clear()
    call_command("loaddata", "seed", verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    with chromium_page(live_server.url) as page:
        yield page, live_server.url
        assert page.outside_requests == []
        assert page.errors == []
    cache.clear()


def datalist_values(page):
    return page.eval_on_selector_all("#search-suggestions option", "os => os.map(o => o.value)")


def test_type_see_suggestions_submit_and_read_highlighted_results(site):
    page, base = site
    page.goto(base + "/")
    box = page.locator("header form[role=search] input[name=q]")
    assert page.locator("head link[rel=search]").get_attribute("href") == "/opensearch.xml"

    box.press_sequentially("ман", delay=40)
    # Functions, not strings: a string is eval'd in the page, which the CSP forbids.
    page.wait_for_function(
        "() => document.querySelectorAll('#search-suggestions option').length > 0"
    )
    assert "Гасан Мансуров" in datalist_values(page)

    box.fill("")
    box.press_sequentially("конвенц", delay=40)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-suggestions option')]"
        ".some(o => o.value.startsWith('Конвенция ООН против киберпреступности открыта'))"
    )
    box.fill("конвенцию")
    box.press("Enter")
    page.wait_for_url(f"{base}/search/?q=*")
    assert page.locator("h1").inner_text() == "Поиск"
    assert page.locator("article.search-hit").count() == 5
    assert page.locator("article.search-hit mark").count() >= 5
    marks = page.locator("article.search-hit mark").all_inner_texts()
    assert {m.lower() for m in marks} <= {"конвенция", "конвенцию", "конвенции", "конвенций"}
    assert page.locator("main input[name=q]").input_value() == "конвенцию"
    screenshot(page, "search-results")

    # A facet narrows the results; its chip takes the filter away again.
    page.locator("aside.search-facets").get_by_role("link", name="Нью-Йорк").click()
    page.wait_for_url("**place=nyu-york*")
    assert page.locator("article.search-hit").count() == 2
    page.locator("ul.search-active a").click()
    page.wait_for_load_state()
    assert page.locator("article.search-hit").count() == 5


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_the_results_page_in_each_language(site, lang):
    page, base = site
    prefix = "" if lang == "ru" else f"/{lang}"
    page.goto(f"{base}{prefix}/search/?q=конвенция")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("article.search-hit").count() == 5
    heading = {"ru": "Поиск", "az": "Axtarış", "en": "Search"}[lang]
    assert page.locator("h1").inner_text() == heading
    # The layout holds: facets beside the results on a wide screen.
    results = page.locator("section.search-results").bounding_box()
    facets = page.locator("aside.search-facets").bounding_box()
    assert facets["x"] > results["x"] + results["width"]
    screenshot(page, f"search-{lang}")


def test_a_repaired_query_says_so_and_links_the_original(site):
    page, base = site
    page.goto(base + "/search/?q=rjydtywbz")
    notice = page.locator("p.search-notice").first
    assert "«конвенция»" in notice.inner_text()
    screenshot(page, "search-repaired")
    notice.get_by_role("link").click()
    page.wait_for_url("**exact=1")
    assert page.locator("article.search-hit").count() == 0
    assert "Ничего не найдено" in page.locator("main").inner_text()


def test_the_form_works_without_javascript(site):
    page, base = site
    context = page.context.browser.new_context(java_script_enabled=False, locale="ru-RU")
    local = urlsplit(base).hostname
    blocked = []

    def guard(route):
        if urlsplit(route.request.url).hostname == local:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        plain = context.new_page()
        plain.route("**/*", guard)
        plain.goto(base + "/en/")
        plain.locator("header input[name=q]").fill("Мансуров")
        plain.locator("header form[role=search] button").click()
        plain.wait_for_url(f"{base}/en/search/?q=*")
        assert plain.locator("article.search-hit").count() == 1
        assert plain.locator("article.search-hit mark").count() >= 1
        assert plain.locator("#search-suggestions option").count() == 0
        screenshot(plain, "search-no-js")
    finally:
        context.close()
    assert blocked == []
