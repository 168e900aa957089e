"""Shared by the readers' pages tests (test_pages, test_feeds, test_sitemaps, test_querycounts)."""

import html5lib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from archive.models import Article

SEED_SLUG = "podgotovlen-i-prinyat-itogovyy-proekt-konventsii-oon-protiv-kiberprestupnosti"
LANGUAGES = ["ru", "az", "en"]
PREFIX = {"ru": "", "az": "/az", "en": "/en"}


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages and feeds are cached in local memory; every test starts without them.

    Also undoes the language a previous request left active in this thread (the test
    client runs the middleware in-process, and LocaleMiddleware never deactivates).
    """
    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()
    translation.deactivate()


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)
    return Article.objects.get(slug=SEED_SLUG)


def parse_html(response):
    """The page as an element tree; html5lib in strict mode fails on any parse error."""
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(response.content.decode())


def text_of(element):
    return " ".join("".join(element.itertext()).split())


def head_links(doc, rel):
    return [link.attrib for link in doc.findall(".//head/link") if link.get("rel") == rel]


def svg_path(path):
    """An ElementTree path into inline SVG (html5lib keeps SVG in its own namespace)."""
    ns = "{http://www.w3.org/2000/svg}"
    return "/".join(part if part in ("", ".") else ns + part for part in path.split("/"))
