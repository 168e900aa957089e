"""Each kind of reader's page, in Russian, Azerbaijani and English, at 1280 and 390 px, in
a real Chromium, compared with the previous run's screenshot (tests/visual_support.py): a
page whose layout moved fails and its diff is drawn in test-output/visual/diff/. The
screenshots themselves are test-output/screenshots/visual-<page>-<lang>-<width>.png."""

import warnings

import pytest

from .browser import chromium_page
from .image_support import media_root  # noqa: F401 (a fixture)
from .reader_site import LANGUAGES, PAGE_TYPES, build_reader_site
from .visual_support import BASELINE, VIEWPORTS, capture, compare_with_baseline

pytestmark = [
    pytest.mark.browser,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
]


@pytest.fixture
def site(live_server, search_index, settings):
    settings.ROOT_URLCONF = "tests.media_urls"  # the live server serves the renditions
    build_reader_site()
    with chromium_page(live_server.url) as page:
        yield page, live_server.url
        assert page.outside_requests == []
        assert page.errors == []


def compare_pages(site, lang, page_types):
    page, base = site
    version = page.context.browser.version
    results = []
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        for page_type in page_types:
            name = f"visual-{page_type.name}-{lang}-{viewport['width']}"
            response, shot = capture(page, base + page_type.path(lang), name)
            assert response.status == page_type.status, name
            assert (
                page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
            ), f"{name}: the page is wider than the screen"
            results.append(compare_with_baseline(name, shot, version))
    recorded = [r for r in results if r.outcome in ("recorded", "accepted")]
    if recorded:  # said, so a first run is not mistaken for a comparison
        how = ", ".join(sorted({r.outcome for r in recorded}))
        warnings.warn(f"{len(recorded)} baselines {how} in {BASELINE}", stacklevel=1)
    changed = [f"{r.name}: {r.detail}" for r in results if r.outcome == "changed"]
    assert changed == [], "The look changed (ARCHIVE_ACCEPT_SCREENSHOTS=1 accepts it):\n" + (
        "\n".join(changed)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_looks_as_it_did(site, lang):
    compare_pages(site, lang, PAGE_TYPES)


def test_a_moved_block_is_seen(site, tmp_path, monkeypatch):
    """The comparison has teeth in Chromium: the home page against its own baseline with
    one CSS rule added (the main block 3rem lower) is "changed", with a diff drawn."""
    page, base = site
    monkeypatch.delenv("ARCHIVE_ACCEPT_SCREENSHOTS", raising=False)
    version = page.context.browser.version
    baselines, diffs = tmp_path / "baseline", tmp_path / "diff"
    _, shot = capture(page, base + "/", "visual-teeth-before")
    assert compare_with_baseline("home", shot, version, baselines, diffs).outcome == "recorded"
    _, shot = capture(page, base + "/", "visual-teeth-same")
    assert compare_with_baseline("home", shot, version, baselines, diffs).outcome == "same"

    def moved(route):
        css = route.fetch().text() + "\nbody > main { margin-top: 3rem; }\n"
        route.fulfill(body=css, content_type="text/css")

    page.route("**/static/archive/site.css", moved)
    _, shot = capture(page, base + "/", "visual-teeth-moved")
    found = compare_with_baseline("home", shot, version, baselines, diffs)
    assert found.outcome == "changed", found
    assert (diffs / "home.png").exists()
