"""axe-core (tests/vendor/axe.min.js, from npm) audits every kind of reader's page in
Russian, Azerbaijani and English, in light and dark colours, in a real Chromium: WCAG 2.0/2.1
A and AA and Deque's best practices, no serious or critical violation allowed. Counts per
page type and impact go to test-output/axe-counts.md (every failing element to
test-output/axe/<lang>.json)."""

import hashlib

import pytest

from archive.security import content_security_policy

from .axe_support import (
    AXE,
    AXE_SHA256,
    AXE_VERSION,
    audit,
    blocking,
    describe,
    install_axe,
    save_results,
)
from .browser import chromium_page, screenshot
from .image_support import media_root  # noqa: F401 (a fixture)
from .reader_site import LANGUAGES, PAGE_TYPES, build_reader_site
from .visual_support import VIEWPORTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]
ORDER = [page.name for page in PAGE_TYPES] + ["search-suggestions"]
SCHEMES = ["light", "dark"]  # Pico follows prefers-color-scheme: both must read well


@pytest.fixture
def browser_page(live_server):
    with chromium_page(live_server.url) as page:
        install_axe(page)
        yield page, live_server.url
        assert page.outside_requests == []
        assert page.errors == []


@pytest.fixture
def site(browser_page, search_index, settings):
    settings.ROOT_URLCONF = "tests.media_urls"  # the live server serves the renditions
    build_reader_site()
    return browser_page


def audit_pages(site, lang, page_types):
    """Each page in light colours, then in dark ones (the same document: the media query
    switches in place), all failing elements kept, serious and critical ones reported."""
    page, base = site
    results = {scheme: {} for scheme in SCHEMES}
    failures = []
    for page_type in page_types:
        path = page_type.path(lang)
        page.emulate_media(color_scheme=SCHEMES[0])
        response = page.goto(base + path)
        assert response.status == page_type.status, path
        assert page.locator("html").get_attribute("lang") == lang, path
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            # Pico eases colour changes: audit the colours the transitions end on.
            page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
            violations = audit(page)
            results[scheme][page_type.name] = violations
            if blocking(violations):
                failures.append(describe(page_type.name, f"{lang}, {scheme}", blocking(violations)))
    for scheme, found in results.items():
        table = save_results(lang if scheme == "light" else f"{lang} dark", found, ORDER)
    print(table)
    assert not failures, "\n".join(failures)


def test_the_vendored_axe_core_is_the_pinned_release_unchanged():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256  # tests/vendor/README.md
    header = AXE.read_text()[:400]
    assert header.startswith(f"/*! axe v{AXE_VERSION}\n"), header[:40]
    assert "Mozilla Public\n * License, v. 2.0" in header


BROKEN = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>x</title>
<link rel="stylesheet" href="/broken.css"></head><body><main>
<h1>Страница с ошибками</h1><h4>Мелкий заголовок</h4><img src="/static/none.png">
<p><a href="/tags/"></a></p><p class="pale">бледный текст</p>
</main></body></html>"""


def test_the_audit_finds_violations_under_the_sites_policy(browser_page):
    """The harness has teeth: a page with a picture without alt text, an empty link, pale
    text and a skipped heading level, sent with the site's own Content-Security-Policy,
    fails in the ways axe should report (moderate rules run too)."""
    page, base = browser_page
    policy = content_security_policy("/broken/")
    page.route(
        base + "/broken/",
        lambda route: route.fulfill(
            body=BROKEN,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": policy},
        ),
    )
    page.route(
        base + "/broken.css",
        lambda route: route.fulfill(
            body="body { background: #fff; } p.pale { color: #bbb; }", content_type="text/css"
        ),
    )
    page.goto(base + "/broken/")
    assert page.evaluate("() => typeof axe.run") == "function"
    found = {v["id"]: v["impact"] for v in audit(page)}
    assert found["image-alt"] == "critical"
    assert found["link-name"] == "serious"
    assert found["color-contrast"] == "serious"
    assert found["heading-order"] == "moderate"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_or_critical_violation_on_any_page_type(site, lang):
    audit_pages(site, lang, PAGE_TYPES)


def open_suggestions(page, url):
    page.goto(url)
    box = page.locator("header form[role=search] input[name=q]")
    box.press_sequentially("ман", delay=40)
    page.wait_for_function(
        "() => document.querySelectorAll('#search-suggestions:not([hidden]) [role=option]')"
        ".length > 0"
    )
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_open_suggestions_have_no_serious_violation(site, lang):
    """The search box's combobox (search/static/search/suggest.js) with its list open and an
    option active, as a keyboard user leaves it, in light and dark colours; on a phone
    and a wide screen the list stays inside the window."""
    page, base = site
    found, failures = {}, []
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        open_suggestions(page, base + PAGE_TYPES[0].path(lang))
        edges = page.locator("#search-suggestions").bounding_box()
        assert edges["x"] >= 0 and edges["x"] + edges["width"] <= viewport["width"], edges
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
            violations = audit(page)
            screenshot(page, f"axe-search-suggestions-{lang}-{scheme}-{viewport['width']}")
            found.setdefault(scheme, []).extend(violations)
            if blocking(violations):
                where = f"{lang}, {scheme}, {viewport['width']} px"
                failures.append(describe("search-suggestions", where, blocking(violations)))
    for scheme, violations in found.items():
        column = lang if scheme == "light" else f"{lang} dark"
        table = save_results(column, {"search-suggestions": violations}, ORDER)
    print(table)
    assert not failures, "\n".join(failures)
