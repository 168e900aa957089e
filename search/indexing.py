"""The one way article changes reach the search index: a durable queue.

A change that alters what the index should hold queues the article's id
(PendingUpdate) in the same transaction as the change itself, so nothing is lost to
a crash, a rollback or a busy lock. After commit the ids are written at once, waiting
at most EDITOR_LOCK_WAIT for Whoosh's single-writer lock; what cannot be written then
stays queued and is retried: by a background thread of the same process
(the embedded default needs no extra process), by `manage.py index_worker` when
production runs one (SEARCH_INDEX_WRITES = "worker"), and by `reconcile_index`.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from archive.bulk import batched
from archive.models import Article

from . import engines
from .messages import Said
from .models import IndexEvent, PendingUpdate

log = logging.getLogger(__name__)

# An editor's request waits at most this long for the index lock, then the write is
# left to the retrier: a save is never slowed by a rebuild or an import.
EDITOR_LOCK_WAIT = 1.5
BACKGROUND_LOCK_WAIT = 10.0
# Larger sets (a tag on thousands of articles renamed) go to the background at once.
INLINE_MAX = 200
DRAIN_BATCH = 1000
MAX_BACKOFF = 60.0


def index_and_backend():
    from haystack import connections

    conn = connections["default"]
    return conn.get_unified_index().get_index(Article), conn.get_backend()


def enqueue(pks):
    """Queue these articles (inside the caller's transaction). Queuing one again moves
    its time on, which tells a writer working from the older row not to delete it."""
    pks = set(pks)
    if not pks:
        return
    now = timezone.now()
    PendingUpdate.objects.bulk_create(
        [PendingUpdate(article_id=pk, queued_at=now) for pk in sorted(pks)],
        update_conflicts=True,
        unique_fields=["article_id"],
        update_fields=["queued_at"],
        batch_size=500,
    )


def write(pks, lock_wait):
    """Bring the index in line with the database for these articles, now. Raises
    whatever stopped it (LockError after `lock_wait` seconds)."""
    return engines.current().write(pks, lock_wait)


def process(pks, lock_wait=EDITOR_LOCK_WAIT):
    """Write these articles and take them off the queue; on failure leave them queued
    with a later retry time and record the error. Returns True when written."""
    pks = sorted(set(pks))
    if not pks:
        return True
    # The rows as they are before the write: a row queued again while we write has a
    # later time and stays for the next round.
    seen = list(
        PendingUpdate.objects.filter(article_id__in=pks).values_list("article_id", "queued_at")
    )
    try:
        write(pks, lock_wait)
    except Exception as exc:
        failed(pks, exc)
        return False
    if seen and not rebuilding():
        # While a rebuild builds a new generation, rows stay until that one has them.
        for part in batched(seen, 200):
            done = Q()
            for pk, queued_at in part:
                done |= Q(article_id=pk, queued_at=queued_at)
            PendingUpdate.objects.filter(done).delete()
    return True


def failed(pks, exc):
    message = f"{type(exc).__name__}: {exc}".strip()
    log.warning("search index write of %d articles failed, queued for retry: %s", len(pks), message)
    try:
        enqueue(pks)  # rows for writes that were never queued (imports) and backoff below
        rows = PendingUpdate.objects.filter(article_id__in=pks)
        attempts = max(rows.values_list("attempts", flat=True), default=0) + 1
        rows.update(
            attempts=attempts,
            last_error=message[:2000],
            next_try_at=timezone.now() + timedelta(seconds=min(MAX_BACKOFF, 2**attempts / 2)),
        )
        IndexEvent.record(
            IndexEvent.Kind.ERROR, Said("write-failed", count=len(pks), error=message)
        )
    except Exception:  # the database itself is failing: the log is all we have
        log.exception("could not record the failed index write of articles %s", pks[:20])


def due(limit=DRAIN_BATCH, everything=False):
    rows = PendingUpdate.objects.all()
    if not everything:  # rows waiting out their backoff after a failure are not due yet
        rows = rows.filter(Q(next_try_at__isnull=True) | Q(next_try_at__lte=timezone.now()))
    return list(rows.order_by("queued_at").values_list("article_id", flat=True)[:limit])


def drain(lock_wait=BACKGROUND_LOCK_WAIT, batch=DRAIN_BATCH, everything=False):
    """Write every due queued article (`everything`: backoff or not), a batch at a
    time. Returns (written, failed batches)."""
    written = failures = 0
    while True:
        pks = due(batch, everything)
        if not pks:
            break
        if process(pks, lock_wait):
            written += len(pks)
            if rebuilding():
                break  # the rows stay until the new generation has them (Engine.rebuild)
        else:
            failures += 1
            break  # the lock or the index is the problem; the next round retries
    return written, failures


def rebuilding():
    """Whether a rebuild is running. When the engine cannot tell (a cluster whose lock
    shard is recovering), the answer is yes: queued rows then stay for the next round,
    which costs a repeated write, never a lost one."""
    try:
        return engines.current().rebuilding()
    except Exception as exc:
        log.warning("could not tell whether a rebuild is running (%s: %s)", type(exc).__name__, exc)
        return True


def writes_inline():
    return getattr(settings, "SEARCH_INDEX_WRITES", "inline") == "inline"


class Retrier:
    """One background thread per process that writes queued articles until the queue
    is empty, waiting longer after each failure. Started when a write fails or is too
    big for a request; it stops itself when there is nothing left."""

    def __init__(self):
        self._lock = threading.Lock()
        self._thread = None
        self._wake = threading.Event()

    def enabled(self):
        return writes_inline() and getattr(settings, "SEARCH_BACKGROUND_RETRY", True)

    def wake(self):
        if not self.enabled():
            return
        with self._lock:
            self._wake.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="index-retrier", daemon=True)
                self._thread.start()

    def _run(self):
        pause = 0.2
        try:
            while True:
                self._wake.wait(pause)
                self._wake.clear()
                close_old_connections()
                if rebuilding():
                    pause = 1.0
                    continue
                try:
                    _written, failures = drain()
                    left = PendingUpdate.objects.exists()
                except Exception:
                    log.exception("search index retry failed")
                    failures, left = 1, True
                if not left:
                    with self._lock:
                        if not self._wake.is_set():  # else a wake came in: go round again
                            self._thread = None
                            return
                # Queued rows not yet due, or a failure: wait, longer each time it fails.
                pause = min(MAX_BACKOFF, pause * 2) if failures else 1.0
        finally:
            connection.close()
            with self._lock:
                if self._thread is threading.current_thread():  # it died of an error
                    self._thread = None


retrier = Retrier()


def index_articles(pks, batch_size=1000, progress=None, **kwargs):
    """Add or refresh these articles in the search index (drafts are skipped by
    the index queryset), in the engine's large commits.
    Receives archive.bulk.articles_written (imports and demo content)."""
    pks = list(pks)
    try:
        engines.current().write_many(pks, batch_size, progress)
    except Exception as exc:  # the articles are saved: queue them, never lose them
        failed(pks, exc)
        retrier.wake()
        raise
