"""The OpenSearch engine beyond the shared search contract: both engines rank alike, the
alias moves atomically, one rebuild at a time, versions keep the newest save, health and
reconciliation read the cluster, and a cluster that does not answer is a 503."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from haystack import connections

from archive.models import Article
from search import engines, indexing
from search.engines import RebuildRunning
from search.models import PendingUpdate
from search.query import parse
from search.reconcile import reconcile

from . import search_support
from .factories import ArticleFactory
from .search_support import temporary_index

fresh_state = search_support.fresh_state
pytestmark = pytest.mark.django_db(transaction=True)

WORDS = ["конвенция", "договор", "киберпреступность", "сеть", "данные", "суд", "ООН"]


def backend():
    return connections["default"].get_backend()


def some_articles(count=60):
    """Articles of varied lengths and word counts; returns their texts by pk."""
    texts = {}
    for n in range(count):
        words = " ".join(WORDS[(n + i) % len(WORDS)] for i in range(n % 9 + 1))
        title = f"Статья {n} {WORDS[n % len(WORDS)]}"
        texts[ArticleFactory(title_ru=title, body_ru=f"<p>{words}</p>").pk] = f"{title} {words}"
    return texts


@pytest.fixture
def cluster_index(opensearch_cluster):
    with temporary_index("opensearch", opensearch_cluster) as alias:
        yield alias


def ranked(text, **options):
    outcome = engines.current().search(parse(text), per_page=50, **options)
    return outcome.total, [(int(h.fields["django_id"]), h.score) for h in outcome.hits]


def test_both_engines_find_and_score_the_same_articles(opensearch_cluster):
    some_articles()
    queries = ["конвенция", "договор суд", "данные OR сеть", '"конвенция договор"', "кибер*"]
    found = {}
    for name in ("whoosh", "opensearch"):
        with temporary_index(name, opensearch_cluster):
            call_command("rebuild_index", interactive=False, verbosity=0)
            found[name] = {q: ranked(q) for q in queries}
            found[name]["by date"] = ranked("конвенция", sort="date")
    for query, (total, hits) in found["whoosh"].items():
        other_total, other_hits = found["opensearch"][query]
        assert total == other_total > 0, query
        if query == "кибер*":  # Whoosh scores each word a prefix begins; OpenSearch, 1
            assert {pk for pk, _s in hits} == {pk for pk, _s in other_hits}
            continue
        assert [pk for pk, _s in hits] == [pk for pk, _s in other_hits], query
        if query != "by date":
            for (_pk, score), (_pk2, other) in zip(hits, other_hits, strict=True):
                assert score == pytest.approx(other, rel=1e-5, abs=1e-6), query


def test_synonyms_and_or_groups_score_alike_on_both_engines(opensearch_cluster):
    """Per group, an article scores its best alternative (search.ranking.scored_groups):
    Whoosh's maximum of BM25 arrays and OpenSearch's dis_max give the same scores."""
    from search.models import SynonymGroup, synonym_map

    SynonymGroup.objects.create(terms="ООН, Организация Объединённых Наций, UN")
    forms = ["ООН", "Организации Объединённых Наций", "ООН и Организация Объединённых Наций"]
    for n in range(30):
        ArticleFactory(
            title_ru=f"Доклад {n}: {forms[n % 3]} о договоре" if n % 2 else f"Доклад {n}",
            body_ru=f"<p>{forms[(n + 1) % 3]} {'суд ' * (n % 4)}договор</p>",
            title_en=f"UN report {n}" if n % 5 == 0 else "",
        )
    queries = ["ООН", "ООН договор", "ООН OR суд", "Организация Объединённых Наций суд"]
    found = {}
    for name in ("whoosh", "opensearch"):
        with temporary_index(name, opensearch_cluster):
            call_command("rebuild_index", interactive=False, verbosity=0)
            found[name] = {q: ranked(q, synonyms=synonym_map()) for q in queries}
    for query, (total, hits) in found["whoosh"].items():
        other_total, other_hits = found["opensearch"][query]
        assert total == other_total > 0, query
        assert [pk for pk, _s in hits] == [pk for pk, _s in other_hits], query
        for (_pk, score), (_pk2, other) in zip(hits, other_hits, strict=True):
            assert score == pytest.approx(other, rel=1e-5, abs=1e-6), query


def test_an_article_naming_both_forms_of_a_synonym_scores_the_better_one(opensearch_cluster):
    from search.models import SynonymGroup, synonym_map

    SynonymGroup.objects.create(terms="ООН, Организация Объединённых Наций")
    both = ArticleFactory(title_ru="ООН и Организация Объединённых Наций", body_ru="<p>Доклад.</p>")
    ArticleFactory(title_ru="Доклад ООН", body_ru="<p>Доклад.</p>")
    for name in ("whoosh", "opensearch"):
        with temporary_index(name, opensearch_cluster):
            call_command("rebuild_index", interactive=False, verbosity=0)
            alone = dict(ranked("ООН")[1])[both.pk]
            name_alone = dict(ranked('"Организация Объединённых Наций"')[1])[both.pk]
            together = dict(ranked("ООН", synonyms=synonym_map())[1])[both.pk]
            # The better of the two, not their sum.
            assert together == pytest.approx(max(alone, name_alone), rel=1e-6), name
            assert together < alone + name_alone


def test_equal_scores_fall_back_to_the_article_id_on_both_engines(opensearch_cluster):
    """Whoosh's document order is not the ids': a rebuild of 200 articles or more writes
    with two processes, and a saved article goes to the end. Ties follow the id anyway."""
    from search.engines.whoosh.backend import MULTIPROCESS_MIN_DOCS

    for n in range(MULTIPROCESS_MIN_DOCS + 20):
        ArticleFactory(
            title_ru=f"Заметка {n}", lead_ru="", body_ru="<p>Конвенция о сотрудничестве</p>"
        )
    pks = sorted(Article.objects.values_list("pk", flat=True))
    for name in ("whoosh", "opensearch"):
        with temporary_index(name, opensearch_cluster):
            call_command("rebuild_index", interactive=False, verbosity=0)
            Article.objects.get(pk=pks[0]).save()  # written again: Whoosh's last document
            first, second = (
                [int(h.fields["django_id"]) for h in engines.current().search(
                    parse("конвенция сотрудничество"), page=page, per_page=20).hits]
                for page in (1, 2)
            )  # fmt: skip
            assert first + second == pks[:40], name
            newest = engines.current().search(parse("сотрудничество"), sort="date").hits
            assert [int(h.fields["django_id"]) for h in newest][:3] == pks[::-1][:3], name


def test_a_rebuild_moves_the_alias_and_leaves_no_old_index(cluster_index):
    texts = some_articles(20)
    conn = backend().conn
    [first] = conn.indices.get_alias(name=cluster_index)
    call_command("rebuild_index", interactive=False, verbosity=0)
    [second] = conn.indices.get_alias(name=cluster_index)
    assert second != first and second.startswith(f"{cluster_index}-")
    assert not conn.indices.exists(index=first)  # pruned after the catch-up
    expected = sum("конвенция" in text for text in texts.values())
    assert engines.current().search(parse("конвенция")).total == expected > 0
    settings = conn.indices.get_settings(index=second)[second]["settings"]["index"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("3", "1")


def test_one_rebuild_at_a_time_and_a_dead_ones_lock_is_taken_over(cluster_index, monkeypatch):
    from search.engines.opensearch import aliases

    lock = aliases.RebuildLock(backend().conn, cluster_index).acquire()
    assert engines.current().rebuilding()
    with pytest.raises(RebuildRunning):
        engines.current().build_aside_and_switch()
    later = time.time() + aliases.LOCK_STALE + 1  # the holder stopped beating: it died
    monkeypatch.setattr(aliases, "_now", lambda: later)
    assert not engines.current().rebuilding()
    ArticleFactory(title_ru="Конвенция после сбоя")
    documents, _name = engines.current().build_aside_and_switch()
    assert documents == 1
    lock.release()


def test_a_create_the_client_retried_after_it_went_in_is_still_our_lock(cluster_index, monkeypatch):
    """The client retries a create that timed out (retry_on_timeout) or met a node going
    down, though the first attempt was written: the retry's 409 names our own lock. CI
    once saw a rebuild refuse itself that way, and hold the lock over the queue."""
    conn = backend().conn
    real_create = conn.create

    def create_then_retry(**kwargs):
        real_create(**kwargs)  # the attempt whose answer never reached the client
        return real_create(**kwargs)  # the retry

    monkeypatch.setattr(conn, "create", create_then_retry)
    ArticleFactory(title_ru="Конвенция после повтора")
    documents, _name = engines.current().build_aside_and_switch()
    assert documents == 1
    assert not engines.current().rebuilding()  # released, not left for LOCK_STALE


def test_a_lock_taken_over_is_not_released_by_the_rebuild_that_stalled(cluster_index, monkeypatch):
    from search.engines.opensearch import aliases

    conn = backend().conn
    stalled = aliases.RebuildLock(conn, cluster_index).acquire()
    later = time.time() + aliases.LOCK_STALE + 1
    monkeypatch.setattr(aliases, "_now", lambda: later)
    successor = aliases.RebuildLock(conn, cluster_index).acquire()
    stalled.release()  # it wakes up and finishes
    assert successor.current()["_source"]["holder"] == successor.holder
    successor.release()
    assert successor.current() is None


def test_a_lock_that_cannot_be_read_keeps_the_queue_and_raises_nothing(cluster_index):
    """A shard of the lock index recovering (or closed, here) makes the lock unreadable:
    the writes go in, the queued rows stay for the next round, nothing raises."""
    from search.engines.opensearch import aliases

    conn = backend().conn
    aliases.RebuildLock(conn, cluster_index)._make_index()
    article = ArticleFactory(title_ru="Конвенция при закрытом замке")
    indexing.enqueue([article.pk])
    conn.indices.close(index=aliases.lock_index(cluster_index))
    try:
        assert indexing.rebuilding()
        assert indexing.process([article.pk])
        assert indexing.drain() == (1, 0)
    finally:
        conn.indices.open(index=aliases.lock_index(cluster_index))
    assert engines.current().search(parse("конвенция закрытом")).total == 1
    assert PendingUpdate.objects.filter(article_id=article.pk).exists()
    conn.cluster.health(index=aliases.lock_index(cluster_index), wait_for_status="yellow")
    assert not indexing.rebuilding()
    assert indexing.drain() == (1, 0)
    assert not PendingUpdate.objects.exists()


def test_an_older_save_never_overwrites_a_newer_one(cluster_index):
    article = ArticleFactory(title_ru="Конвенция, первая редакция")
    index = connections["default"].get_unified_index().get_index(Article)
    stale = Article.objects.get(pk=article.pk)  # a writer that read the row before the edit
    article.title_ru = "Конвенция, вторая редакция"
    article.save()
    written, _removed = backend().send(
        [backend()._index_action(index, stale, cluster_index)], refresh=True
    )
    assert written == 0  # refused as older (409), not an error
    [hit] = engines.current().search(parse("конвенция")).hits
    assert hit.fields["title_ru"] == "Конвенция, вторая редакция"


def test_reconciliation_and_health_read_the_cluster(cluster_index):
    some_articles(12)
    draft = ArticleFactory(title_ru="Черновик", status=Article.Status.DRAFT)
    edited, unpublished = Article.objects.order_by("pk")[:2]
    # Rows changed with SQL-like updates, which send no signal.
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED)
    Article.objects.filter(pk=edited.pk).update(
        title_ru="Правка без сигнала", updated_at=edited.updated_at + timedelta(hours=1)
    )
    Article.objects.filter(pk=unpublished.pk).update(status=Article.Status.DRAFT)
    report = reconcile(fix=False)
    assert (report.missing, report.stale, report.extra) == (
        [draft.pk],
        [edited.pk],
        [unpublished.pk],
    )
    assert reconcile(fix=True).drift == 3
    assert reconcile(fix=False).drift == 0
    health = engines.current().health()
    assert health.usable and health.documents == 12, health.error
    assert health.live.startswith(f"{cluster_index}-")


def test_a_missing_alias_is_rebuilt_by_check_index(cluster_index):
    some_articles(5)
    conn = backend().conn
    [live] = conn.indices.get_alias(name=cluster_index)
    conn.indices.delete(index=live)
    health = engines.current().health()
    assert not health.usable and "no index behind the alias" in health.error
    call_command("check_index", "--repair", verbosity=0)
    assert engines.current().health().usable
    assert engines.current().search(parse("статья")).total == 5


def test_an_index_of_another_mapping_is_rebuilt(cluster_index):
    from search.engines.opensearch import aliases

    conn = backend().conn
    [live] = conn.indices.get_alias(name=cluster_index)
    other = f"{cluster_index}-other"
    conn.indices.create(index=other, body={"mappings": {"properties": {"text": {"type": "text"}}}})
    aliases.switch(conn, cluster_index, other)
    conn.indices.delete(index=live)
    health = engines.current().health()
    assert not health.usable and "rebuild" in health.error
    ArticleFactory(title_ru="Конвенция")
    call_command("check_index", "--repair", verbosity=0)
    assert engines.current().health().usable


def test_the_admin_shows_the_clusters_index(cluster_index, admin_client):
    some_articles(3)
    response = admin_client.get("/admin/search/indexevent/")
    assert response.status_code == 200
    html = response.content.decode()
    assert cluster_index in html and "opensearch://" in html


def test_a_cluster_that_does_not_answer_is_a_503_not_a_500(client):
    ArticleFactory(title_ru="Конвенция")
    with engines.using("opensearch://127.0.0.1:9/nothing-listens-here"):
        response = client.get("/search/", {"q": "конвенция"})
        assert response.status_code == 503
        assert "Поиск временно недоступен" in response.content.decode()
        assert client.get("/api/search/", {"q": "конвенция"}).status_code == 503
        assert not engines.current().health().usable


def test_writes_that_the_cluster_refuses_stay_queued(cluster_index):
    ArticleFactory(title_ru="Конвенция")
    with engines.using("opensearch://127.0.0.1:9/nothing-listens-here"):
        article = ArticleFactory(title_ru="Договор")  # the write after commit fails
        assert indexing.drain(everything=True) == (0, 1)
    assert list(indexing.due(everything=True)) == [article.pk]
    assert indexing.drain(everything=True) == (1, 0)
    assert engines.current().search(parse("договор")).total == 1
