"""One URL per page: unknown or oddly spelled query parameters and dates are a 301 to the
canonical URL, invalid or out-of-range values a 404, so a flood of distinct URLs cannot
grow the cache; and a failing cache never fails a page."""

import logging
import random
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse
from django.utils import timezone

from archive.models import Article
from archive.sitemaps import ArticleSitemap

from . import pages_support
from .factories import ArticleFactory

empty_cache = pages_support.empty_cache
seed = pages_support.seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_pages(db):
    """21 articles: /articles/ has two pages (20 a page), and so does the sitemap."""
    start = timezone.now() - timedelta(days=3)
    return [ArticleFactory(published_at=start + timedelta(minutes=i)) for i in range(21)]


def assert_redirects_to(client, path, target):
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    assert response["Location"] == target, path
    assert client.get(target).status_code == 200, target


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/?utm_source=mail", "/"),
        ("/tags/oon/?utm_source=mail", "/tags/oon/"),
        ("/tags/oon/?kind=anything", "/tags/oon/"),
        ("/tags/?kind=person&x=1", "/tags/?kind=person"),
        ("/tags/?kind=person&kind=person", "/tags/?kind=person"),
        ("/tags/?kind=", "/tags/"),
        ("/en/tags/?kind=%70erson", "/en/tags/?kind=person"),
        ("/articles/?page=1", "/articles/"),
        ("/articles/?page=01", "/articles/"),
        ("/articles/?page=1&page=1", "/articles/"),
        ("/az/rubrics/ikt/?page=1&fbclid=abc", "/az/rubrics/ikt/"),
        ("/archive/?page=1", "/archive/"),
        ("/sitemap.xml?x=1", "/sitemap.xml"),
        ("/sitemap-articles.xml?x=1", "/sitemap-articles.xml"),
        ("/sitemap-articles.xml?p=01", "/sitemap-articles.xml"),
        ("/sitemap-articles.xml?p=1", "/sitemap-articles.xml"),
        ("/feed/?utm_source=x", "/feed/"),
        ("/en/tags/oon/feed/atom/?x=1", "/en/tags/oon/feed/atom/"),
    ],
)
def test_unknown_parameters_and_odd_spellings_redirect_to_the_canonical_url(
    client, seed, path, target
):
    assert_redirects_to(client, path, target)


def test_a_later_page_keeps_its_number_in_one_spelling(client, two_pages, monkeypatch):
    assert_redirects_to(client, "/articles/?page=02", "/articles/?page=2")
    assert_redirects_to(client, "/articles/?page=2&utm_source=x", "/articles/?page=2")
    monkeypatch.setattr(ArticleSitemap, "limit", 20)
    assert_redirects_to(client, "/sitemap-articles.xml?p=002", "/sitemap-articles.xml?p=2")


@pytest.mark.parametrize(
    "path",
    [
        "/tags/?kind=bogus",
        "/tags/?kind=Person",
        "/articles/?page=abc",
        "/articles/?page=0",
        "/articles/?page=-1",
        "/articles/?page=%201",
        "/articles/?page=99999999999999999999",
        "/sitemap-articles.xml?p=abc",
        "/sitemap-articles.xml?p=0",
        "/?page=abc",
    ],
)
def test_an_invalid_value_of_a_known_parameter_is_404(client, seed, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/?page=777777",
        "/?page=2",
        "/az/?page=2",
        "/archive/?page=2",
        "/articles/?page=999",
        "/tags/oon/?page=2",
        "/rubrics/ikt/?page=2",
        "/sources/apa/?page=2",
        "/rubrics/?page=2",
        "/sources/?page=2",
        "/tags/?page=2",
        "/tags/?kind=person&page=9",
        "/2024/?page=5",
        "/2024/08/?page=5",
        "/2024/08/09/?page=5",
        "/sitemap-articles.xml?p=999",
        "/sitemap-dates.xml?p=2",
    ],
)
def test_a_page_past_the_end_is_404_everywhere(client, seed, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/sitemap-art%C3%A9.xml", "/sitemap-a%20b.xml", "/sitemap-a;b=c.xml"]
)
def test_a_path_that_needs_encoding_does_not_redirect_to_itself(client, seed, path):
    assert client.get(path).status_code == 404


def test_date_urls_are_written_with_two_digit_months_and_days():
    assert reverse("archive:archive-year", args=[2024]) == "/2024/"
    assert reverse("archive:archive-month", args=[2024, 8]) == "/2024/08/"
    assert reverse("archive:archive-day", args=[2024, 8, 9]) == "/2024/08/09/"


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/2024/0008/009/", "/2024/08/09/"),
        ("/2024/8/9/", "/2024/08/09/"),
        ("/02024/", "/2024/"),
        ("/2024/8/", "/2024/08/"),
        ("/en/2024/8/9/", "/en/2024/08/09/"),
        ("/az/02024/08/", "/az/2024/08/"),
        # One hop for the path and the query together.
        ("/2024/8/9/?page=1&utm_source=x", "/2024/08/09/"),
    ],
)
def test_odd_spellings_of_a_date_redirect_to_the_canonical_one(client, seed, path, target):
    assert_redirects_to(client, path, target)


@pytest.mark.parametrize(
    "path",
    ["/2024/13/01/", "/2024/02/30/", "/2023/02/29/", "/2024/00/", "/2024/08/32/", "/0/",
     "/99999/", "/2024/13/"],
)  # fmt: skip
def test_an_impossible_date_is_404(client, seed, path):
    assert client.get(path).status_code == 404


# The cache stays bounded ------------------------------------------------------------------


def cache_entries():
    return len(caches["default"]._cache)


CANONICAL = [
    "/",
    "/az/",
    "/articles/",
    "/tags/",
    "/tags/?kind=person",
    "/tags/oon/",
    "/rubrics/",
    "/rubrics/ikt/",
    "/sources/apa/",
    "/archive/",
    "/2024/",
    "/2024/08/",
    "/2024/08/09/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/feed/",
    "/tags/oon/feed/",
]


def junk_urls(rng, count):
    makers = [
        lambda: f"{rng.choice(CANONICAL[:13])}?utm_source={rng.random()}",
        lambda: f"/tags/?kind={rng.getrandbits(40):x}",
        lambda: f"/tags/oon/?kind={rng.getrandbits(40):x}",
        lambda: f"/?page={rng.randrange(2, 10**6)}",
        lambda: f"/articles/?page={rng.randrange(2, 10**6)}",
        lambda: f"/archive/?page={rng.randrange(2, 10**6)}",
        lambda: f"/articles/?page=0{rng.randrange(1, 2)}",
        lambda: f"/sitemap-articles.xml?p={rng.randrange(2, 10**6)}",
        lambda: f"/sitemap-articles.xml?x={rng.random()}",
        lambda: f"/2024/{'0' * rng.randrange(1, 5)}8/{'0' * rng.randrange(1, 5)}9/",
        lambda: f"/{rng.randrange(1000, 3000)}/{rng.randrange(13, 99)}/",
        lambda: f"/2024/02/{rng.randrange(30, 99)}/",
        lambda: f"/search/feed/?q=оон&to={rng.getrandbits(40):x}",
        lambda: (
            f"/search/feed/?q=оон&to={rng.randrange(1900, 2900)}-"
            f"{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        ),
        lambda: f"/feed/?x={rng.random()}",
    ]
    return [rng.choice(makers)() for _ in range(count)]


def test_a_flood_of_junk_urls_adds_nothing_to_the_cache(client, seed, search_index):
    # The search feed is never kept; searching keeps the synonyms, one entry for all.
    for path in [*CANONICAL, "/search/feed/?q=оон"]:
        assert client.get(path).status_code == 200, path
    filled = cache_entries()
    before = set(caches["default"]._cache)
    assert filled >= len(CANONICAL)
    statuses = {}
    for path in junk_urls(random.Random(20916), 200):
        response = client.get(path)
        statuses.setdefault(response.status_code, []).append(path)
        if response.status_code == 301:
            assert client.get(response["Location"]).status_code == 200, path
    assert set(statuses) <= {200, 301, 404}, statuses.keys()
    assert all(p.startswith("/search/feed/") for p in statuses.get(200, [])), statuses[200]
    assert cache_entries() == filled, set(caches["default"]._cache) - before


# A failing cache ------------------------------------------------------------------------


class BrokenCache(LocMemCache):
    """A cache whose writes (or reads too) fail, as Redis does when it is out of memory
    with `noeviction` (or gone)."""

    failing = ("set", "add")

    def _fail(self, name):
        if name in self.failing:
            raise ConnectionError(f"cache {name} failed")

    def get(self, *args, **kwargs):
        self._fail("get")
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        self._fail("set")
        return super().set(*args, **kwargs)

    def add(self, *args, **kwargs):
        self._fail("add")
        return super().add(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._fail("delete")
        return super().delete(*args, **kwargs)


class UnreachableCache(BrokenCache):
    failing = ("get", "set", "add", "delete")


@pytest.mark.parametrize("backend", ["BrokenCache", "UnreachableCache"])
def test_a_failing_cache_serves_pages_uncached_and_logs_a_warning(
    client, seed, search_index, settings, caplog, backend
):
    settings.CACHES = {"default": {"BACKEND": f"tests.test_canonical_urls.{backend}"}}
    caplog.set_level(logging.WARNING, logger="archive.cache")
    for path in ["/", "/tags/oon/", "/2024/08/09/", "/sitemap-articles.xml", "/feed/",
                 "/tags/oon/feed/atom/", "/search/feed/?q=оон"]:  # fmt: skip
        for _ in range(2):
            assert client.get(path).status_code == 200, path
    assert any(r.levelno == logging.WARNING for r in caplog.records)
    # Forgetting the content version on a save does not fail the save either.
    Article.objects.filter(pk=seed.pk).get().save()


def test_other_spellings_of_the_host_are_answered_but_not_cached(client, seed, settings):
    """Django checks only the domain against ALLOWED_HOSTS: ports, capitals and a
    trailing dot must not each cache a copy of every page (and feed)."""
    settings.ALLOWED_HOSTS = ["testserver"]
    for path in ("/", "/feed/"):
        assert client.get(path).status_code == 200
    filled = cache_entries()
    for host in ("testserver:1", "testserver:65535", "TESTSERVER", "testserver.", "TestServer:8"):
        for path in ("/", "/feed/"):
            assert client.get(path, HTTP_HOST=host).status_code == 200, (host, path)
    assert cache_entries() == filled
    # The server's own port is the same site, and cached as such.
    response = client.get("/rubrics/", HTTP_HOST="testserver:80", SERVER_PORT="80")
    assert response.status_code == 200 and cache_entries() == filled + 1
