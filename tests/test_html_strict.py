"""Every kind of reader's page, in Russian, Azerbaijani and English, parses with html5lib
in strict mode (any parse error fails) and gives each id to one element only: the same
catalogue of page types the axe-core and screenshot tests use (tests/reader_site.py)."""

import re
from collections import Counter

import pytest
from django.test import override_settings

from . import db_support
from .pages_support import parse_html
from .reader_site import LANGUAGES, PAGE_TYPES, build_reader_site
from .search_support import temporary_index

pytestmark = [pytest.mark.django_db, pytest.mark.whoosh_only]


@pytest.fixture(scope="module")
def reader_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The site built once and committed for the module's tests, removed after them."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(media)), temporary_index():
        with django_db_blocker.unblock():
            found = db_support.snapshot()
        try:  # the rows are given back even when the build fails
            with django_db_blocker.unblock():
                build_reader_site()
            yield
        finally:
            with django_db_blocker.unblock():
                db_support.restore(found)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_the_page_parses_strictly(reader_site, client, page_type, lang):
    path = page_type.path(lang)
    response = client.get(path)
    assert response.status_code == page_type.status, path
    doc = parse_html(response)
    assert doc.get("lang") == lang
    assert len(doc.findall(".//main")) == 1
    assert len(doc.findall(".//h1")) == 1, path
    ids = Counter(element.get("id") for element in doc.iter() if element.get("id"))
    assert [name for name, count in ids.items() if count > 1] == [], path


CYRILLIC = re.compile(r"[А-Яа-яЁё]{3,}")
SCHWA = re.compile(r"\w*[Əə]\w*")  # a letter only Azerbaijani writes


def unmarked_text(element, pattern, lang, page_lang):
    """Texts matching `pattern` whose nearest lang (the element's or an ancestor's) is not
    `lang`: a screen reader would read them with the wrong voice."""
    found = []

    def walk(element, inherited):
        here = element.get("lang", inherited)
        if element.tag in ("script", "style"):
            return
        if element.text and pattern.search(element.text) and here != lang:
            found.append((element.tag, here, element.text.strip()[:60]))
        for child in element:
            walk(child, here)
            if child.tail and pattern.search(child.tail) and here != lang:
                found.append((element.tag, here, child.tail.strip()[:60]))

    walk(element, page_lang)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES, ids=lambda page_type: page_type.name)
def test_text_in_another_language_says_so(reader_site, client, page_type, lang):
    path = page_type.path(lang)
    doc = parse_html(client.get(path))
    body = doc.find("body")
    if lang != "ru":
        assert unmarked_text(body, CYRILLIC, "ru", lang) == [], path
    if lang != "az":
        assert unmarked_text(body, SCHWA, "az", lang) == [], path
