"""The durable index queue, reconciliation and the admin's index status page, on a
real index and real commits. (Killed writers and rebuilds under load run real
processes: test_index_recovery.py, test_load.py.)"""

import os
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from whoosh.filedb.filestore import FileStorage

from archive.models import Article, Tag
from search import health, indexing
from search.engines.whoosh import generations as layout
from search.engines.whoosh import searching as engine
from search.models import IndexEvent, PendingUpdate
from search.reconcile import reconcile
from search.signals import OnCommitSignalProcessor

from .factories import ArticleFactory, TagFactory
from .search_support import api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def index(search_index):
    yield search_index
    engine.searchers.reset()


def titles(client, q):
    return sorted(r["title"] for r in api(client, q=q)["results"])


def wait_for(condition, seconds=15.0):
    """Poll until `condition()` is true (the retrier works in a thread)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


class HeldLock:
    """Whoosh's writer lock, held here as another process's writer would hold it."""

    def __init__(self, backend):
        self.lock = FileStorage(layout.live_dir(backend.path)).lock("MAIN_WRITELOCK")

    def __enter__(self):
        assert self.lock.acquire(blocking=False)
        return self

    def __exit__(self, *exc):
        self.lock.release()


@pytest.fixture
def retrier(settings):
    settings.SEARCH_BACKGROUND_RETRY = True
    yield indexing.retrier
    settings.SEARCH_BACKGROUND_RETRY = False
    thread = indexing.retrier._thread
    if thread is not None:
        PendingUpdate.objects.all().delete()
        indexing.retrier.wake()
        thread.join(10)


@pytest.fixture
def short_lock_wait(monkeypatch):
    monkeypatch.setattr(indexing, "EDITOR_LOCK_WAIT", 0.2)


# --- the queue ------------------------------------------------------------------------


def test_a_written_change_leaves_no_queue_row(client):
    ArticleFactory(title_ru="Конвенция принята")
    assert titles(client, "конвенция") == ["Конвенция принята"]
    assert not PendingUpdate.objects.exists()


def test_a_rolled_back_change_leaves_no_queue_row():
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(title_ru="Призрак")
        assert PendingUpdate.objects.count() == 1  # queued inside the transaction
        raise RuntimeError("the editor's save failed")
    assert not PendingUpdate.objects.exists()


def test_a_save_while_the_lock_is_held_is_queued_then_written_by_the_retrier(
    client, index, retrier, short_lock_wait
):
    with HeldLock(index):
        started = time.monotonic()
        article = ArticleFactory(title_ru="Конвенция под замком")
        waited = time.monotonic() - started
        row = PendingUpdate.objects.get(article_id=article.pk)
        assert row.attempts == 1 and "LockError" in row.last_error
        assert waited < 2  # bounded by EDITOR_LOCK_WAIT, never the 10 s of a writer
        assert titles(client, "конвенция") == []
    # The lock is free: the retrier writes it within its backoff, and empties the queue.
    assert wait_for(lambda: titles(client, "конвенция") == ["Конвенция под замком"])
    assert wait_for(lambda: not PendingUpdate.objects.exists())
    event = IndexEvent.objects.get(kind="error")
    assert "1 article(s) queued for retry: LockError" in event.message


def test_a_queued_row_survives_a_restart_and_is_written_by_the_next_save(
    client, index, short_lock_wait, settings, monkeypatch
):
    with HeldLock(index):  # no retrier here: the process "dies" with its row queued
        first = ArticleFactory(title_ru="Конвенция первая")
    assert PendingUpdate.objects.filter(article_id=first.pk).exists()
    PendingUpdate.objects.update(next_try_at=None)
    # A new process: its first save looks for rows left behind and wakes its retrier.
    settings.SEARCH_BACKGROUND_RETRY = True
    monkeypatch.setattr(OnCommitSignalProcessor, "_leftovers_checked", False)
    try:
        ArticleFactory(title_ru="Конвенция вторая")
        assert wait_for(
            lambda: titles(client, "конвенция") == ["Конвенция вторая", "Конвенция первая"]
        )
        assert wait_for(lambda: not PendingUpdate.objects.exists())
    finally:
        settings.SEARCH_BACKGROUND_RETRY = False
        if indexing.retrier._thread is not None:
            indexing.retrier._thread.join(10)


def test_a_row_queued_again_during_a_write_stays_queued(monkeypatch):
    article = ArticleFactory(title_ru="Конвенция")
    indexing.enqueue([article.pk])
    real_write = indexing.write

    def write_while_an_editor_saves(pks, lock_wait):
        result = real_write(pks, lock_wait)
        time.sleep(0.002)
        indexing.enqueue(pks)  # another transaction queued the article meanwhile
        return result

    monkeypatch.setattr(indexing, "write", write_while_an_editor_saves)
    assert indexing.process([article.pk])
    assert PendingUpdate.objects.filter(article_id=article.pk).exists()
    monkeypatch.undo()
    assert indexing.process([article.pk])
    assert not PendingUpdate.objects.exists()


def test_a_big_tag_rename_is_written_in_the_background(client, retrier, monkeypatch):
    monkeypatch.setattr(indexing, "INLINE_MAX", 3)
    tag = TagFactory(name_ru="Киберугрозы")
    for n in range(5):
        ArticleFactory(title_ru=f"Статья {n}", tags=[tag])
    written = []
    real_process = indexing.process

    def recording(pks, lock_wait=indexing.EDITOR_LOCK_WAIT):
        written.append((threading.current_thread().name, len(pks)))
        return real_process(pks, lock_wait)

    monkeypatch.setattr(indexing, "process", recording)
    tag.name_ru = "Кибератаки"
    tag.save()
    assert wait_for(lambda: len(titles(client, "кибератака")) == 5)
    assert ("index-retrier", 5) in written  # not in the editor's request thread
    assert all(name == "index-retrier" for name, _n in written)


def test_a_deleted_tag_leaves_the_index_of_its_articles():
    tag = TagFactory(name_ru="Интерпол")
    article = ArticleFactory(title_ru="Конвенция", tags=[tag])
    Tag.objects.filter(pk=tag.pk).delete()
    assert not PendingUpdate.objects.exists()
    assert reconcile(fix=False).drift == 0
    assert Article.objects.filter(pk=article.pk).exists()


def test_worker_mode_only_queues_and_index_worker_writes(client, settings):
    settings.SEARCH_INDEX_WRITES = "worker"
    article = ArticleFactory(title_ru="Конвенция для воркера")
    assert PendingUpdate.objects.filter(article_id=article.pk).exists()
    assert titles(client, "конвенция") == []
    call_command("index_worker", once=True, stdout=open(os.devnull, "w"))
    assert titles(client, "конвенция") == ["Конвенция для воркера"]
    assert not PendingUpdate.objects.exists()


# --- reconciliation -------------------------------------------------------------------


def drifted_archive(index):
    """Four articles and an index that disagrees with the database about three of them,
    the ways no signal announces: a document lost, an SQL edit, an SQL unpublish."""
    kept = ArticleFactory(title_ru="Конвенция в порядке")
    lost = ArticleFactory(title_ru="Конвенция потерянная")
    edited = ArticleFactory(title_ru="Конвенция старая")
    hidden = ArticleFactory(title_ru="Конвенция снятая")
    index.remove(lost)
    Article.objects.filter(pk=edited.pk).update(
        title_ru="Конвенция новая", updated_at=timezone.now()
    )
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.DRAFT)
    return kept, lost, edited, hidden


def test_reconcile_reports_and_fixes_every_kind_of_drift(client, index):
    _kept, lost, edited, hidden = drifted_archive(index)
    assert titles(client, "конвенция") == [
        "Конвенция в порядке",
        "Конвенция снятая",
        "Конвенция старая",
    ]
    report = reconcile(fix=True)
    assert (report.missing, report.stale, report.extra) == ([lost.pk], [edited.pk], [hidden.pk])
    assert (report.published, report.indexed_before, report.indexed_after) == (3, 3, 3)
    assert titles(client, "конвенция") == [
        "Конвенция в порядке",
        "Конвенция новая",
        "Конвенция потерянная",
    ]
    assert reconcile(fix=True).drift == 0
    event = IndexEvent.objects.filter(kind="reconcile").order_by("pk").first()
    assert f"1 missing ({lost.pk})" in event.message
    assert f"1 outdated ({edited.pk})" in event.message
    assert f"1 not published ({hidden.pk})" in event.message


def test_reconcile_index_check_reports_drift_and_changes_nothing(client, index, capsys):
    drifted_archive(index)
    with pytest.raises(CommandError, match="has drifted: 3 articles differ"):
        call_command("reconcile_index", check=True)
    assert "found: 1 missing" in capsys.readouterr().out
    assert len(titles(client, "конвенция")) == 3
    call_command("reconcile_index")
    assert "fixed: 1 missing" in capsys.readouterr().out
    call_command("reconcile_index", check=True)
    assert "found: 0 missing" in capsys.readouterr().out


def test_reconcile_writes_the_queue_first():
    article = ArticleFactory(title_ru="Конвенция")
    PendingUpdate.objects.create(article_id=article.pk, queued_at=timezone.now())
    report = reconcile(fix=True)
    assert report.queued_written == 1 and report.drift == 0
    assert not PendingUpdate.objects.exists()


# --- the admin's status page ----------------------------------------------------------


def test_the_status_page_shows_size_pending_and_last_error(editor_client, index, short_lock_wait):
    ArticleFactory(title_ru="Конвенция")
    with HeldLock(index):
        ArticleFactory(title_ru="Конвенция под замком")
    response = editor_client.get("/admin/search/indexevent/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Состояние поискового индекса" in html or "Search index status" in html
    status = html[html.index('id="index-status"') : html.index("</section>")]
    cells = [c.split("</td>")[0] for c in status.split("<td>")[1:]]
    assert cells[0] == "1"  # documents in the index
    assert cells[1] == "2"  # published articles
    assert cells[3] == "1"  # pending updates
    assert "LockError" in cells[4]  # the last error

    response = editor_client.post("/admin/search/indexevent/drain/", follow=True)
    assert response.status_code == 200
    assert not PendingUpdate.objects.exists()
    response = editor_client.post("/admin/search/indexevent/reconcile/", follow=True)
    assert "Сверка: опубликованных статей 2, документов в индексе 2" in response.content.decode()


def test_the_status_page_needs_staff_and_post(editor_client):
    assert Client().get("/admin/search/indexevent/").status_code == 302  # to the login
    assert editor_client.get("/admin/search/indexevent/drain/").status_code == 405


def test_an_index_whose_newest_segment_lacks_a_column_is_usable():
    # Whoosh's combined column reader skips a segment without the column (no article in
    # it has a rubric) and reads the wrong segment's values: the check reads per segment.
    ArticleFactory(title_ru="С рубрикой")
    ArticleFactory(title_ru="Без рубрики", rubric=None, source=None)
    state = health.inspect()
    assert state.segments == 2
    assert state.usable, state.error
