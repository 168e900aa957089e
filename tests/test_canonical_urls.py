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


# One address per page, in every language ---------------------------------------------------

PREFIXES = {"ru": "", "az": "/az", "en": "/en"}


@pytest.fixture
def paged_seed(seed):
    """The seed and 21 more articles in its rubric on 9 August 2024: the lists, the
    rubric, the year, month and day pages all have a page 2."""
    day = seed.published_at
    for i in range(21):
        ArticleFactory(published_at=day - timedelta(minutes=i + 1), rubric=seed.rubric)
    return seed


# (canonical path without the language prefix, other spellings of it)
LIST_AND_DATE_FORMS = [
    ("/", ["/?page=1", "/?page=01", "/?utm_source=x"]),
    ("/articles/", ["/articles", "/articles/?page=1", "/articles?page=1&fbclid=x"]),
    ("/articles/?page=2", ["/articles/?page=02", "/articles?page=2", "/articles/?x=1&page=2"]),
    ("/rubrics/ikt/", ["/rubrics/ikt", "/rubrics/ikt/?page=1"]),
    ("/rubrics/ikt/?page=2", ["/rubrics/ikt/?page=002&page=2"]),
    ("/tags/?kind=person", ["/tags?kind=person", "/tags/?page=1&kind=person&x=y"]),
    ("/archive/", ["/archive", "/archive/?page=1"]),
    ("/2024/", ["/2024", "/02024/", "/2024/?page=1", "/02024?page=01"]),
    ("/2024/?page=2", ["/02024/?page=02", "/2024?page=2"]),
    ("/2024/08/", ["/2024/8/", "/2024/8", "/2024/008/", "/02024/8/?page=1&utm_medium=x"]),
    ("/2024/08/?page=2", ["/2024/8/?page=2", "/2024/8?page=02"]),
    ("/2024/08/09/", ["/2024/8/9/", "/2024/08/9", "/2024/8/09/?page=1", "/2024/0008/0009/"]),
    ("/2024/08/09/?page=2", ["/2024/8/9/?page=2", "/2024/8/9?utm_source=x&page=02"]),
]


def with_prefix(lang, path):
    return PREFIXES[lang] + path


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_every_form_of_a_list_or_date_address_leads_to_one_200_in_one_hop(client, paged_seed, lang):
    for canonical, others in LIST_AND_DATE_FORMS:
        target = with_prefix(lang, canonical)
        response = client.get(target)
        assert response.status_code == 200, target
        doc = pages_support.parse_html(response)
        [link] = pages_support.head_links(doc, "canonical")
        assert link["href"] == "http://testserver" + target
        spellings = [with_prefix(lang, other) for other in others]
        if lang == "ru":  # the default language's prefix is one more spelling
            spellings += ["/ru" + canonical, "/ru" + others[0]]
        for other in spellings:
            response = client.get(other)
            assert response.status_code == 301, (other, response.status_code)
            assert response["Location"] == target, other


def test_the_default_language_prefix_of_a_page_that_is_not_cached_keeps_its_query(client, seed):
    path = f"/articles/{pages_support.SEED_SLUG}/"
    assert_redirects_to(client, "/ru" + path, path)
    response = client.get("/ru/search/?q=оон")
    assert response.status_code == 301
    assert response["Location"] == "/search/?q=%D0%BE%D0%BE%D0%BD"


@pytest.mark.parametrize(
    "path", ["/ru/nope/", "/ru//example.org/", "/2024/13", "/ru/2024/13/", "/ru/tags/?kind=x"]
)
def test_what_is_no_page_stays_a_404(client, seed, path):
    assert client.get(path).status_code == 404


def languages_of(doc):
    """The links a page gives to itself in every language: the switcher's, the canonical
    and the hreflang alternates."""
    switcher = [a.get("href") for a in doc.findall(".//nav[@class='languages']//a")]
    head = pages_support.head_links(doc, "canonical") + [
        link for link in pages_support.head_links(doc, "alternate") if "hreflang" in link
    ]
    return switcher, [link["href"].removeprefix("http://testserver") for link in head]


CRAWLED = [
    "/",
    "/articles/",
    "/articles/?page=2",
    f"/articles/{pages_support.SEED_SLUG}/",
    "/rubrics/",
    "/rubrics/ikt/",
    "/rubrics/ikt/?page=2",
    "/tags/",
    "/tags/?kind=person",
    "/tags/oon/",
    "/sources/",
    "/sources/apa/",
    "/archive/",
    "/2024/",
    "/2024/08/",
    "/2024/08/?page=2",
    "/2024/08/09/",
    "/2019/12/27/",
    "/search/?q=%D0%BE%D0%BE%D0%BD",  # оон
]


def test_every_link_on_every_page_type_is_canonical(client, paged_seed, search_index):
    """The language switcher, the canonical and hreflang links, and every other link a
    page gives to a page of the site, in three languages: each answers 200 at once,
    never a redirect. (Crawled with the test client, every page type once per language.)"""
    answers = {}

    def status(path):
        if path not in answers:
            answers[path] = client.get(path).status_code
        return answers[path]

    switched = 0
    for lang in ("ru", "az", "en"):
        for path in CRAWLED:
            page = with_prefix(lang, path)
            response = client.get(page)
            assert response.status_code == 200, page
            doc = pages_support.parse_html(response)
            switcher, head = languages_of(doc)
            assert len(switcher) == 3 and page in switcher, (page, switcher)
            if not path.startswith("/articles/po"):  # an article points at its text
                assert head[0] == page, (page, head)
            switched += len(switcher)
            links = [a.get("href") for a in doc.iter("a") if a.get("href", "").startswith("/")]
            for href in dict.fromkeys(switcher + head + links):
                assert status(href) == 200, (page, href, status(href))
    assert switched == 3 * len(CRAWLED) * 3 and len(answers) > 300, len(answers)
    redirects = {p: s for p, s in answers.items() if s != 200}
    assert redirects == {}


def test_every_sitemap_address_is_canonical(client, paged_seed):
    """Every <loc> and hreflang alternate of every sitemap section answers 200 at once."""
    import xml.etree.ElementTree as ET

    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", ns)]
    assert len(sections) == 7  # pages, articles, rubrics, tags, sources, stories, dates
    seen = set()
    for section in sections:
        root = ET.fromstring(client.get(section.removeprefix("http://testserver")).content)
        for element in root.iter():
            url = element.text if element.tag.endswith("loc") else element.get("href")
            if url:
                seen.add(url.removeprefix("http://testserver"))
    assert {"/2024/08/", "/az/2024/08/", "/en/2024/", "/rubrics/ikt/"} <= seen
    for path in seen:
        assert client.get(path).status_code == 200, path
