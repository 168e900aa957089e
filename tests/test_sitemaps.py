"""sitemap.xml (an index of sections) with hreflang alternates and lastmod; robots.txt."""

import xml.etree.ElementTree as ET

import pytest

from archive.models import Article

from . import pages_support
from .factories import ArticleFactory
from .pages_support import SEED_SLUG

empty_cache = pages_support.empty_cache  # fixtures used by the tests below
seed = pages_support.seed

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def urls(client, section):
    """{location: (lastmod, {hreflang: href})} of one section."""
    root = fetch(client, f"/sitemap-{section}.xml")
    found = {}
    for url in root.findall("sm:url", NS):
        alternates = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
        found[url.findtext("sm:loc", namespaces=NS)] = (
            url.findtext("sm:lastmod", namespaces=NS),
            alternates,
        )
    return found


def test_index_lists_every_section(client, seed):
    root = fetch(client, "/sitemap.xml")
    locations = [s.findtext("sm:loc", namespaces=NS) for s in root.findall("sm:sitemap", NS)]
    assert locations == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "articles", "rubrics", "tags", "sources", "stories", "dates")
    ]
    lastmods = [s.findtext("sm:lastmod", namespaces=NS) for s in root.findall("sm:sitemap", NS)]
    assert lastmods[1] == "2025-10-25T12:00:00+04:00"


def test_articles_in_every_language_they_exist_in(client, seed):
    only_russian = ArticleFactory(title_ru="Только по-русски", title_az="", title_en="")
    ArticleFactory(title_ru="Черновик", status=Article.Status.DRAFT)
    found = urls(client, "articles")
    assert len(found) == 5 * 3 + 1
    base = "http://testserver"
    seed_urls = {
        "ru": f"{base}/articles/{SEED_SLUG}/",
        "az": f"{base}/az/articles/{SEED_SLUG}/",
        "en": f"{base}/en/articles/{SEED_SLUG}/",
    }
    for loc in seed_urls.values():
        lastmod, alternates = found[loc]
        assert lastmod == "2024-08-09T12:00:00+04:00"
        assert alternates == {**seed_urls, "x-default": seed_urls["ru"]}
    loc = f"{base}/articles/{only_russian.slug}/"
    assert found[loc][1] == {"ru": loc, "x-default": loc}
    assert f"{base}/en/articles/{only_russian.slug}/" not in found
    assert not any("chernovik" in loc for loc in found)


def test_labels_pages_and_dates(client, seed):
    tags = urls(client, "tags")
    assert len(tags) == 15 * 3
    lastmod, alternates = tags["http://testserver/az/tags/oon/"]
    assert lastmod == "2025-10-25T12:00:00+04:00"
    assert alternates["x-default"] == "http://testserver/tags/oon/"
    assert "http://testserver/en/rubrics/ikt/" in urls(client, "rubrics")
    assert "http://testserver/sources/apa/" in urls(client, "sources")
    pages = urls(client, "pages")
    assert {"/", "/en/tags/", "/az/archive/"} <= {loc[len("http://testserver") :] for loc in pages}
    dates = urls(client, "dates")
    dates = {loc[len("http://testserver") :] for loc in dates}
    assert {"/2024/", "/en/2024/08/", "/2019/12/"} <= dates
    assert "/2023/" not in dates


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
