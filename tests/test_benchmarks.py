"""Smoke tests of the benchmark commands on a few articles: they run and print their
figures. Benchmarks are never timed in tests; the figures are in the README."""

import re
import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from haystack import connections

from search import engines
from search.engines.whoosh import backend as backends
from search.management import endpoint_costs, tantivy_bench
from search.management.bench_data import draw_queries
from search.management.engine_bench import percentile
from search.query import parse

from .factories import ArticleFactory
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


@pytest.mark.django_db
def test_benchmark_search_times_tantivy_beside_the_endpoint_and_breaks_its_time_down():
    # requirements-dev.txt installs the benchmark's Tantivy, so this runs its path.
    out = StringIO()
    call_command(
        "benchmark_search", count=30, words=60, queries=12, no_stock=True, passes=2, stdout=out
    )
    text = out.getvalue()
    for figure in (
        r"tantivy 0\.27\.0 \(our analysis\)\s+30 articles in .* = +\d+/s; index +[\d.]+ MB",
        r"Beside Tantivy 0\.27\.0 \(archive\): the same 12 queries, .*median of 2 passes",
        r"archive JSON endpoint \(repairs, snippets, facets\) +[\d.]+ +[\d.]+$",
        r"archive engine call alone \(search, facets\) +[\d.]+ +[\d.]+$",
        r"Tantivy: search, 20 stored documents, snippets +[\d.]+ +[\d.]+$",
        r"endpoint / Tantivy: median [\d.]+x, p95 [\d.]+x \(target: 3x\)",
        r"engine alone / Tantivy: median [\d.]+x, p95 [\d.]+x",
        r"tantivy median by pass: [\d.]+ [\d.]+$",
        r"Tantivy's steps, mean ms a query: our parser and the query [\d.]+, search .* [\d.]+, "
        r"snippet generator and stored documents [\d.]+, snippets [\d.]+$",
        r"tried by \d+ of 12 queries \(fewer than 3 results\); \d+ fell back to any word",
        r"Peak memory .*\(Tantivy included: its build, its memory-mapped index\)",
    ):
        assert re.search(figure, text, re.M), (figure, text)
    # Fed the same terms and filtered alike, Tantivy finds the articles the engine finds.
    assert re.search(r"Tantivy and the engine, first 10: .*same count 1\.000 \(12 queries\)", text)
    # Every part of the breakdown is there, and the parts add up to the whole.
    parts = {}
    for label, words in endpoint_costs.PARTS:
        line = re.search(rf"^  {re.escape(words)} +([\d.]+) +\d+%$", text, re.M)
        assert line, (label, text)
        parts[label] = float(line.group(1))
    whole = float(
        re.search(r"^  all \(median [\d.]+, p95 [\d.]+\) +([\d.]+) +100%$", text, re.M)[1]
    )
    assert sum(parts.values()) == pytest.approx(whole, abs=0.01 * len(parts))
    assert parts["engine"] > 0 and parts["snippets"] > 0


@pytest.mark.django_db
def test_tantivy_is_fed_our_lemmas_and_hides_what_readers_cannot_see(tmp_path):
    treaty = ArticleFactory(
        title_ru="Конвенции ООН о киберпреступности",
        body_ru="<p>Генеральная Ассамблея приняла конвенцию против киберпреступности.</p>",
    )
    ArticleFactory(title_ru="Погода в Баку", body_ru="<p>Завтра дожди.</p>")
    ArticleFactory(
        title_ru="Конвенция завтрашнего дня", published_at=timezone.now() + timedelta(days=1)
    )
    archive = tantivy_bench.TantivyArchive(tmp_path)
    assert archive.build().documents == 2  # the scheduled one is not out yet
    # «конвенциями» and «киберпреступность» reach the texts' other forms through the lemmas.
    total, hits = archive.search(parse("конвенциями киберпреступность"), {})
    assert total == 1 and [hit["id"] for hit in hits] == [treaty.pk]
    assert hits[0]["slug"] == treaty.slug and hits[0]["rubric"] == treaty.rubric.slug
    # The snippet is cut from the stored lemma terms, the matched ones marked.
    assert "<b>конвенция</b>" in hits[0]["snippet"]
    assert archive.search(parse("конвенция дожди"), {}) == (0, [])


@pytest.mark.django_db
def test_benchmark_search_without_tantivy_says_so(monkeypatch):
    monkeypatch.setattr(tantivy_bench, "tantivy", None)
    out = StringIO()
    call_command("benchmark_search", count=20, words=40, queries=6, no_stock=True, stdout=out)
    text = out.getvalue()
    assert "Tantivy: not installed (pip install -r requirements-bench.txt)" in text
    assert "Beside Tantivy" not in text
    assert "Where the archive JSON endpoint's time goes" in text
    with pytest.raises(CommandError, match="requirements-bench.txt"):
        call_command("benchmark_search", queries=6, no_stock=True, tantivy=True, stdout=out)


# Committed data: a rebuild on the cluster reads the database from the bulk writer's
# threads too.
@pytest.mark.django_db(transaction=True)
def test_benchmark_search_on_both_engines_agrees_and_deletes_its_alias(opensearch_cluster):
    out = StringIO()
    call_command(
        "benchmark_search",
        engine="both",
        opensearch_nodes=opensearch_cluster,
        count=60,
        words=60,
        queries=30,
        no_stock=True,
        stdout=out,
    )
    text = out.getvalue()
    for figure in (
        r"whoosh \(rebuild_index, \d+/read\)\s+60 articles in .* = +\d+/s; index +[\d.]+ MB",
        r"opensearch \(rebuild_index, \d+/read\)\s+60 articles in .* = +\d+/s; index +[\d.]+ MB",
        r"then [\d.]+ s \(replica copies, switch, reconciliation\)",
        r"whoosh JSON endpoint .* +[\d.]+ +[\d.]+  30/30",
        r"opensearch JSON endpoint .* +[\d.]+ +[\d.]+  30/30",
        r"raw Whoosh searcher.* +[\d.]+ +[\d.]+  30/30",
        r"opensearch / whoosh: median [\d.]+x, p95 [\d.]+x",
        r"Costliest queries, ms \(5 runs each after a warm-up\), opensearch",
    ):
        assert re.search(figure, text), (figure, text)
    assert "stock" not in text
    # The two engines rank alike: the same BM25 over the same terms. Equal scores come in
    # the articles' order on both here: OpenSearch sorts them by id, and Whoosh by
    # document number, which is the id's order when one process wrote the index (fewer
    # than MULTIPROCESS_MIN_DOCS articles). Larger rebuilds write two segments at once,
    # and some equal scores then come in another order (README, Performance).
    agreement = re.search(
        r"same set of 10: ([\d.]+) \(\d+/30\); same order: ([\d.]+) \(\d+/30\); "
        r"same count: ([\d.]+) \(\d+/30\)",
        text,
    )
    assert agreement, text
    assert agreement.groups() == ("1.000", "1.000", "1.000"), text
    # The cluster keeps nothing of the run.
    alias = re.search(r"OpenSearch: alias (bench-[0-9a-f]+) on ", text).group(1)
    with engines.using(f"opensearch://{opensearch_cluster}/{alias}"):
        conn = connections["default"].get_backend().conn
        assert not conn.indices.exists_alias(name=alias)
        assert conn.indices.get(index=f"{alias}*") == {}


@pytest.mark.any_database  # a scratch SQLite database, whatever the run's
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
