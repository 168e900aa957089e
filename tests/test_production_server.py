"""The site as production runs it: gunicorn (reading ./gunicorn.conf.py), DEBUG off, the
README's variables, static files collected with hashed names, behind a TLS proxy that says
so in X-Forwarded-Proto. One scratch database and STATIC_ROOT for the module."""

import http.client
import sqlite3
from contextlib import contextmanager

import feedparser
import pytest
import redis

from archive.management.commands.benchmark_pages import (
    free_port,
    start_gunicorn,
    stop,
    wait_until_up,
)

from .pages_support import SEED_SLUG
from .scratch_support import run_manage, scratch_env

# The server runs on a scratch SQLite database, whatever the run's database.
pytestmark = pytest.mark.any_database

REDIS_DB = 13  # a database of its own on the shared Redis, emptied by the test
HTTPS = {"X-Forwarded-Proto": "https"}
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    var = tmp_path_factory.mktemp("production")
    env = scratch_env(
        var,
        DEBUG="0",
        SECRET_KEY="a-production-secret-for-this-test-only-0123456789abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="1",
        STATIC_ROOT=str(var / "static"),
        LOG_LEVEL="WARNING",
    )
    for args in (["migrate"], ["loaddata", "seed"], ["collectstatic", "--noinput"]):
        run_manage(env, *args, "--verbosity", "0")
    return var, env


@contextmanager
def gunicorn(site, **extra):
    var, env = site
    port = free_port()
    with open(var / "gunicorn.log", "a") as log:
        # No --config: gunicorn reads ./gunicorn.conf.py from the project root, as in the README.
        server = start_gunicorn(port, 1, {**env, **extra}, stderr=log)
        try:
            wait_until_up(server, port)
            yield port
        finally:
            stop(server)


def fetch(port, path, method="GET", headers=HTTPS):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def test_pages_and_feeds_are_cached_in_redis(site, redis_server):
    """CACHE_URL=redis://... (the README's production value) serves pages and feeds, and
    a second request is answered from Redis: an edit made behind the cache's back (no
    signal drops the content version) stays unseen until the version goes."""
    host, port_number = redis_server
    store = redis.Redis(host=host, port=port_number, db=REDIS_DB)
    store.flushdb()
    var, _env = site
    with gunicorn(site, CACHE_URL=f"redis://{host}:{port_number}/{REDIS_DB}") as port:
        pages = ["/", "/tags/oon/", f"/articles/{SEED_SLUG}/", "/feed/", "/en/feed/atom/"]
        first = {path: fetch(port, path) for path in pages}
        assert {path: status for path, (status, _h, _b) in first.items()} == dict.fromkeys(
            pages, 200
        )
        for path in ("/feed/", "/en/feed/atom/"):
            parsed = feedparser.parse(first[path][2])
            assert not parsed.bozo and parsed.entries, path
        keys = [key.decode() for key in store.keys("*")]
        for kind in ("archive:content-version", "archive:page:", "archive:feed:"):
            assert any(kind in key for key in keys), (kind, keys)

        with sqlite3.connect(var / "archive.sqlite3") as db:
            db.execute(
                "UPDATE archive_article SET title_ru = 'Заголовок мимо кэша' WHERE slug = ?",
                [SEED_SLUG],
            )
        for path in ("/tags/oon/", "/feed/"):
            status, _headers, body = fetch(port, path)
            assert status == 200 and body == first[path][2], path  # from Redis

        store.delete(*[key for key in store.keys("*") if b"archive:content-version" in key])
        for path in ("/tags/oon/", "/feed/"):
            assert "Заголовок мимо кэша" in fetch(port, path)[2].decode(), path
    store.flushdb()


def test_no_server_header_and_the_security_headers_everywhere(site):
    """gunicorn names itself in no response; static files (whitenoise), the APPEND_SLASH
    redirect and the 400 for a host not in ALLOWED_HOSTS carry the same security headers
    as the pages."""
    with gunicorn(site) as port:
        answers = {
            "page": fetch(port, "/tags/"),
            "static": fetch(port, "/static/archive/site.css"),
            "slash": fetch(port, "/tags"),
            "bad host": fetch(port, "/", headers={**HTTPS, "Host": "evil.example"}),
            "not found": fetch(port, "/no-such-page/"),
        }
    assert {name: status for name, (status, _h, _b) in answers.items()} == {
        "page": 200,
        "static": 200,
        "slash": 301,
        "bad host": 400,
        "not found": 404,
    }
    assert answers["slash"][1]["Location"] == "/tags/"
    for name, (_status, headers, _body) in answers.items():
        assert headers.get_all("Server") is None, (name, headers.get_all("Server"))
        for header, value in SECURITY_HEADERS.items():
            assert headers.get(header) == value, (name, header, dict(headers))
        assert headers.get("Content-Security-Policy", "").startswith("default-src 'self'"), name
