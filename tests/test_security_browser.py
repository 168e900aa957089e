"""The Content-Security-Policy in a real Chromium: the admin (translation tabs, slug
pre-filling, autocomplete, import/export, history) and the readers' pages (home,
article, search with suggestions, tags) work with the policy enforced, and the browser
reports no violation at all, as a `securitypolicyviolation` event or in the console."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from archive.models import Article

from .browser import chromium_page, screenshot
from .pages_support import SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every page before its own scripts; reports to Python, so nothing is lost when
# the page navigates away.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => window.reportViolation(
  `${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI}` +
  ` (${e.sourceFile}:${e.lineNumber}) ${e.sample}`));
"""


@pytest.fixture
def site(live_server, search_index):
    cache.clear()
    call_command("loaddata", "seed", verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    with chromium_page(live_server.url) as page:
        page.violations = []

        def report(text):
            page.violations.append(text)

        def console(message):
            if "Content Security Policy" in message.text:
                report(message.text)

        page.expose_function("reportViolation", report)
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", console)
        yield page, live_server.url
        assert page.violations == [], "\n".join(page.violations)
        assert page.outside_requests == []
        assert page.errors == []
    cache.clear()


def visit(page, url):
    """Open `url`, check it loaded under the enforced policy, and let late scripts run."""
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    return response


def log_in(page, base, username, password):
    visit(page, base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.click("input[type=submit]")
    return navigation.value


def test_the_admin_works_under_the_policy(site, django_user_model, settings):
    page, base = site
    django_user_model.objects.create_superuser("editor", "editor@example.org", "secret-pw")
    # Someone guessing another user name is locked out on a page in Russian...
    for _ in range(settings.LOGIN_FAILURES_PER_USER - 1):
        assert log_in(page, base, "intruder", "guess").status == 200
    assert log_in(page, base, "intruder", "guess").status == 429
    assert page.locator("h1").inner_text() == "Слишком много неудачных попыток входа"
    screenshot(page, "admin-lockout")
    # ...and the editor logs in from the same address all the same.
    log_in(page, base, "editor", "secret-pw")
    page.wait_for_url(base + "/admin/")

    article = Article.objects.get(slug=SEED_SLUG)
    visit(page, base + reverse("admin:archive_article_changelist"))
    assert page.locator("#result_list tbody tr").count() == Article.objects.count()
    page.locator("#changelist-search input[name=q]").fill("ООН")
    page.locator("#changelist-search input[name=q]").press("Enter")
    page.wait_for_url("**/?q=*")

    # The change form: the language switch (archive/admin/translation_tabs.py).
    visit(page, base + reverse("admin:archive_article_change", args=[article.pk]))
    page.locator(".translation-switch button", has_text="Azərbaycanca").click()
    assert page.locator("#id_title_az").is_visible()
    assert not page.locator("#id_title_ru").is_visible()
    # Autocomplete (select2): the tags box asks the server and lists matches.
    page.locator("#id_tags").locator("..").locator(".select2-selection").click()
    page.keyboard.type("ООН")
    page.locator(".select2-results__option", has_text="ООН").first.wait_for()
    page.keyboard.press("Escape")
    # The date and time shortcuts open their calendar; saving keeps a history entry.
    page.locator(".datetimeshortcuts a").first.click()
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".messagelist .success").count() == 1

    # The add form: the slug is pre-filled as the title is typed.
    visit(page, base + reverse("admin:archive_article_add"))
    page.locator("#id_title_ru").fill("Щит и меч")
    page.locator("#id_title_ru").press("End")
    assert page.locator("#id_slug").input_value() == "shchit-i-mech"

    # import-export and simple-history pages.
    visit(page, base + reverse("admin:archive_article_import"))
    visit(page, base + reverse("admin:archive_article_export"))
    toggle = page.locator("input.select-toggle")
    if toggle.count():
        toggle.uncheck()
        assert page.locator("input[type=checkbox][name^='articleresource_']:checked").count() == 0
    visit(page, base + reverse("admin:archive_article_history", args=[article.pk]))
    assert page.locator("#change-history tbody tr").count() >= 1
    # Where an administrator sees (and can delete) the lockout.
    visit(page, base + reverse("admin:axes_accessattempt_changelist"))
    page.get_by_role("link", name="intruder").or_(page.locator("#result_list a")).first.click()
    page.wait_for_load_state("networkidle")


def test_the_readers_pages_work_under_the_policy(site):
    page, base = site
    for path in ["/", f"/articles/{SEED_SLUG}/", "/tags/", "/tags/oon/", "/en/"]:
        visit(page, base + path)
    visit(page, base + "/")
    box = page.locator("header form[role=search] input[name=q]")
    box.press_sequentially("конвенц", delay=40)
    # A function, not an expression: Playwright evals an expression inside the page,
    # which the policy forbids like any other eval.
    page.wait_for_function(
        "() => document.querySelectorAll('#search-suggestions [role=option]').length"
    )
    box.press("Enter")
    page.wait_for_url(f"{base}/search/?q=*")
    assert page.locator("article.search-hit").count() > 0
