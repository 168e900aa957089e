"""Search in a real Chromium: the box is an ARIA 1.2 combobox whose options are links to
people, places, topics and articles (keyboard and screen reader), the form submits to
highlighted results with numbered pages, an empty page offers what to try, and it all
works with JavaScript off. Screenshots: test-output/screenshots/search-*.png.
Nothing may leave the machine."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command

from archive.models import Tag
from search import service

from .browser import chromium_page, screenshot
from .factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOX = "header form[role=search] input[name=q]"
OPTIONS = "#search-suggestions [role=option]"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


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


def open_list(page, typed, box=BOX):
    """Type as a reader does and wait for the suggestions to be shown."""
    page.locator(box).fill("")
    page.locator(box).press_sequentially(typed, delay=40)
    # Functions, not strings: a string is eval'd in the page, which the CSP forbids.
    page.wait_for_function(
        "() => !document.getElementById('search-suggestions').hidden"
        " && document.querySelectorAll('#search-suggestions [role=option]').length > 0"
    )


def labels(page):
    return page.locator(f"{OPTIONS} .search-option-label").all_inner_texts()


def active_option(page):
    """The option the box points at (aria-activedescendant), as a screen reader finds it."""
    return page.evaluate(
        """() => {
            const box = document.querySelector('header input[name=q], main input[name=q]');
            const id = box.getAttribute('aria-activedescendant');
            const option = id && document.getElementById(id);
            return option ? {
                label: option.querySelector('.search-option-label').textContent,
                selected: option.getAttribute('aria-selected'),
                role: option.getAttribute('role'),
                href: option.getAttribute('href'),
            } : null;
        }"""
    )


def test_the_box_is_a_combobox_a_screen_reader_can_follow(site):
    page, base = site
    page.goto(base + "/")
    box = page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-controls") == "search-suggestions"
    assert box.get_attribute("list") is None  # no datalist: the browser filters nothing
    listbox = page.locator("#search-suggestions")
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.get_attribute("aria-label") == "Подсказки"

    open_list(page, "ман")
    assert box.get_attribute("aria-expanded") == "true"
    assert labels(page)[0] == "Гасан Мансуров"
    assert page.locator(OPTIONS).first.get_attribute("href") == "/tags/gasan-mansurov/"
    assert page.locator(f"{OPTIONS} .search-option-kind").first.inner_text() == "персона"
    # The live region counts the options, in Russian plural forms.
    count = page.locator(OPTIONS).count()
    status = page.locator("#search-suggestions-status")
    assert status.get_attribute("role") == "status"
    page.wait_for_function(
        "() => document.getElementById('search-suggestions-status').textContent.length > 0"
    )
    word = {1: "подсказка", 2: "подсказки", 3: "подсказки", 4: "подсказки"}.get(count, "подсказок")
    assert status.inner_text().startswith(f"{count} {word}:")
    # Focus stays in the box; the active option is named by aria-activedescendant.
    assert box.get_attribute("aria-activedescendant") is None
    box.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.name") == "q"
    assert active_option(page) == {
        "label": "Гасан Мансуров",
        "selected": "true",
        "role": "option",
        "href": "/tags/gasan-mansurov/",
    }
    assert page.locator(f"{OPTIONS}[aria-selected=true]").count() == 1
    screenshot(page, "search-combobox-ru-1280")
    page.set_viewport_size(PHONE)  # the list stays open, within the narrower screen
    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator("#search-suggestions").bounding_box()
    assert listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= PHONE["width"]
    screenshot(page, "search-combobox-ru-390")
    box.press("Enter")
    page.wait_for_url(base + "/tags/gasan-mansurov/")


def test_arrows_home_and_end_move_and_enter_opens_an_article(site):
    page, base = site
    page.goto(base + "/")
    box = page.locator(BOX)
    open_list(page, "конвенц")
    found = labels(page)
    kinds = page.locator(f"{OPTIONS} .search-option-kind").all_inner_texts()
    assert kinds[0] == "тема"  # the topic «Конвенция ООН против киберпреступности» first
    assert kinds[-1].startswith("статья · ")  # articles after tags, with their day
    assert any(t.startswith("Конвенция ООН против киберпреступности открыта") for t in found)
    # Home and End move the caret while no option is active...
    box.press("End")
    assert active_option(page) is None
    box.press("ArrowUp")  # ...Up from the box wraps to the last option
    assert active_option(page)["label"] == found[-1]
    box.press("Home")
    assert active_option(page)["label"] == found[0]
    box.press("End")
    assert active_option(page)["label"] == found[-1]
    box.press("ArrowDown")  # past the last, back to the first
    assert active_option(page)["label"] == found[0]
    box.press("ArrowRight")  # back to editing the text: no option active
    assert active_option(page) is None
    assert box.input_value() == "конвенц"  # moving never pasted a title into the box
    box.press("End")
    box.press("ArrowUp")
    article = active_option(page)
    assert article["href"].startswith("/articles/")
    box.press("Enter")
    page.wait_for_url(base + article["href"])
    assert page.locator("h1").inner_text() == article["label"]


def test_enter_without_an_option_searches_and_the_results_are_highlighted(site):
    page, base = site
    page.goto(base + "/")
    box = page.locator(BOX)
    assert page.locator("head link[rel=search]").get_attribute("href") == "/opensearch.xml"
    open_list(page, "конвенцию")
    box.press("Enter")  # no option active: the form submits what was typed
    page.wait_for_url(f"{base}/search/?q=*")
    assert page.locator("h1").inner_text() == "Поиск"
    assert page.locator("p.search-count").inner_text() == "Найдено 5 статей"
    assert page.locator("article.search-hit").count() == 5
    marks = page.locator("article.search-hit mark").all_inner_texts()
    assert len(marks) >= 5
    assert {m.lower() for m in marks} <= {"конвенция", "конвенцию", "конвенции", "конвенций"}
    assert page.locator("main input[name=q]").input_value() == "конвенцию"

    # A facet narrows the results; its chip, in plain words, takes the filter away again.
    page.locator("aside.search-facets").get_by_role("link", name="Нью-Йорк").click()
    page.wait_for_url("**place=nyu-york*")
    assert page.locator("article.search-hit").count() == 2
    assert page.locator("ul.search-active li").inner_text().startswith("Место: Нью-Йорк")
    page.locator("ul.search-active a").click()
    page.wait_for_load_state()
    assert page.locator("article.search-hit").count() == 5
    page.locator("aside.search-facets").get_by_role("link", name="2024").click()
    page.wait_for_url("**from=2024-01-01*")
    assert page.locator("ul.search-active li").inner_text().startswith("2024 год")


def test_escape_closes_the_list_and_a_second_escape_clears_the_box(site):
    page, base = site
    page.goto(base + "/")
    box = page.locator(BOX)
    open_list(page, "ман")
    box.press("ArrowDown")
    box.press("Escape")
    assert page.locator("#search-suggestions").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "ман"
    box.press("ArrowDown")  # the same suggestions again, the first active
    assert box.get_attribute("aria-expanded") == "true"
    assert active_option(page)["label"] == "Гасан Мансуров"
    box.press("Escape")
    box.press("Escape")
    assert box.input_value() == ""
    # Leaving the box closes the list too.
    open_list(page, "ман")
    box.press("Tab")
    assert page.locator("#search-suggestions").is_hidden()


def test_a_click_on_an_option_opens_it(site):
    page, base = site
    page.goto(base + "/en/")
    open_list(page, "Mans")
    page.locator(OPTIONS).filter(has_text="Hasan Mansurov").click()
    page.wait_for_url(base + "/en/tags/gasan-mansurov/")


def add_baku():
    """A place with seven articles, named in every language; the index rebuilt."""
    baku = Tag.objects.create(
        name_ru="Баку", name_az="Bakı", name_en="Baku", kind=Tag.Kind.PLACE, slug="baku"
    )
    for n in range(7):
        ArticleFactory(
            title_ru=f"В Баку открылась выставка номер {n + 1}",
            title_az=f"Bakıda {n + 1} nömrəli sərgi açılıb",
            title_en=f"Exhibition number {n + 1} opens in Baku",
            lead_ru="",
            body_ru="<p>Выставка.</p>",
            tags=[baku],
        )
    call_command("rebuild_index", interactive=False, verbosity=0)


def test_suggestions_that_do_not_contain_the_typed_text_are_all_shown(site):
    page, base = site
    add_baku()
    # On the Azerbaijani page «Баку» is «Bakı», and so are its articles' titles: a
    # datalist hid every one of them, none containing «Баку».
    page.goto(base + "/az/")
    open_list(page, "Баку")
    found = labels(page)
    assert found[0] == "Bakı"
    assert len(found) == 8  # the place and its seven articles
    assert sorted(found[1:]) == sorted(f"Bakıda {n} nömrəli sərgi açılıb" for n in range(1, 8))
    assert not [label for label in found if "Баку" in label]
    kinds = page.locator(f"{OPTIONS} .search-option-kind").all_inner_texts()
    assert kinds[0] == "məkan" and all(k.startswith("məqalə · ") for k in kinds[1:])
    screenshot(page, "search-combobox-az-baku")
    page.locator(BOX).press("ArrowDown")
    page.locator(BOX).press("Enter")
    page.wait_for_url(base + "/az/tags/baku/")


LONG_TITLE = (
    "Ханойская конвенция: Генеральная Ассамблея ООН после трёх лет переговоров приняла "
    "итоговый текст конвенции о противодействии использованию информационно-"
    "коммуникационных технологий в преступных целях и открыла его для подписания в Ханое"
)


def test_long_titles_wrap_to_two_lines_and_the_list_fits_a_phone(site):
    page, base = site
    ArticleFactory(title_ru=LONG_TITLE, lead_ru="")
    call_command("rebuild_index", interactive=False, verbosity=0)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(base + "/")
        open_list(page, "ханойск")
        label = page.locator(f"{OPTIONS} .search-option-label").first
        assert label.text_content() == LONG_TITLE  # whole, for a screen reader
        height = label.bounding_box()["height"]
        line = float(label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert 1.5 * line < height < 2.5 * line, (viewport, height, line)  # two lines
        listbox = page.locator("#search-suggestions").bounding_box()
        assert listbox["x"] >= 0 and listbox["x"] + listbox["width"] <= viewport["width"]
        if viewport is DESKTOP:
            assert listbox["width"] > 440  # no longer cut at the datalist's width
        screenshot(page, f"search-combobox-long-{viewport['width']}")


def test_over_the_rate_limit_the_box_quietly_shows_nothing(site, settings):
    page, base = site
    # One request a day: the box's first question is answered, the second is not.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "suggest": "1/86400"}
    page.goto(base + "/")
    page.locator(BOX).fill("ман")  # one input event, one request
    page.wait_for_function("() => document.querySelector('#search-suggestions [role=option]')")
    with page.expect_response(lambda r: "/api/suggest/" in r.url and r.status == 429):
        page.locator(BOX).fill("конвенция")
    page.wait_for_function(
        "() => document.getElementById('search-suggestions').hidden"
        " && !document.querySelector('#search-suggestions [role=option]')"
    )
    assert page.locator(BOX).get_attribute("aria-expanded") == "false"
    assert page.locator("#search-suggestions-status").inner_text() == ""
    page.locator(BOX).press("Enter")  # the search itself still works
    page.wait_for_url(f"{base}/search/?q=*")
    assert page.locator("article.search-hit").count() > 0


def goto_both(page, url, name):
    """Screenshots of `url` at 1280 and 390 px (test-output/screenshots/name-WIDTH.png)."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(url)
        screenshot(page, f"{name}-{viewport['width']}")
    page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_the_results_page_in_each_language(site, lang, monkeypatch):
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
    goto_both(page, f"{base}{prefix}/search/?q=конвенция", f"search-results-{lang}")

    # Page 2 of results two to a page: numbered pages, the current one marked.
    monkeypatch.setattr(service, "PER_PAGE", 2)
    page.goto(f"{base}{prefix}/search/?q=конвенция&page=2")
    pages = page.locator("nav.search-pages")
    assert pages.locator("a[aria-current=page]").inner_text() == "2"
    assert pages.locator("a:not([rel])").all_inner_texts() == ["1", "2", "3"]
    assert page.locator("article.search-hit").count() == 2
    goto_both(page, f"{base}{prefix}/search/?q=конвенция&page=2", f"search-page2-{lang}")

    # An empty page: what to try instead, and no feed to follow.
    page.goto(f"{base}{prefix}/search/?q=конвенция&place=nyu-york&from=2019-01-01&to=2019-12-31")
    assert page.locator("section.search-empty").count() == 1
    assert page.locator("link[rel=alternate][href*='/search/feed']").count() == 0
    assert page.locator("section.search-empty ul a").count() >= 3  # without each filter, all
    goto_both(
        page,
        f"{base}{prefix}/search/?q=конвенция&place=nyu-york&from=2019-01-01&to=2019-12-31",
        f"search-empty-{lang}",
    )


def test_a_repaired_query_says_so_and_links_the_original(site):
    page, base = site
    page.goto(base + "/search/?q=rjydtywbz")
    notice = page.locator("p.search-notice").first
    assert "«конвенция»" in notice.inner_text()
    screenshot(page, "search-repaired")
    notice.get_by_role("link").click()
    page.wait_for_url("**exact=1")
    assert page.locator("article.search-hit").count() == 0
    assert page.locator("p.search-count").inner_text() == "Ничего не найдено"
    # As typed it finds nothing; the page offers the repair, with what it finds.
    other = page.locator("section.search-empty").get_by_role("link", name="«конвенция»")
    assert other.count() == 1
    other.click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator("article.search-hit").count() == 5


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
        box = plain.locator("header input[name=q]")
        assert box.get_attribute("role") is None  # a plain search field
        assert plain.locator("#search-suggestions").is_hidden()
        box.fill("Мансуров")
        plain.locator("header form[role=search] button").click()
        plain.wait_for_url(f"{base}/en/search/?q=*")
        assert plain.locator("article.search-hit").count() == 1
        assert plain.locator("article.search-hit mark").count() >= 1
        assert plain.locator("p.search-count").inner_text() == "1 article found"
        assert plain.locator(OPTIONS).count() == 0
        screenshot(plain, "search-no-js")
    finally:
        context.close()
    assert blocked == []
