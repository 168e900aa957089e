"""Building a Whoosh index aside and switching to it while the site serves.

A new generation (generations) is built from the database, in parts, while
readers keep searching the live one and editors' saves keep writing to it. The
switch is one rename, made while holding the live index's writer lock so that no
write is half in the old generation. search.rebuild then catches up and reconciles.
"""

import os
import time

from django.conf import settings
from whoosh.filedb.filestore import FileStorage
from whoosh.index import _DEF_INDEX_NAME, LockError

from ... import indexing
from . import generations
from .bulk import update_in_parts


def aside_backend(backend, folder):
    options = {**settings.HAYSTACK_CONNECTIONS[backend.connection_alias], "PATH": folder}
    aside = type(backend)(backend.connection_alias, **options)
    aside.setup()
    return aside


def build_aside_and_switch(batch_size=None, progress=None, wait=0.0):
    """Build a new generation from the database and make it live: (documents, its
    folder), or None for an index in memory, rewritten in place. Raises
    RebuildRunning when another process is rebuilding."""
    index, backend = indexing.index_and_backend()
    if not backend.use_file_storage:  # a RAM index has no readers to protect
        backend.clear()
        indexing.write(
            index.index_queryset().values_list("pk", flat=True), indexing.BACKGROUND_LOCK_WAIT
        )
        return None
    batch_size = batch_size or settings.HAYSTACK_CONNECTIONS["default"].get("BATCH_SIZE", 1000)
    with generations.rebuild_lock(backend.path, wait=wait):
        folder = generations.new_generation(backend.path)
        aside = aside_backend(backend, folder)
        pks = list(index.index_queryset().values_list("pk", flat=True))
        update_in_parts(aside, index, pks, batch_size, progress)
        documents = aside.index.doc_count()
        _switch(backend, folder)
    return documents, folder


def prune():
    """Delete the generations before the live one and the one before it."""
    _index, backend = indexing.index_and_backend()
    generations.prune(backend.path)


def _switch(backend, folder):
    """Make `folder` live while holding the live generation's writer lock, so that no
    writer is between reading the old generation and committing to it."""
    live = generations.live_dir(backend.path)
    if not os.path.isdir(live):  # no index yet: no writer to wait for
        generations.switch_to(backend.path, folder)
        backend.setup_complete = False
        return
    lock = FileStorage(live).lock(f"{_DEF_INDEX_NAME}_WRITELOCK")
    deadline = time.monotonic() + indexing.BACKGROUND_LOCK_WAIT * 3
    while not lock.acquire(blocking=False):
        if time.monotonic() > deadline:
            raise LockError("a writer held the live index for too long to switch")
        time.sleep(0.05)
    try:
        generations.switch_to(backend.path, folder)
    finally:
        lock.release()
    backend.setup_complete = False  # reopen on the new generation
