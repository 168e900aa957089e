"""Smoke tests of the benchmark commands on a few articles: they run and print their
figures. Benchmarks are never timed in tests; the figures are in the README."""

import re
import socket
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from haystack import connections

from search.engines.whoosh import backend as backends
from search.management.commands.benchmark_search import draw_queries, percentile

from .scratch_support import run_manage, scratch_env


def test_queries_are_drawn_deterministically_without_stop_words():
    texts = ["В понедельник международная программа и новый проект обсудили бюджет города."]
    queries = draw_queries(texts, 30, seed=4)
    assert queries == draw_queries(texts, 30, seed=4)
    assert [len(q.split()) for q in queries[:6]] == [1, 2, 3, 1, 2, 3]
    words = {w for q in queries for w in q.split()}
    assert words and not words & {"в", "и"}


def test_percentile():
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile([3.0], 95) == 3.0


@pytest.mark.django_db
def test_benchmark_search_prints_the_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(backends, "SEGMENT_DOCS", 10)  # three committed parts
    path_before = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    out = StringIO()
    call_command(
        "benchmark_search", count=30, words=60, queries=12, stock_count=20, seed=2, stdout=out
    )
    text = out.getvalue()
    for figure in (
        r"archive \(rebuild_index, \d+/read\)\s+30 articles in .* = +\d+/s; index +[\d.]+ MB",
        r"stock \(update_index, 1000/batch\)\s+20 articles in .* = +\d+/s",
        r"rate by part of 10, commit included: \d+ \d+ \d+ articles/s \(last/first [\d.]+\)",
        r"capped at 20 of 30 articles",
        r"archive JSON endpoint .* +[\d.]+ +[\d.]+  \d+/12",
        r"stock SearchQuerySet.* +[\d.]+ +[\d.]+  \d+/12",
        r"raw Whoosh searcher.* +[\d.]+ +[\d.]+  \d+/12",
        r"stock / archive: median [\d.]+x, p95 [\d.]+x",
        r"archive / raw: median [\d.]+x",
        r"Peak memory \(ru_maxrss\): \d+ MB",
    ):
        assert re.search(figure, text), (figure, text)
    # The archive's own connection is back where it was, and 'stock' is gone.
    assert connections["default"].get_backend().path == path_before
    assert "stock" not in connections.connections_info


def test_benchmark_pages_starts_gunicorn_prints_the_figures_and_stops_it(tmp_path):
    env = scratch_env(tmp_path)

    def manage(*args, timeout=120):
        return run_manage(env, *args, timeout=timeout).stdout

    manage("migrate", "--verbosity", "0")
    manage("generate_articles", "--count", "30", "--words", "60", "--verbosity", "0")
    text = manage("benchmark_pages", "--workers", "2", "--seconds", "0.5", "--concurrency", "2")
    for name in (
        "home",
        "article",
        "tag page",
        "search page",
        "feed \\(RSS\\)",
        "feed answered 304",
    ):
        assert re.search(rf"{name}.*?\s+\d+\s+[\d.]+\s+[\d.]+\s+0$", text, re.M), (name, text)
    assert "worker resident memory" in text
    port = int(re.search(r"on 127\.0\.0\.1:(\d+)", text).group(1))
    with pytest.raises(OSError):  # gunicorn is gone
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
