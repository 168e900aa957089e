"""Any query and any page number, against the page, the JSON, the suggestions and the
search feeds: a normal answer or a 404, never a 500, and quickly.

The index is built once for the module (seed data), and the test takes only
module-scoped fixtures, so Hypothesis's examples share nothing that a test resets.
"""

import time
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from search.query import MAX_QUERY_LENGTH

from . import search_support
from .search_support import module_archive

fresh_state = search_support.fresh_state

ENDPOINTS = [
    "/search/",
    "/api/search/",
    "/api/suggest/",
    "/search/feed/",
    "/search/feed/atom/",
    "/en/search/",
    "/az/api/search/",
]
TIME_BUDGET = 3.0  # seconds for one request on a small index, whatever the input

# Pieces readers (and robots) actually send; Hypothesis strings them together.
PIECES = [
    '"',
    "(",
    ")",
    "[",
    "AND",
    "OR",
    "NOT",
    "И",
    "ИЛИ",
    "-",
    "*",
    "+",
    "|",
    "&&",
    "title:",
    "text:конвенция",
    "django_ct:archive.article",
    "конвенция",
    "Конвенции",
    "кибер*",
    "к*",
    "-ООН",
    '"Генеральная Ассамблея',
    "rjydtywbz",
    "mansurov",
    ",fre",
    "киберпреступнось",
    "\x00",
    "\x1b",
    "\u202e",
    "\u200f",
    "🙂",
    "👩‍👩‍👧",
    "مرحبا",
    "שלום",
    "%00",
    "<script>",
    "&amp;",
    "\\",
    "'",
    "~",
    "^2",
    "ё",
]
queries = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.text(max_size=60),
)
pages = st.one_of(
    st.none(),
    st.sampled_from(["abc", "-1", "10**9", "0", "1", "2", "²", "١", "1e3", " 1", "", "1.0"]),
    st.integers(min_value=-10, max_value=10**12).map(str),
    st.text(max_size=8),
)
extras = st.fixed_dictionaries(
    {},
    optional={
        "rubric": st.sampled_from(["ikt", "<b>", "", "no-such"]),
        "from": st.sampled_from(["2024-01-01", "вчера", "9999-99-99", ""]),
        "to": st.sampled_from(["2019-01-01", "2025-12-31", "0"]),
        "sort": st.sampled_from(["date", "relevance", "random"]),
        "format": st.sampled_from(["opensearch", "xml"]),
        "exact": st.sampled_from(["1", "yes", ""]),
    },
)


def build():
    call_command("loaddata", "seed", verbosity=0)


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive"), pytest.mark.whoosh_only]


@pytest.fixture(scope="module")
def http():
    return Client(raise_request_exception=False)


def fetch(http, path, params):
    started = time.perf_counter()
    response = http.get(path, params)
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 404), (path, params, response.status_code)
    assert elapsed < TIME_BUDGET, (path, params, elapsed)
    return response


def check_body(path, response):
    if response.status_code != 200:
        return
    if "/feed/" in path:
        ET.fromstring(response.content)  # well-formed XML
    elif "/api/" in path:
        response.json()
    else:
        assert b"</html>" in response.content


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(ENDPOINTS), q=queries, page=pages, extra=extras)
@example(path="/search/", q="конвенция " * 1000, page=None, extra={})  # 10,000 characters
@example(path="/api/search/", q="ы" * 10_001, page="1", extra={})
@example(path="/search/feed/", q="\x00", page="abc", extra={})
@example(path="/api/search/", q="конвенция", page="²", extra={})
@example(path="/api/search/", q="AND", page="10**9", extra={})
@example(path="/api/search/", q="-", page="-1", extra={})
@example(path="/api/suggest/", q="*", page=None, extra={"format": "opensearch"})
@example(path="/search/", q='"(title:', page="2", extra={"rubric": "<b>"})
def test_no_input_breaks_a_search_endpoint(http, path, q, page, extra):
    params = {"q": q, **extra}
    if page is not None:
        params["page"] = page
    check_body(path, fetch(http, path, params))


@settings(max_examples=30, deadline=None)
@given(page=pages)
def test_a_page_number_is_a_page_or_a_404(http, page):
    response = fetch(http, "/api/search/", {"q": "конвенция", "page": page or ""})
    if page in (None, "", "1"):
        assert response.status_code == 200
    elif response.status_code == 200:
        assert response.json()["page"] == int(page)


@pytest.mark.parametrize("length", [MAX_QUERY_LENGTH + 1, 10_000, 50_000])
def test_a_query_over_the_cap_is_cut_with_a_message(http, length):
    q = ("конвенция " * (length // 10 + 1))[:length]
    data = fetch(http, "/api/search/", {"q": q}).json()
    assert len(data["query"]) <= MAX_QUERY_LENGTH
    assert data["count"] >= 1
    assert any("слишком длинный" in m for m in data["messages"])
    page = fetch(http, "/search/", {"q": q}).content.decode()
    assert "Запрос слишком длинный" in page


def test_a_query_within_the_cap_gets_no_message(http):
    data = fetch(http, "/api/search/", {"q": "конвенция"}).json()
    assert data["messages"] == []
