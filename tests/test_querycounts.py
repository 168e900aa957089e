"""Database queries per page and feed: a fixed number, however many articles, tags and
related items there are (no query per row), and none for a page served from the cache."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from archive.models import Tag

from .factories import ArticleFactory, RubricFactory, SourceFactory, TagFactory
from .pages_support import empty_cache  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_data(db):
    """45 articles in 3 rubrics, 2 sources, with 12 tags of every kind and related articles."""
    rubrics = [RubricFactory() for _ in range(3)]
    sources = [SourceFactory() for _ in range(2)]
    kinds = list(Tag.Kind)
    tags = [TagFactory(kind=kinds[i % 4]) for i in range(12)]
    start = timezone.make_aware(datetime(2024, 8, 9, 9), timezone.get_default_timezone())
    articles = []
    for i in range(45):
        article = ArticleFactory(
            rubric=rubrics[i % 3],
            source=sources[i % 2],
            tags=tags[i % 5 : i % 5 + 7],
            published_at=start - timedelta(hours=7 * i),
            title_en=f"Article {i}",
            body_en="<p>Text.</p>",
            video_url="https://video.example.org/a.mp4" if i % 4 == 0 else "",
        )
        articles.append(article)
    main = articles[0]
    main.related.add(*articles[1:9])
    return {"main": main, "rubric": rubrics[0], "tag": tags[2], "source": sources[0]}


def page_paths(data):
    rubric, tag, source = data["rubric"], data["tag"], data["source"]
    return {
        "home": ("/", 4),
        "article list": ("/articles/?page=2", 3),
        "rubric index": ("/rubrics/", 3),
        "rubric": (f"/rubrics/{rubric.slug}/", 4),
        "tag index": ("/tags/", 4),
        "tag index, one kind": ("/tags/?kind=person", 3),
        "tag": (f"/tags/{tag.slug}/", 4),
        "source index": ("/sources/", 3),
        "source": (f"/sources/{source.slug}/?page=2", 4),
        "date archive": ("/archive/", 2),
        "year": ("/2024/", 5),
        "month": ("/2024/08/", 6),
        "day": ("/2024/08/08/", 7),
        "sitemap index": ("/sitemap.xml", 14),
        # the content version, a COUNT and the page (500 articles, paginated in SQL)
        "sitemap section": ("/sitemap-articles.xml", 3),
        "robots.txt": ("/robots.txt", 0),
    }


CASES = [
    "home", "article list", "rubric index", "rubric", "tag index", "tag index, one kind", "tag",
    "source index", "source", "date archive", "year", "month", "day", "sitemap index",
    "sitemap section", "robots.txt",
]  # fmt: skip


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("case", CASES)
def test_list_pages_cold_then_cached(
    client, archive_data, case, prefix, django_assert_max_num_queries, django_assert_num_queries
):
    path, most = page_paths(archive_data)[case]
    if path.startswith(("/sitemap", "/robots")):
        prefix = ""
    with django_assert_max_num_queries(most):  # includes reading the content version
        response = client.get(prefix + path)
    assert response.status_code == 200
    with django_assert_num_queries(0):
        assert client.get(prefix + path).status_code == 200


@pytest.mark.parametrize("prefix", ["", "/az", "/en"])
def test_article_page_in_at_most_five_queries(
    client, archive_data, prefix, django_assert_max_num_queries
):
    main = archive_data["main"]
    assert main.tags.count() == 7 and main.related.count() == 8
    cache.clear()
    with django_assert_max_num_queries(5):
        response = client.get(prefix + main.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('rel="tag"') == 7
    # In fact three: the article with rubric and source, its tags, its related articles.
    with django_assert_max_num_queries(3):
        client.get(prefix + main.get_absolute_url())


def feed_paths(data):
    rubric, tag, source = data["rubric"], data["tag"], data["source"]
    return {
        "latest": ("/feed/", 4),
        "language": ("/feed/language/", 4),
        "rubric": (f"/rubrics/{rubric.slug}/feed/", 5),
        "tag": (f"/tags/{tag.slug}/feed/", 5),
        "source": (f"/sources/{source.slug}/feed/", 5),
    }


@pytest.mark.parametrize("atom", ["", "atom/"], ids=["rss", "atom"])
@pytest.mark.parametrize("prefix", ["", "/az"])
@pytest.mark.parametrize("case", ["latest", "language", "rubric", "tag", "source"])
def test_feeds_cold_cached_and_not_modified(
    client, archive_data, case, prefix, atom, django_assert_max_num_queries,
    django_assert_num_queries,
):  # fmt: skip
    path, most = feed_paths(archive_data)[case]
    path = prefix + path + atom
    items = {"rubric": 15, "language": 0 if prefix == "/az" else 20}.get(case, 20)
    # Cold: version, freshness, (subject,) items, tags of all items: never one per item.
    with django_assert_max_num_queries(most):
        first = client.get(path)
    assert first.status_code == 200
    # (an item shown in a fallback language carries xml:lang: `<item xml:lang="ru">`)
    assert first.content.count(b"<item" if not atom else b"<entry") == items
    # Warm: the freshness rows and the feed both come from the cache (an empty feed's
    # rows are not kept: an unknown slug has none either).
    warm = 0 if items else 1
    with django_assert_num_queries(warm):
        assert client.get(path).content == first.content
    with django_assert_num_queries(warm):
        assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
