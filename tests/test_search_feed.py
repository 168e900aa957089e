"""The feed of a search (/search/feed/?q=..., RSS and Atom), read back as a subscriber
would, and its links from the results page."""

from datetime import datetime, timedelta

import feedparser
import html5lib
import pytest
from django.core.cache import caches
from django.utils import timezone

from archive.models import Article
from search import service

from . import search_support
from .factories import ArticleFactory, RubricFactory
from .search_support import module_archive

fresh_state = search_support.fresh_state


def baku(*args):
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


def build():
    ikt = RubricFactory(name_ru="ИКТ", slug="ikt")
    ArticleFactory(title_ru="Конвенция принята", published_at=baku(2024, 12, 24, 12), rubric=ikt)
    ArticleFactory(title_ru="Конвенция подписана", published_at=baku(2025, 10, 25, 12))
    ArticleFactory(title_ru="Проект конвенции", published_at=baku(2019, 12, 27, 12), rubric=ikt)
    ArticleFactory(title_ru="Конвенция в черновике", status=Article.Status.DRAFT)
    ArticleFactory(
        title_ru="Конвенция в расписании", published_at=timezone.now() + timedelta(days=1)
    )


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]


def read(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("path", ["/search/feed/", "/search/feed/atom/"])
def test_the_feed_holds_the_matching_articles_newest_first(client, path):
    parsed = read(client, path, q="конвенция")
    assert parsed.feed.title == "Поиск: конвенция"
    assert [e.title for e in parsed.entries] == [
        "Конвенция подписана",
        "Конвенция принята",
        "Проект конвенции",
    ]
    assert parsed.feed.link.endswith(
        "/search/?q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F"
    )


def test_the_feed_keeps_the_filters(client):
    parsed = read(client, "/search/feed/", q="конвенция", rubric="ikt")
    assert [e.title for e in parsed.entries] == ["Конвенция принята", "Проект конвенции"]
    assert "rubric=ikt" in parsed.feed.link


def test_two_searches_with_the_same_articles_are_two_feeds(client):
    # Both find nothing: the cached feed of one must not answer for the other.
    first = read(client, "/search/feed/", q="жираф")
    second = read(client, "/search/feed/", q="бегемот")
    assert first.feed.title == "Поиск: жираф"
    assert second.feed.title == "Поиск: бегемот"


def etag(client, **params):
    response = client.get("/search/feed/", params)
    assert response.status_code == 200
    return response["ETag"]


def test_the_etag_comes_from_the_validated_query_and_filters(client):
    plain = etag(client, q="конвенция")
    # An invalid date is dropped, as on the search page: the same feed, the same ETag.
    for junk in ("junk", "2024-13-45", "0000-00-00", "1-1-1", "x" * 500):
        assert etag(client, q="конвенция", to=junk) == plain, junk
        assert etag(client, q="конвенция", **{"from": junk}) == plain, junk
    parsed = read(client, "/search/feed/", q="конвенция", to="junk")
    assert "to=" not in parsed.feed.link
    # One day, however it is written, is one feed.
    day = etag(client, q="конвенция", to="2024-01-05")
    assert day != plain
    assert etag(client, q="конвенция", to="2024-1-5") == day
    assert etag(client, q="конвенция", to="05.01.2024") == day
    # The query as cleaned (spaces, control characters); other parameters do not count.
    assert etag(client, q="  конвенция \x00 ") == plain
    assert etag(client, q="конвенция", utm_source="x", page="7") == plain


def test_the_validators_follow_the_matching_articles_only(client, monkeypatch):
    """An edit elsewhere leaves a search feed's ETag and Last-Modified; an edit of an
    article it holds changes both (archive/feed_freshness.py)."""
    first = client.get("/search/feed/", {"q": "конвенция"})
    elsewhere = ArticleFactory(title_ru="Погода в Баку")
    elsewhere.save()
    again = client.get("/search/feed/", {"q": "конвенция"})
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert (
        client.get(
            "/search/feed/", {"q": "конвенция"}, HTTP_IF_NONE_MATCH=first["ETag"]
        ).status_code
        == 304
    )
    later = timezone.now() + timedelta(minutes=1)  # Last-Modified counts whole seconds
    monkeypatch.setattr(timezone, "now", lambda: later)
    held = Article.objects.get(title_ru="Проект конвенции")
    held.lead_ru = "Исправленный лид"
    held.save()
    edited = client.get("/search/feed/", {"q": "конвенция"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert edited.status_code == 200 and edited["ETag"] != first["ETag"]
    assert edited["Last-Modified"] != first["Last-Modified"]


def test_search_feeds_are_not_kept_in_the_cache(client):
    # Any text is a query and any day a date: kept, they would fill the cache.
    read(client, "/search/feed/", q="конвенция")
    entries = len(caches["default"]._cache)
    for day in range(1, 29):
        read(client, "/search/feed/", q="конвенция", to=f"2024-02-{day:02d}")
        read(client, "/search/feed/", q=f"конвенция {day}")
    assert len(caches["default"]._cache) == entries


@pytest.mark.parametrize("q", ["конвенция\x00", "\x1b[31mконвенция", "конвенция\u202e", "<b>&"])
def test_control_characters_and_markup_in_the_query_make_a_valid_feed(client, q):
    parsed = read(client, "/search/feed/", q=q)
    assert "\x00" not in parsed.feed.title and "\x1b" not in parsed.feed.title


def test_the_results_page_links_its_feeds(client):
    response = client.get("/search/", {"q": "конвенция", "rubric": "ikt", "sort": "date"})
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    alternates = {
        link.get("type"): link.get("href")
        for link in doc.findall(".//head/link")
        if link.get("rel") == "alternate" and "/search/feed/" in link.get("href", "")
    }
    query = "?q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F&rubric=ikt"
    assert alternates == {
        "application/rss+xml": "/search/feed/" + query,
        "application/atom+xml": "/search/feed/atom/" + query,
    }
    parsed = read(client, alternates["application/rss+xml"])
    assert len(parsed.entries) == 2
    # The site's own feeds are still offered after the search's.
    assert (
        client.get("/search/", {"q": "конвенция"})
        .content.decode()
        .count('type="application/rss+xml"')
        >= 3
    )


def test_the_english_page_links_the_english_feed(client):
    html = client.get("/en/search/", {"q": "конвенция"}).content.decode()
    assert 'href="/en/search/feed/?q=' in html


def test_no_query_no_feed_link(client):
    html = client.get("/search/").content.decode()
    assert "/search/feed/" not in html


@pytest.mark.django_db
def test_other_methods_are_refused_before_any_search(client, monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("a refused request must not search")

    monkeypatch.setattr(service, "perform", no_search)
    for method in ("post", "options", "put", "delete"):
        response = getattr(client, method)("/search/feed/?q=конвенция")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"
