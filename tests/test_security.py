"""Hardening that holds under hostile input: production responses carry HSTS, secure
cookies, Referrer-Policy, X-Frame-Options and the Content-Security-Policy; pages carry no
inline code the policy would block; admin logins are throttled in the database, by user
name and client address, and a forged X-Forwarded-For neither resets nor dodges it."""

import json

import html5lib
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import now

from archive.security import client_ip, lockout_response

from .pages_support import SEED_SLUG
from .test_settings import PRODUCTION, manage

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "media-src 'self' https:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'"
)
LOGIN = "/admin/login/"


# --- Production responses ---------------------------------------------------------

PRODUCTION_RESPONSES = """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="archive.example.org")
plain = client.get("/robots.txt")
secure = client.get("/admin/login/", secure=True)
print(json.dumps({
    "redirect": [plain.status_code, plain.headers.get("Location")],
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie_secure": bool(secure.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


@pytest.fixture(scope="module")
def production():
    """Responses of the real settings with the production environment (no test overrides)."""
    result = manage(
        "shell",
        "-c",
        PRODUCTION_RESPONSES,
        **PRODUCTION,
        # Unhashed static names: this check runs without collectstatic.
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production):
    assert production["redirect"] == [301, "https://archive.example.org/robots.txt"]


def test_production_responses_carry_the_security_headers(production):
    assert production["status"] == 200
    headers = production["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == POLICY
    assert "Content-Security-Policy-Report-Only" not in headers


def test_production_cookies_are_secure(production):
    assert production["csrf_cookie_secure"]
    assert production["session_cookie_secure"]


# --- Content-Security-Policy ------------------------------------------------------


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/articles/{SEED_SLUG}/",
        f"/en/articles/{SEED_SLUG}/",
        "/tags/",
        "/tags/oon/",
        "/search/?q=конвенция",
        "/feed/",
        "/no-such-page/",
        LOGIN,
        "/static/archive/site.css",
    ],
)
def test_every_response_carries_the_policy(client, seed, search_index, path):
    response = client.get(path)
    assert response["Content-Security-Policy"] == POLICY


def test_the_lockout_page_carries_the_policy_too(client, editor, settings):
    for _ in range(settings.LOGIN_FAILURES_PER_USER):
        response = client.post(LOGIN, {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert response["Content-Security-Policy"] == POLICY


def test_only_the_export_and_history_pages_allow_their_exact_inline_attributes(editor_client):
    export = editor_client.get(reverse("admin:archive_article_export"))["Content-Security-Policy"]
    assert export.startswith(POLICY + "; script-src-attr 'unsafe-hashes' 'sha256-")
    assert "style-src-attr 'unsafe-hashes' 'sha256-" in export
    assert "unsafe-inline" not in export
    history = editor_client.get("/admin/archive/article/1/history/")["Content-Security-Policy"]
    assert history.startswith(POLICY + "; style-src-attr 'unsafe-hashes' 'sha256-")
    assert "script-src-attr" not in history
    changelist = editor_client.get(reverse("admin:archive_article_changelist"))
    assert changelist["Content-Security-Policy"] == POLICY


def test_report_only_mode_sends_the_policy_under_the_report_only_header(client, settings, db):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    response = client.get("/robots.txt")
    assert response["Content-Security-Policy-Report-Only"] == POLICY
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize(
    "path", ["/", f"/articles/{SEED_SLUG}/", "/tags/oon/", "/search/?q=конвенция", LOGIN]
)
def test_pages_carry_no_inline_code(client, seed, search_index, path):
    """What the policy blocks is simply not there: every script is a file (JSON-LD is
    data, never run), and no element has a style attribute or an event handler."""
    document = html5lib.parse(client.get(path).content, namespaceHTMLElements=False)
    for script in document.iter("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", path
    assert list(document.iter("style")) == [], path
    for element in document.iter():
        attributes = [a for a in element.attrib if a == "style" or a.startswith("on")]
        assert attributes == [], f"{element.tag} {attributes} in {path}"


# --- Admin login throttling -------------------------------------------------------


def attempt(client, password, username="editor", **headers):
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, **headers)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_lockout_after_the_limit_even_with_the_right_password(client, editor, settings):
    settings.LOGIN_FAILURES_PER_USER = 5
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200  # the form again, with an error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "3600"
    assert "Слишком много неудачных попыток входа" in locked.text
    assert "после 5 неудачных попыток" in locked.text
    assert "Попробуйте снова через 1" in locked.text

    right = attempt(client, "pw")
    assert right.status_code == 429
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ["blocked after 5 failed attempts", "Try again in 1\xa0hour"]),
        ("az", ["5 uğursuz cəhddən sonra bloklanıb", "1\xa0saat sonra yenidən cəhd edin"]),
    ],
)
def test_the_lockout_page_is_translated(rf, db, language, texts):
    """The admin lives outside the language prefixes, so it is Russian; the page is
    translated all the same should an editor's language ever reach it."""
    AccessAttempt.objects.create(
        username="editor", ip_address="127.0.0.1", failures_since_start=5, attempt_time=now()
    )
    request = rf.post(LOGIN)
    request.user = AnonymousUser()
    with translation.override(language):
        response = lockout_response(request, None, {"username": "editor"})
    assert response.status_code == 429
    for text in texts:
        assert text in response.text


def test_a_forged_x_forwarded_for_neither_resets_nor_dodges_the_count(client, editor):
    for n in range(5):
        response = attempt(
            client,
            "wrong",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            HTTP_X_REAL_IP=f"198.51.100.{n}",
            HTTP_USER_AGENT=f"bot/{n}",
        )
    assert response.status_code == 429
    response = attempt(client, "pw", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert response.status_code == 429
    assert not logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_a_proxy_each_real_client_is_counted_separately(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(REMOTE_ADDR="10.0.0.2"), Client(REMOTE_ADDR="10.0.0.2")
    for n in range(5):
        # What the attacker writes in the header is on the left; the proxy appends the
        # address it was connected from, so the attacker's real address stays last.
        response = attempt(attacker, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5")
    assert response.status_code == 429
    assert attempt(attacker, "pw", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429

    response = attempt(colleague, "pw", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302 and logged_in(colleague)
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [
        ("203.0.113.5", 6)
    ]


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, "10.0.0.2"),
        (0, "203.0.113.5", "10.0.0.2"),  # no proxy configured: the header is ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, None, "10.0.0.2"),  # did not come through the proxy
        (2, "203.0.113.5", "10.0.0.2"),  # fewer hops than proxies
        (1, "192.0.2.1, not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)
    assert client_ip(request) == expected


def test_the_count_lives_in_the_database_shared_by_every_worker(editor, settings):
    """Two clients are two handlers with their own middleware, as two workers would be;
    the cache is emptied between attempts, so only the database can hold the count."""
    from django.core.cache import cache

    first, second = Client(), Client()
    for n in range(4):
        cache.clear()
        assert attempt(first if n % 2 else second, "wrong").status_code == 200
    assert AccessAttempt.objects.get(username="editor").failures_since_start == 4
    cache.clear()
    assert attempt(second, "wrong").status_code == 429
    assert attempt(first, "pw").status_code == 429


def test_a_successful_login_before_the_limit_works_and_clears_the_count(client, editor):
    for _ in range(4):
        attempt(client, "wrong")
    response = attempt(client, "pw")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert logged_in(client)
    assert not AccessAttempt.objects.exists()
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200


def test_a_colleagues_login_does_not_lift_an_intruders_lock(client, editor):
    """One office address: the intruder's locked pair stays locked when the editor,
    from the same address, logs in (axes' own reset cleared every name tried there)."""
    for _ in range(5):
        attempt(client, "guess", username="intruder")
    assert attempt(client, "guess", username="intruder").status_code == 429
    assert attempt(client, "pw").status_code == 302
    client.logout()
    assert AccessAttempt.objects.filter(username="intruder").exists()
    assert attempt(client, "guess", username="intruder").status_code == 429


def test_one_ipv6_network_is_one_address_for_the_login_throttle(editor):
    """A host owns a /64: forty addresses of it are one client, not forty."""
    statuses = [
        attempt(Client(REMOTE_ADDR=f"2001:db8::{n + 1:x}"), "wrong").status_code for n in range(8)
    ]
    assert statuses == [200] * 4 + [429] * 4
    assert attempt(Client(REMOTE_ADDR="2001:db8:0:1::1"), "pw").status_code == 302


def test_another_user_name_from_the_same_address_is_not_locked_out(client, editor):
    for _ in range(5):
        attempt(client, "guess", username="admin")
    assert attempt(client, "pw").status_code == 302


def test_password_spraying_locks_the_address_out_but_not_other_addresses(editor):
    """30 user names, one wrong password each, from one address: after 20 failures that
    address is locked out whatever name it tries, the real editor's right password
    included; the editor at another address still logs in."""
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [attempt(sprayer, "Password1", username=f"user{n}").status_code for n in range(30)]
    assert statuses == [200] * 19 + [429] * 11
    locked = attempt(sprayer, "pw")
    assert locked.status_code == 429 and not logged_in(sprayer)
    assert "Вход с вашего адреса под любым именем заблокирован после 20" in locked.text

    colleague = Client(REMOTE_ADDR="198.51.100.7")
    assert attempt(colleague, "pw").status_code == 302 and logged_in(colleague)


def test_axes_reset_unlocks(client, editor):
    for _ in range(5):
        attempt(client, "wrong")
    call_command("axes_reset", verbosity=0)
    assert attempt(client, "pw").status_code == 302


def test_the_test_client_still_logs_in(client, editor):
    assert client.login(username="editor", password="pw")
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert not client.login(username="editor", password="wrong")
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_the_local_editor_account_logs_in(client, db, settings):
    settings.DEBUG = True
    call_command("ensure_editor", verbosity=0)
    assert attempt(client, "editor").status_code == 302
    assert logged_in(client)


def test_the_demo_account_cannot_log_in_with_debug_off(client, db, settings):
    settings.DEBUG = True
    call_command("ensure_editor", verbosity=0)
    settings.DEBUG = False
    response = attempt(client, "editor")
    assert response.status_code == 200  # the login form again
    assert not logged_in(client)
    assert "Демо-учётная запись «editor» не может входить на рабочий сайт" in response.text
    assert client.get("/admin/").status_code == 302
    # Not the test client's login() either (no request: the throttle lets it through).
    assert not client.login(username="editor", password="editor")


def test_an_account_named_editor_with_a_real_password_logs_in(client, editor):
    assert attempt(client, "pw").status_code == 302 and logged_in(client)


# --- Methods ----------------------------------------------------------------------

READERS_PATHS = [
    "/",
    "/articles/",
    f"/articles/{SEED_SLUG}/",
    "/en/articles/",
    "/rubrics/",
    "/rubrics/ikt/",
    "/tags/",
    "/tags/oon/",
    "/sources/",
    "/sources/apa/",
    "/archive/",
    "/2024/",
    "/2024/08/",
    "/2024/08/09/",
    "/feed/",
    "/feed/atom/",
    "/en/feed/language/",
    "/tags/oon/feed/atom/",
    "/search/?q=конвенция",
    "/search/feed/?q=конвенция",
    "/api/search/?q=конвенция",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/robots.txt",
]


@pytest.mark.parametrize("path", READERS_PATHS)
def test_readers_pages_answer_only_get_and_head(seed, search_index, path):
    """OPTIONS, TRACE and the writing methods get 405 with Allow, never the page; GET
    and HEAD still get it. The client checks CSRF, as a real server does: a POST
    without the cookie is a 405 too, not CSRF's 403."""
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200, path
    assert client.head(path).status_code == 200, path
    for method in ("OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"):
        response = client.generic(method, path)
        assert response.status_code == 405, (method, path, response.status_code)
        assert response["Allow"] == "GET, HEAD", (method, path)
        assert response.content == b"", (method, path)
