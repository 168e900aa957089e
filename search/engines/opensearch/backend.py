"""haystack's elasticsearch7 backend, subclassed for an OpenSearch cluster.

What changes from stock: the index is our mapping (mapping.py) behind an alias that a
rebuild moves (aliases.py); text fields are sent as the archive's own terms
(search.analysis.pre_analyzed), so both engines index the same terms; every document
carries the article's save time as an external version, so of two writers racing on one
article the older state can never overwrite the newer, whatever order they arrive in;
and writes say what failed instead of logging it.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC

from elasticsearch import ConnectionError as ClusterUnreachable
from elasticsearch import NotFoundError, TransportError
from elasticsearch.helpers import streaming_bulk
from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)
from haystack.constants import ID as ID_FIELD
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier

from ...analysis import pre_analyzed
from . import aliases
from .mapping import ANALYSED_FIELDS

log = logging.getLogger(__name__)

# Seconds one HTTP call may take; the client tries the next node on a refused or dropped
# connection (a node killed), up to MAX_RETRIES times.
TIMEOUT = 30
MAX_RETRIES = 3
BULK_CHUNK = 500
# Bulk writes of many articles (a rebuild, an import): this thread reads and analyses the
# next chunk (the database is only read here: a thread of its own would see another
# connection, outside the caller's transaction) while one sender thread has the last one
# indexed.
BULK_THREADS = 2
# Answers a versioned write may get and still be right: 409, a newer save is already in.
SUPERSEDED = 409


class IndexWriteFailed(Exception):
    pass


def external_version(updated_at):
    """An article's save time as a version number (microseconds since 1970, UTC)."""
    return int(updated_at.astimezone(UTC).timestamp() * 1_000_000)


class ArchiveOpenSearchBackend(Elasticsearch7SearchBackend):
    bulk_threads = BULK_THREADS

    def __init__(self, connection_alias, **options):
        options = {
            **options,
            "TIMEOUT": options.get("TIMEOUT", TIMEOUT),
            "KWARGS": {
                "max_retries": MAX_RETRIES,
                "retry_on_timeout": True,
                **options.get("KWARGS", {}),
            },
        }
        super().__init__(connection_alias, **options)
        self.silently_fail = False  # a write that fails must raise: the queue keeps it
        self.replicas = options.get("REPLICAS", aliases.REPLICAS)

    @property
    def alias(self):
        return self.index_name

    # --- the index ----------------------------------------------------------------------

    def setup(self):
        """Make sure the alias names an index (an empty cluster gets its first one)."""
        aliases.ensure(self.conn, self.alias, self.replicas)
        self.setup_complete = True

    # --- documents ----------------------------------------------------------------------

    def prepared(self, index, obj):
        """The document of one article, text fields as terms; None when skipped."""
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)
        for name, lang in ANALYSED_FIELDS.items():
            doc[name] = pre_analyzed(lang, doc.get(name) or "")
        for name in ("tags", "persons", "organisations", "places", "title_starts"):
            doc[name] = list(doc.get(name) or ())
        return {key: self._from_python(value) for key, value in doc.items()}

    def _index_action(self, index, obj, target):
        doc = self.prepared(index, obj)
        if doc is None:
            return None
        return {
            "_op_type": "index",
            "_index": target,
            "_id": doc[ID_FIELD],
            "version": external_version(obj.updated_at),
            "version_type": "external_gte",
            "_source": doc,
        }

    def send(self, actions, refresh=False, timeout=None):
        """Bulk-write `actions`; (written, removed). Raises IndexWriteFailed naming the
        first failure, after sending the rest (a 409 is a newer save, already in)."""
        written = removed = 0
        errors = []
        bounds = {}
        if timeout is not None:  # the cluster's wait for a primary, and ours for its answer
            bounds = {"timeout": f"{int(timeout * 1000)}ms", "request_timeout": timeout + 5}
        results = streaming_bulk(
            self.conn,
            actions,
            chunk_size=BULK_CHUNK,
            raise_on_error=False,
            raise_on_exception=True,
            max_retries=MAX_RETRIES,
            initial_backoff=0.5,
            **bounds,
        )
        for ok, item in results:
            op, result = next(iter(item.items()))
            status = result.get("status", 0)
            if ok:
                if op == "delete":
                    removed += result.get("result") == "deleted"
                else:
                    written += 1
            elif op == "delete" and status == 404:
                continue  # was not in the index: nothing to remove
            elif status != SUPERSEDED:
                errors.append(f"{result.get('_id')}: {status} {result.get('error')}")
        if refresh:
            self.conn.indices.refresh(index=self.alias)
        if errors:
            raise IndexWriteFailed(f"{len(errors)} write(s) failed, first: {errors[0]}")
        return written, removed

    def apply(self, index, pks, refresh=True, target=None, timeout=None, threads=1):
        """Make the index hold the database's current state of these articles: write the
        published ones, remove the others. Returns (written, removed)."""
        from archive.bulk import batched  # archive's models load after this module

        if not self.setup_complete:
            self.setup()
        target = target or self.alias
        pks = sorted(set(pks))
        label = index.get_model()._meta.label_lower
        model = index.get_model()

        def actions(part):
            published = set()
            for obj in index.index_queryset().filter(pk__in=part):
                if (action := self._index_action(index, obj, target)) is not None:
                    published.add(obj.pk)
                    yield action
            gone = [pk for pk in part if pk not in published]
            saved = dict(model.objects.filter(pk__in=gone).values_list("pk", "updated_at"))
            for pk in gone:
                delete = {"_op_type": "delete", "_index": target, "_id": f"{label}.{pk}"}
                if pk in saved:  # unpublished: the draft's save time outranks the copy
                    delete.update(version=external_version(saved[pk]), version_type="external_gte")
                yield delete

        parts = batched(pks, BULK_CHUNK)
        if threads <= 1:
            sent = [self.send((a for part in parts for a in actions(part)), timeout=timeout)]
        else:
            sent = self._overlapped(parts, actions, timeout)
        if refresh:
            self.conn.indices.refresh(index=target)
        return tuple(map(sum, zip(*sent, strict=True))) if sent else (0, 0)

    def _overlapped(self, parts, actions, timeout):
        """send() each part's actions from one sender thread while this thread prepares
        the next part; every part is sent even after one fails, then the first failure
        is raised."""
        results, failure = [], None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-sender") as sender:
            pending = None
            for part in parts:
                prepared = list(actions(part))
                if pending is not None:
                    failure = self._collect(pending, results, failure)
                pending = sender.submit(self.send, prepared, False, timeout)
            if pending is not None:
                failure = self._collect(pending, results, failure)
        if failure is not None:
            raise failure
        return results

    @staticmethod
    def _collect(future, results, failure):
        try:
            results.append(future.result())
        except Exception as exc:
            return failure or exc
        return failure

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        actions = (a for obj in iterable if (a := self._index_action(index, obj, self.alias)))
        self.send(actions, refresh=commit)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)], commit)

    def remove_many(self, identifiers, commit=True):
        if not self.setup_complete:
            self.setup()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in identifiers)
        self.send(actions, refresh=commit)

    def clear(self, models=None, commit=True):
        """Every document out (haystack's clear_index); the index and its alias stay."""
        try:
            self.conn.delete_by_query(
                index=self.alias,
                body={"query": {"match_all": {}}},
                refresh=commit,
                conflicts="proceed",
            )
        except NotFoundError:
            pass


class ArchiveOpenSearchEngine(Elasticsearch7SearchEngine):
    backend = ArchiveOpenSearchBackend


__all__ = [
    "ArchiveOpenSearchBackend",
    "ArchiveOpenSearchEngine",
    "ClusterUnreachable",
    "IndexWriteFailed",
    "TransportError",
]
