"""Story timelines in a real Chromium, at 1280 and 390 px, in Russian, Azerbaijani and
English: the seed story's page (its five steps down the line, year labels beside them,
thumbnails loaded) and the timeline block on the seed article's page (the article being
read marked). Nothing may leave the machine, no script may fail, nothing may overflow a
phone's width. Screenshots: test-output/screenshots/story-*.png."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from archive.illustrations import ensure_seed_images

from .browser import SCREENSHOTS, chromium_page, screenshot
from .image_support import media_root  # noqa: F401 (a fixture)
from .pages_support import PREFIX, SEED_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]

STORY_URL = "/stories/konventsiya-oon-protiv-kiberprestupnosti/"
WIDTHS = [1280, 390]
YEARS = ["2019", "2022", "2024", "2025"]

# Where each step's parts are drawn: the year label, the dot (::after), the title.
GEOMETRY = """(ol) => [...ol.children].map((li) => {
  const box = (el) => el ? el.getBoundingClientRect().toJSON() : null;
  const dot = getComputedStyle(li, '::after');
  return {
    li: box(li),
    year: box(li.querySelector('.timeline-year')),
    title: box(li.querySelector('a.timeline-title')),
    dotLeft: parseFloat(dot.left), dotColor: dot.backgroundColor,
    weight: getComputedStyle(li.querySelector('a.timeline-title')).fontWeight,
  };
})"""
LOADED = """(sel) => [...document.querySelectorAll(sel)]
  .every((img) => img.complete && img.naturalWidth > 0)"""


@pytest.fixture
def site(live_server, settings):
    settings.ROOT_URLCONF = "tests.media_urls"  # the live server serves the renditions
    cache.clear()
    call_command("loaddata", "seed", verbosity=0)
    assert ensure_seed_images() == 15
    with chromium_page(live_server.url) as page:
        console = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        yield page, live_server.url
        assert page.outside_requests == []
        assert page.errors == []
        assert console == []
    cache.clear()


def no_overflow(page, width):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def assert_drawn_as_a_thread(steps, years, phone):
    # Steps go down the page in date order; year labels sit left of the line (on a
    # phone, above their step), the titles right of it, every dot on one vertical line.
    tops = [s["li"]["y"] for s in steps]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert [s["year"] is not None for s in steps] == [y is not None for y in years]
    for step in steps:
        if step["year"]:
            year, title = step["year"], step["title"]
            beside = year["x"] + year["width"] <= title["x"]
            above = year["y"] + year["height"] <= title["y"] and year["x"] == title["x"]
            assert beside if not phone else above, (year, title)
    assert len({s["dotLeft"] for s in steps}) == 1
    dot_x = steps[0]["li"]["x"] + steps[0]["dotLeft"]
    assert all(dot_x < s["title"]["x"] for s in steps)


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_story_page_at_desktop_and_phone_widths(site, lang):
    page, base = site
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + PREFIX[lang] + STORY_URL)
        thread = page.locator("ol.timeline-thread")
        assert page.locator("ol.timeline-thread > li").count() == 5
        assert page.locator(".timeline-year").all_inner_texts() == YEARS
        page.locator("picture.timeline-thumbnail img").last.scroll_into_view_if_needed()
        page.wait_for_function(LOADED, arg="picture.timeline-thumbnail img")
        thumbs = page.locator("picture.timeline-thumbnail img")
        assert thumbs.count() == 5
        shown = thumbs.first.evaluate("(i) => i.getBoundingClientRect().width")
        assert shown == (144 if width == 1280 else 80)  # 8rem (site.css: 18 px), 5rem on a phone
        steps = thread.evaluate(GEOMETRY)
        assert_drawn_as_a_thread(steps, ["2019", "2022", "2024", None, "2025"], width < 576)
        no_overflow(page, width)
        page.evaluate("() => window.scrollTo(0, 0)")
        screenshot(page, f"story-{lang}-{width}")


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_article_timeline_at_desktop_and_phone_widths(site, lang):
    page, base = site
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}{PREFIX[lang]}/articles/{SEED_SLUG}/")
        block = page.locator("section.timeline-block")
        block.scroll_into_view_if_needed()
        steps = block.locator("ol.timeline-list").evaluate(GEOMETRY)
        assert_drawn_as_a_thread(steps, ["2019", "2022", "2024", None, "2025"], width < 576)
        current = block.locator("a[aria-current='page']")
        assert current.count() == 1
        assert current.get_attribute("href") == f"{PREFIX[lang]}/articles/{SEED_SLUG}/"
        # The step being read: a filled dot and a bold title; the others hollow, regular.
        assert [s["weight"] for s in steps] == ["400", "400", "700", "400", "400"]
        others = {s["dotColor"] for i, s in enumerate(steps) if i != 2}
        assert len(others) == 1 and steps[2]["dotColor"] not in others
        no_overflow(page, width)
        block.screenshot(path=str(SCREENSHOTS / f"story-timeline-block-{lang}-{width}.png"))
        screenshot(page, f"story-article-{lang}-{width}")

    # From the block to the story page and back to an article of it.
    block.locator("p.timeline-story a").click()
    page.wait_for_url(f"{base}{PREFIX[lang]}{STORY_URL}")
    page.locator("ol.timeline-thread a.timeline-title").first.click()
    first_slug = "generalnaya-assambleya-oon-uchredila-komitet-ad-hoc-po-razrabotke-konventsii"
    page.wait_for_url(f"{base}{PREFIX[lang]}/articles/{first_slug}/")
    first = page.locator("section.timeline-block li").first
    assert first.locator("a").get_attribute("aria-current") == "page"


def test_dark_mode_keeps_the_thread_readable(site):
    page, base = site
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{base}/articles/{SEED_SLUG}/")
    block = page.locator("section.timeline-block")
    block.scroll_into_view_if_needed()
    colors = block.evaluate(
        """(b) => ({bg: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(b.querySelector('a[aria-current]')).color})"""
    )
    assert colors["bg"] != colors["text"]
    block.screenshot(path=str(SCREENSHOTS / "story-timeline-block-ru-390-dark.png"))


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_stories_index(site, lang):
    page, base = site
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}{PREFIX[lang]}/stories/")
        card = page.locator("article.timeline-story-card")
        assert card.count() == 1
        assert "2019–2025" in card.locator("p.meta").inner_text()
        no_overflow(page, width)
        screenshot(page, f"story-index-{lang}-{width}")
