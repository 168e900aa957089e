"""Per-client rate limits on search, suggestions, search feeds and sitemaps: 429 with Retry-After
past the limit, counted per address (an IPv6 /64), in the shared cache."""

import feedparser
import pytest
from django.core.cache import cache

from archive import ratelimit

pytestmark = pytest.mark.django_db

LIMITS = {"search": "3/60", "suggest": "5/60", "feed": "2/60", "sitemap": "2/60"}


@pytest.fixture(autouse=True)
def limits(settings):
    settings.RATE_LIMITS = LIMITS
    cache.clear()


def get(client, url, address="203.0.113.5", **params):
    return client.get(url, params, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "url, kind",
    [("/search/", "search"), ("/api/search/", "search"), ("/api/suggest/", "suggest")],
)
def test_past_the_limit_a_client_gets_429_with_retry_after(client, search_index, url, kind):
    allowed = ratelimit.parse_rate(LIMITS[kind])[0]
    for _ in range(allowed):
        assert get(client, url, q="конвенция").status_code == 200
    refused = get(client, url, q="конвенция")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another reader is not held back by this one.
    assert get(client, url, address="198.51.100.7", q="конвенция").status_code == 200


def test_the_refusal_speaks_the_readers_language(client, search_index):
    for _ in range(3):
        get(client, "/api/search/", q="x")
    assert "Слишком много запросов" in get(client, "/api/search/", q="x").json()["error"]
    for _ in range(3):
        get(client, "/en/search/", address="198.51.100.9", q="x")
    page = get(client, "/en/search/", address="198.51.100.9", q="x")
    assert page.status_code == 429
    assert "Too many requests" in page.content.decode()


def test_search_feeds_are_limited_and_still_parse_before(client, search_index):
    for _ in range(2):
        response = get(client, "/search/feed/", q="конвенция")
        assert response.status_code == 200
        assert not feedparser.parse(response.content).bozo
    refused = get(client, "/search/feed/atom/", q="конвенция")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1


def test_sitemaps_are_limited_as_a_crawler_reads_them(client):
    assert get(client, "/sitemap.xml").status_code == 200
    assert get(client, "/sitemap-articles.xml").status_code == 200
    refused = get(client, "/sitemap-articles.xml")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Слишком много запросов" in refused.content.decode()


def test_one_ipv6_network_counts_as_one_client(client, search_index):
    for host in range(3):
        assert (
            get(client, "/api/search/", address=f"2001:db8::{host + 1}", q="x").status_code == 200
        )
    assert get(client, "/api/search/", address="2001:db8::ffff", q="x").status_code == 429
    assert get(client, "/api/search/", address="2001:db8:0:1::1", q="x").status_code == 200


def test_pages_that_do_not_search_are_not_limited(client):
    for _ in range(10):
        assert get(client, "/").status_code == 200


def test_a_failing_cache_lets_readers_through(client, search_index, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    for _ in range(6):
        assert get(client, "/api/search/", q="x").status_code == 200


def test_zero_turns_a_limit_off(client, search_index, settings):
    settings.RATE_LIMITS = {**LIMITS, "search": "0/60"}
    for _ in range(6):
        assert get(client, "/api/search/", q="x").status_code == 200
