"""The XSS corpus of test_xss.py in a real Chromium: the article pages, search results
(highlighted snippets, and the breakout payloads as the query) and the admin changelist load,
are hovered, focused and scrolled, and no payload runs: no dialog opens and the flag
every payload would set stays unset.

The Content-Security-Policy header is taken off the responses here: it is a second
line of defence (tests/test_security*.py), and would hide a hole in the HTML itself."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from .browser import chromium_page, screenshot
from .test_xss import PAYLOADS, build, title

pytestmark = [
    pytest.mark.browser,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
]

CSP_HEADERS = {"content-security-policy", "content-security-policy-report-only"}


@pytest.fixture
def site(live_server, search_index, django_user_model):
    cache.clear()
    signals = apps.get_app_config("haystack").signal_processor
    signals.teardown()  # one index build below instead of a write per save
    try:
        articles = build()
    finally:
        signals.setup()
    call_command("rebuild_index", interactive=False, verbosity=0)
    django_user_model.objects.create_superuser("editor", "editor@example.org", "secret-pw")
    base = live_server.url
    with chromium_page(base) as page:
        page.dialogs = []

        def dialog(d):
            page.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        def without_csp(route):
            if urlsplit(route.request.url).hostname != urlsplit(base).hostname:
                route.fallback()  # to the guard, which records and aborts it
                return
            response = route.fetch(max_redirects=0)  # the browser follows redirects
            headers = {k: v for k, v in response.headers.items() if k.lower() not in CSP_HEADERS}
            route.fulfill(response=response, headers=headers)

        page.on("dialog", dialog)
        page.route("**/*", without_csp)
        yield page, base, articles
        assert page.outside_requests == []
    cache.clear()


def visit(page, url):
    """Load, then hover, focus and scroll through the page, as a reader would."""
    response = page.goto(url)
    assert response.status == 200, url
    for element in page.locator("main h1, main p, main h2, main td").all()[:20]:
        if element.is_visible():
            element.hover(timeout=2000)
    for _ in range(5):
        page.keyboard.press("Tab")
    page.mouse.wheel(0, 5000)
    page.wait_for_load_state("load")
    fired = page.evaluate("window.xssFired")
    assert (fired, page.dialogs) == (None, []), url


def test_article_pages(site):
    page, base, articles = site
    for i in range(len(PAYLOADS)):
        visit(page, base + articles[title(i)].get_absolute_url())
        assert page.locator("h1").text_content() == title(i)
    screenshot(page, "xss-article")


def test_search_results(site):
    page, base, _articles = site
    for number in ("1", "2"):
        visit(page, f"{base}/search/?{urlencode({'q': 'конец', 'page': number})}")
        assert page.locator("article.search-hit mark").count() > 0
    screenshot(page, "xss-search")
    # As the query: the payloads that try to leave an attribute or the page's markup
    # (test_xss.py puts every payload through the HTML parser).
    breakouts = [p for p in PAYLOADS if p.startswith(('"', "'", "</", "<script", "<img", "<svg"))]
    for payload in breakouts:
        visit(page, f"{base}/search/?{urlencode({'q': payload})}")
        assert page.locator("main input[name=q]").input_value() == payload


def test_admin_changelist(site):
    page, base, _articles = site
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "secret-pw")
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")
    changelist = reverse("admin:archive_article_changelist")
    visit(page, base + changelist)
    assert page.locator("#result_list tbody tr").count() == len(PAYLOADS)
    screenshot(page, "xss-admin-changelist")
    for payload in PAYLOADS[:5]:
        visit(page, f"{base}{changelist}?{urlencode({'q': payload})}")
