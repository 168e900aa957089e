"""The alias readers and writers use, and rebuilding behind it.

Readers and writers name the alias (SEARCH_URL's path, `archive`); it points at one
concrete index, `<alias>-<UTC time>`. A rebuild fills a new index, made with no replica
and no refresh (the fastest to fill), then gives it its replica, waits until the
cluster has copied it, and moves the alias in one `_aliases` call: a reader sees the old
index or the new one, never an empty or a half one.

One rebuild at a time: a lock document in `<alias>.locks`, created only if absent. A
rebuild beats its heartbeat at every batch; a lock without a beat for LOCK_STALE seconds
belongs to a rebuild that died, and the next one takes it over. Each lock names its
holder with a token of its own, so a create the client retried after it went in (a
timeout, a node failing over) is known as ours, not as another rebuild's.
"""

import os
import secrets
import socket
import time
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from elasticsearch import ConflictError, NotFoundError, TransportError

from ..base import RebuildRunning
from . import mapping

REPLICAS = mapping.REPLICAS
LOCK_STALE = 120.0  # seconds without a heartbeat
LOCK_ID = "rebuild"
GREEN_WAIT = "120s"  # for the replicas of a new index, before the switch


def lock_index(alias):
    return f"{alias}.locks"


def concrete(conn, alias):
    """The indices the alias points at (one, normally), or [] when it does not exist."""
    found = conn.indices.get_alias(name=alias, ignore=404)
    return sorted(name for name in found if name not in ("error", "status"))


def ours(conn, alias):
    """Every index a build made for this alias, the live one included."""
    return sorted(conn.indices.get(index=f"{alias}-*", expand_wildcards="open,closed", ignore=404))


def new_name(alias):
    return f"{alias}-{datetime.now(UTC):%Y%m%d-%H%M%S-%f}"


def create(conn, name, replicas, building=False):
    conn.indices.create(index=name, body=mapping.index_body(replicas, building))


def ensure(conn, alias, replicas=REPLICAS):
    """Make the alias name an index: an empty cluster gets `<alias>-initial`. Several
    processes may do it at once: creating an existing index and adding an existing
    alias both change nothing."""
    if concrete(conn, alias):
        return
    if conn.indices.exists(index=alias):
        raise ImproperlyConfigured(
            f"SEARCH_URL names {alias!r}, which is an index on this cluster, not an alias: "
            "name another, or delete that index"
        )
    first = f"{alias}-initial"
    conn.indices.create(index=first, body=mapping.index_body(replicas), ignore=400)
    conn.indices.update_aliases(body={"actions": [{"add": {"index": first, "alias": alias}}]})
    conn.cluster.health(index=first, wait_for_status="yellow", timeout="30s")


def _holder():
    # host:pid for the reader of a "rebuild is running" message; the token makes it
    # unique (pids are reused, and one process may take the lock twice).
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _now():
    return time.time()


class RebuildLock:
    def __init__(self, conn, alias):
        self.conn, self.index = conn, lock_index(alias)
        self.holder = _holder()

    def _make_index(self):
        body = {"settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"}}
        self.conn.indices.create(index=self.index, body=body, ignore=400)

    def current(self):
        """The lock document (with _seq_no, _primary_term), or None."""
        found = self.conn.get(index=self.index, id=LOCK_ID, ignore=404)
        return found if found.get("found") else None

    def held(self):
        doc = self.current()
        return doc is not None and _now() - doc["_source"]["heartbeat"] < LOCK_STALE

    def acquire(self, wait=0.0):
        self._make_index()
        deadline = time.monotonic() + wait
        while True:
            body = {"holder": self.holder, "heartbeat": _now()}
            try:
                self.conn.create(index=self.index, id=LOCK_ID, body=body, refresh="true")
                return self
            except ConflictError:
                doc = self.current()
                if doc is not None and doc["_source"]["holder"] == self.holder:
                    return self  # our create went in; the 409 answered the client's retry
                if doc is not None and _now() - doc["_source"]["heartbeat"] >= LOCK_STALE:
                    # The holder died: take its lock over, unless another process did first.
                    self._delete_unchanged(doc)
                    continue
            if time.monotonic() >= deadline:
                holder = doc["_source"]["holder"] if doc else "?"
                raise RebuildRunning(f"a rebuild is running ({holder})")
            time.sleep(0.5)

    def beat(self):
        self.conn.index(
            index=self.index, id=LOCK_ID, body={"holder": self.holder, "heartbeat": _now()}
        )

    def release(self):
        """Delete the lock if it is still ours (a stalled rebuild's lock may have been
        taken over since)."""
        doc = self.current()
        if doc is not None and doc["_source"]["holder"] == self.holder:
            self._delete_unchanged(doc)

    def _delete_unchanged(self, doc):
        """Delete the lock document `doc`, unless it was written again since."""
        self.conn.delete(
            index=self.index,
            id=LOCK_ID,
            if_seq_no=doc["_seq_no"],
            if_primary_term=doc["_primary_term"],
            ignore=[404, 409],
            refresh="true",
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def rebuilding(conn, alias):
    try:
        return RebuildLock(conn, alias).held()
    except NotFoundError:
        return False


def build_aside_and_switch(backend, index, batch_size, progress=None, wait=0.0):
    """Fill a new index from the database and move the alias to it: (documents, name).
    Raises RebuildRunning when another process holds the rebuild lock."""
    from archive.bulk import batched

    conn, alias = backend.conn, backend.alias
    with RebuildLock(conn, alias).acquire(wait) as lock:
        name = new_name(alias)
        create(conn, name, backend.replicas, building=True)
        pks = list(index.index_queryset().values_list("pk", flat=True))
        for part in batched(pks, batch_size):
            backend.apply(index, part, refresh=False, target=name, threads=backend.bulk_threads)
            lock.beat()
            if progress:
                progress(len(part))
        conn.indices.put_settings(
            index=name,
            body={"number_of_replicas": backend.replicas, "refresh_interval": "1s"},
        )
        conn.indices.refresh(index=name)
        _wait_for_copies(conn, name)
        documents = conn.count(index=name)["count"]
        switch(conn, alias, name)
    return documents, name


def _wait_for_copies(conn, name):
    """Until every replica is copied (green); with a node down that may never come, and
    the primaries (yellow) are enough to serve."""
    try:
        conn.cluster.health(index=name, wait_for_status="green", timeout=GREEN_WAIT)
    except TransportError:  # 408: not green in time
        conn.cluster.health(index=name, wait_for_status="yellow", timeout=GREEN_WAIT)


def switch(conn, alias, name):
    """Point the alias at `name` alone, in one atomic call."""
    actions = [{"remove": {"index": old, "alias": alias}} for old in concrete(conn, alias)]
    actions.append({"add": {"index": name, "alias": alias}})
    conn.indices.update_aliases(body={"actions": actions})


def prune(conn, alias):
    """Delete the indices of earlier builds (and of builds that died), not while a
    rebuild is running: its index has no alias yet."""
    if rebuilding(conn, alias):
        return []
    live = set(concrete(conn, alias))
    old = [name for name in ours(conn, alias) if name not in live]
    for name in old:
        conn.indices.delete(index=name, ignore=404)
    return old
