"""Where the Whoosh index lives on disk, so it can be rebuilt while the site serves.

The configured path (HAYSTACK_CONNECTIONS PATH, `var/whoosh_index`) is a symlink to
one generation directory beside it, `whoosh_index.generations/<stamp>`. A rebuild
writes a new generation and replaces the symlink in one rename; readers and writers
resolve the symlink, notice the change and reopen. haystack's own rebuild deletes
the directory under the readers instead.

A plain directory at the path (an index made before this layout) keeps working and
is moved into the layout by the next rebuild.
"""

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from django.utils import timezone

from .. import base

GENERATIONS = ".generations"
KEEP_GENERATIONS = 2  # the live one, and the one before for readers still on it


def generations_dir(path):
    return Path(f"{path}{GENERATIONS}")


def live_dir(path):
    """The directory the index is read from and written to now."""
    return os.path.realpath(path)


def new_generation(path):
    """A new, empty generation directory (not live until switch_to)."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    name = f"{stamp}-{os.getpid()}"
    generations_dir(path).mkdir(parents=True, exist_ok=True)
    # Two in one microsecond (a clock frozen or coarse) get -002, -003: still in order by
    # name (prune keeps the last by name), which "-10" before "-2" would not be.
    for n in range(1, 1000):
        folder = generations_dir(path) / (name if n == 1 else f"{name}-{n:03d}")
        try:
            folder.mkdir()
            return str(folder)
        except FileExistsError:
            continue
    raise FileExistsError(folder)


def ensure(path):
    """Make sure something is at the path: a first generation where nothing is."""
    if not os.path.lexists(path):
        switch_to(path, new_generation(path))
    elif os.path.islink(path) and not os.path.isdir(path):  # a dangling link
        switch_to(path, new_generation(path))


def switch_to(path, folder):
    """Point the path at `folder` in one atomic rename."""
    path = Path(path)
    target = os.path.relpath(folder, path.parent)  # relative: var/ can move
    tmp = path.with_name(f".{path.name}.{os.getpid()}.link")
    if os.path.lexists(tmp):
        tmp.unlink()
    os.symlink(target, tmp)
    if path.is_dir() and not path.is_symlink():
        # The old layout: the plain directory becomes a generation first. Between the
        # two renames the path is missing for a moment (readers retry: SearchUnavailable).
        old = generations_dir(path) / f"00000000T000000-{os.getpid()}-plain"
        old.parent.mkdir(parents=True, exist_ok=True)
        os.rename(path, old)
    os.replace(tmp, path)


def prune(path, keep=KEEP_GENERATIONS):
    """Delete generations older than the last `keep`, never the live one."""
    folder = generations_dir(path)
    if not folder.is_dir():
        return []
    live = live_dir(path)
    old = sorted(p for p in folder.iterdir() if p.is_dir())[:-keep]
    removed = []
    for generation in old:
        if os.path.realpath(generation) != live:
            shutil.rmtree(generation, ignore_errors=True)
            removed.append(generation.name)
    return removed


def size_bytes(path):
    folder = live_dir(path)
    try:
        return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
    except OSError:
        return 0


# --- the rebuild lock ---------------------------------------------------------------
# Held (flock) by the process that is building a new generation. The kernel drops it
# when that process dies, even by SIGKILL, so a stale "rebuilding" never sticks.


def _lock_file(path):
    return Path(f"{path}.rebuild.lock")


RebuildRunning = base.RebuildRunning


@contextmanager
def rebuild_lock(path, wait=0.0):
    """Hold the rebuild lock, or raise RebuildRunning after `wait` seconds."""
    lock = _lock_file(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RebuildRunning("another process is rebuilding the search index") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def rebuilding(path):
    """Whether another process is building a new generation now."""
    lock = _lock_file(path)
    if not lock.exists():
        return False
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
