"""OpenSearchEngine: the engine interface (search.engines.base) over this package."""

import functools

from elasticsearch import NotFoundError, TransportError
from elasticsearch.helpers import scan

from ...messages import Said
from ..base import Engine, Glance, SearchUnavailable
from . import aliases, health, searching
from .backend import BULK_CHUNK, BULK_THREADS, ArchiveOpenSearchBackend

# A rebuild and an import write this many articles per bulk round (one heartbeat of the
# rebuild lock each).
BATCH_SIZE = 2000


def _index_and_backend():
    from ...indexing import index_and_backend

    return index_and_backend()


def _backend():
    backend = _index_and_backend()[1]
    if not isinstance(backend, ArchiveOpenSearchBackend):
        raise SearchUnavailable("SEARCH_URL names OpenSearch but haystack's backend is another")
    return backend


def _reading(function):
    """A read that found no alias starts a rebuild (search.health), as a missing Whoosh
    index does; a cluster that does not answer only says so."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except SearchUnavailable as exc:
            if isinstance(exc.__cause__, NotFoundError):
                from ... import health as app_health

                app_health.repair_in_background()
            raise

    return wrapper


class OpenSearchEngine(Engine):
    name = "opensearch"
    prefix_terms = 0  # a prefix stands for every word it begins (mapping: index_prefixes)
    refresh_seconds = 0.0  # every write refreshes the shards it touched
    commit_every = BATCH_SIZE

    @_reading
    def search(self, parsed, **kwargs):
        backend = _backend()
        return searching.search(backend.conn, backend.alias, parsed, **kwargs)

    @_reading
    def complete_titles(self, typed, before=None, limit=8):
        backend = _backend()
        return searching.complete_titles(backend.conn, backend.alias, typed, before, limit)

    @_reading
    def document_frequency(self, term):
        backend = _backend()
        return searching.document_frequency(backend.conn, backend.alias, term)

    @_reading
    def document_frequencies(self, terms):
        backend = _backend()
        return searching.document_frequencies(backend.conn, backend.alias, terms)

    @_reading
    def nearest_terms(self, word, fieldname="text", maxdist=2, limit=3):
        backend = _backend()
        return searching.nearest_terms(backend.conn, backend.alias, word, fieldname, maxdist, limit)

    @_reading
    def nearest_terms_many(self, words, fieldname="text", maxdist=2, limit=3):
        backend = _backend()
        return searching.nearest_terms_many(
            backend.conn, backend.alias, words, fieldname, maxdist, limit
        )

    def close_readers(self):
        pass  # nothing is kept open between reads

    def write(self, pks, lock_wait):
        index, backend = _index_and_backend()
        # The cluster waits at most `lock_wait` for a shard's primary (a node just died);
        # past it the write fails and stays queued for the retrier.
        return backend.apply(index, pks, refresh=True, timeout=max(1.0, lock_wait))

    def write_many(self, pks, batch_size, progress=None):
        from archive.bulk import batched

        index, backend = _index_and_backend()
        for part in batched(list(pks), batch_size or BATCH_SIZE):
            backend.apply(index, part, refresh=False, threads=BULK_THREADS)
            if progress:
                progress(len(part))
        backend.conn.indices.refresh(index=backend.alias)
        if progress:
            progress(0)

    def rebuilding(self):
        backend = _backend()
        return aliases.rebuilding(backend.conn, backend.alias)

    def serves(self, haystack_backend):
        return isinstance(haystack_backend, ArchiveOpenSearchBackend)

    def health(self):
        return health.inspect(_backend())

    def glance(self):
        backend = _backend()
        try:  # the cluster keeps no time of the last write that is cheap to ask
            return Glance(documents=backend.conn.count(index=backend.alias)["count"])
        except TransportError as exc:  # ConnectionError is one too
            raise SearchUnavailable(Said("cluster-unreachable", error=str(exc))) from exc

    def build_aside_and_switch(self, batch_size=None, progress=None, wait=0.0):
        index, backend = _index_and_backend()
        return aliases.build_aside_and_switch(
            backend, index, batch_size or BATCH_SIZE, progress, wait
        )

    def prune(self):
        backend = _backend()
        aliases.prune(backend.conn, backend.alias)

    def indexed_versions(self):
        backend = _backend()
        if not backend.setup_complete:
            backend.setup()  # an empty cluster: the alias and an empty index, to fill
        found = {}
        query = {
            "query": {"match_all": {}},
            "_source": False,
            "docvalue_fields": ["django_id", "version"],
        }
        for doc in scan(backend.conn, query=query, index=backend.alias, size=BULK_CHUNK * 10):
            values = doc.get("fields", {})
            found[int(values["django_id"][0])] = (values.get("version") or [None])[0]
        return found
