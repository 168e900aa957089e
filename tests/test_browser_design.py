"""The news-site design in a real Chromium, at 1280 and 390 px, in Russian, Azerbaijani and
English, on a front filled as `make run` fills it (seed articles with their pictures,
demo articles in five rubrics, some with pictures): nothing wider than the window,
headlines not underlined until hovered or focused, the home's two columns ending level,
the article's text at a readable measure beside its aside, dark mode readable.
Screenshots: test-output/screenshots/design-*.png."""

import re

import pytest
from django.core.cache import cache

from archive.cache import content_changed
from archive.illustrations import CREDITS
from archive.models import Article

from .browser import chromium_page, screenshot
from .design_support import demo_front
from .image_support import media_root  # noqa: F401 (a fixture)
from .pages_support import SEED_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]

PREFIX = {"ru": "", "az": "/az", "en": "/en"}
WIDTHS = {"desktop": 1280, "phone": 390}
ARTICLE = f"/articles/{SEED_SLUG}/"
# How far apart the bottoms of the home's two columns may be at 1280 px (the page this
# replaced had a 2,700 px hole under its story list).
LEVEL = 300


@pytest.fixture
def site(live_server):
    cache.clear()
    demo_front()
    with chromium_page(live_server.url) as page:
        yield page, live_server.url
        assert page.outside_requests == []
        assert page.errors == []
    cache.clear()


def show_all_pictures(page):
    """Load the lazy pictures too (a full-page screenshot would leave them blank)."""
    page.evaluate(
        "() => document.querySelectorAll('img[loading=lazy]').forEach((i) => i.loading = 'eager')"
    )
    page.wait_for_function("() => [...document.images].every((i) => i.complete && i.naturalWidth)")


def overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def decoration(locator):
    return locator.evaluate("(a) => getComputedStyle(a).textDecorationLine")


def check_headline_links(page, selector):
    """None until hovered; underlined on hover and on keyboard focus."""
    link = page.locator(selector).first
    assert decoration(link) == "none"
    link.hover()
    assert decoration(link) == "underline"
    page.mouse.move(0, 0)
    assert decoration(link) == "none"
    link.focus()
    assert link.evaluate("(a) => a.matches(':focus-visible')")
    assert decoration(link) == "underline"
    link.blur()


def rgb(text):
    return [int(float(v)) for v in re.findall(r"[\d.]+", text)[:3]]


def contrast(a, b):
    def luminance(color):
        channels = []
        for value in color:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_home_front_at_desktop_and_phone(site, lang):
    page, base = site
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + PREFIX[lang] + "/")
        show_all_pictures(page)
        assert overflow(page) <= 0, (lang, name)
        assert page.locator("article.lead-story").count() == 1
        lead = page.locator("article.lead-story picture.lead-picture img")
        assert lead.evaluate("(i) => i.naturalWidth") > 0
        assert page.locator(".tiles article.card.tile").count() == 4
        assert page.locator("section.rubric-block").count() == 6  # ИКТ and the five demo ones
        check_headline_links(page, "article.lead-story .headline a")
        check_headline_links(page, ".tiles .headline a")
        check_headline_links(page, "aside.headlines .headline-list a")
        latest, aside = box(page, "section.latest"), box(page, "aside.headlines")
        if name == "desktop":
            # Side by side, ending level: no hole under either column.
            assert aside["x"] >= latest["x"] + latest["width"]
            bottoms = (latest["y"] + latest["height"], aside["y"] + aside["height"])
            assert abs(bottoms[0] - bottoms[1]) <= LEVEL, (lang, bottoms)
            assert (
                page.locator("section.rubric-block").nth(2).bounding_box()["y"]
                == box(page, "section.rubric-block")["y"]
            )  # three rubric blocks in a row
        else:
            assert aside["y"] >= latest["y"] + latest["height"]  # one column
        # Tags stay small: the 30 px words are gone.
        sizes = page.locator("section.popular-tags a").evaluate_all(
            "(links) => links.map((a) => parseFloat(getComputedStyle(a).fontSize))"
        )
        assert sizes and max(sizes) <= 16, sizes
        screenshot(page, f"design-home-{lang}-{width}")


def test_home_columns_stay_level_when_only_the_seed_has_pictures(site):
    """`make run`'s front: the demo articles have no pictures, so fewer headlines."""
    page, base = site
    Article.objects.filter(import_key__startswith="demo:").update(lead_image=None)
    content_changed()
    page.goto(base + "/")
    show_all_pictures(page)
    assert page.locator(".tiles picture").count() == 0
    latest, aside = box(page, "section.latest"), box(page, "aside.headlines")
    bottoms = (latest["y"] + latest["height"], aside["y"] + aside["height"])
    assert abs(bottoms[0] - bottoms[1]) <= LEVEL, bottoms
    screenshot(page, "design-home-demo-pictures-only-seed-1280")


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_article_uses_the_width_at_desktop_and_phone(site, lang):
    page, base = site
    # The seed's related notes are its story's timeline; one related article outside it.
    outside = Article.objects.filter(import_key__startswith="demo:").exclude(lead_image=None)
    Article.objects.get(slug=SEED_SLUG).related.add(outside.first())
    for name, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + PREFIX[lang] + ARTICLE)
        show_all_pictures(page)
        assert overflow(page) <= 0, (lang, name)
        figure = page.locator("figure.lead-image")
        assert figure.locator("img").evaluate("(i) => i.naturalWidth") > 0
        assert CREDITS[lang] in figure.locator(".credit").inner_text()  # each version's own
        check_headline_links(page, "section.related .headline a")
        assert page.locator("section.timeline-block").is_visible()
        main, text = box(page, "main"), box(page, "div.article-main")
        aside = box(page, "aside.article-aside")
        if name == "desktop":
            # The aside beside the text and reaching the container's right edge: no blank band.
            assert aside["x"] >= text["x"] + text["width"]
            assert abs((aside["x"] + aside["width"]) - (main["x"] + main["width"])) <= 1
            assert aside["width"] >= 300
            # The body at a readable measure: characters per line of its paragraphs.
            per_line = page.evaluate(CHARACTERS_PER_LINE)
            assert 55 <= per_line <= 85, (lang, per_line)
        else:
            assert aside["y"] >= text["y"] + text["height"]
        screenshot(page, f"design-article-{lang}-{width}")


# Characters per line in the body's paragraphs of three lines or more (line boxes found
# from the tops of the text's rectangles; the last, short line makes it an underestimate).
CHARACTERS_PER_LINE = """() => {
  let chars = 0, lines = 0;
  for (const p of document.querySelectorAll('.article .body p')) {
    const range = document.createRange();
    range.selectNodeContents(p);
    const tops = [...range.getClientRects()].map((r) => r.top).sort((a, b) => a - b);
    const count = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 10).length;
    if (count < 3) continue;
    chars += p.textContent.trim().length;
    lines += count;
  }
  return chars / lines;
}"""

# The colours to check against the background, by role, on each page.
ROLES = {
    "home": {"text": "main p.summary", "meta": ".meta", "headline": ".headline a",
             "eyebrow": ".eyebrow a"},
    "article": {"text": ".article .body p", "meta": ".article .meta", "headline": "h1",
                "label": ".tags dt", "chip": ".chips a", "aside": ".translations a"},
}  # fmt: skip
COLOURS = """(roles) => {
  const colours = {background: getComputedStyle(document.documentElement).backgroundColor};
  for (const [role, selector] of Object.entries(roles)) {
    colours[role] = getComputedStyle(document.querySelector(selector)).color;
  }
  return colours;
}"""


def test_dark_mode_changes_the_background_and_stays_readable(site):
    page, base = site
    for path, name in (("/", "home"), (ARTICLE, "article")):
        for width in WIDTHS.values():
            page.set_viewport_size({"width": width, "height": 900})
            # Each scheme from a fresh load (Pico's links fade to a new colour in 0.2 s).
            page.emulate_media(color_scheme="light")
            page.goto(base + path)
            light = page.evaluate(COLOURS, ROLES[name])
            page.emulate_media(color_scheme="dark")
            page.reload()
            dark = page.evaluate(COLOURS, ROLES[name])
            assert dark["background"] != light["background"]
            assert sum(rgb(dark["background"])) < 150 < sum(rgb(light["background"]))
            for colours in (light, dark):
                background = rgb(colours["background"])
                for role in ROLES[name]:
                    ratio = contrast(rgb(colours[role]), background)
                    assert ratio >= 4.5, (name, width, role, colours)
            show_all_pictures(page)
            screenshot(page, f"design-{name}-dark-{width}")
    page.emulate_media(color_scheme="light")


def test_the_tag_cloud_and_lists_stay_in_scale(site):
    page, base = site
    page.goto(base + "/tags/")
    sizes = page.locator("ul.cloud a").evaluate_all(
        "(links) => links.map((a) => parseFloat(getComputedStyle(a).fontSize))"
    )
    assert len(sizes) > 20 and max(sizes) <= 21 and min(sizes) >= 14, sizes
    assert overflow(page) <= 0
    screenshot(page, "design-tags-1280")
    # A rubric's page: cards in two columns, none naming the rubric.
    page.goto(base + "/rubrics/politika/")
    cards = page.locator("main > article.card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"]
    assert page.locator("main > article.card .eyebrow").count() == 0
    check_headline_links(page, "main > article.card .headline a")
    show_all_pictures(page)
    screenshot(page, "design-rubric-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    assert overflow(page) <= 0
    show_all_pictures(page)
    screenshot(page, "design-rubric-390")
