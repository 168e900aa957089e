"""WhooshEngine: the engine interface (search.engines.base) over this package."""

import os

from haystack.constants import DJANGO_ID

from ..base import Engine, Glance
from . import backend as backend_module
from . import generations, health, rebuild, searching
from .backend import ArchiveWhooshSearchBackend
from .bulk import update_in_parts


def _index_and_backend():
    from ...indexing import index_and_backend

    return index_and_backend()


def indexed_versions(backend):
    """{article pk: version} of every live document in the index."""
    backend.setup()
    found = {}
    with backend.index.searcher() as searcher:
        reader = searcher.reader()
        if reader.has_column(DJANGO_ID) and reader.has_column("version"):
            ids, versions = reader.column_reader(DJANGO_ID), reader.column_reader("version")
            for docnum in reader.all_doc_ids():
                found[int(ids[docnum])] = versions[docnum] or None
        else:  # an index built before the columns: read the stored documents
            for stored in reader.all_stored_fields():
                found[int(stored[DJANGO_ID])] = stored.get("version")
    return found


class WhooshEngine(Engine):
    name = "whoosh"
    prefix_terms = searching.PREFIX_TERMS
    refresh_seconds = searching.REFRESH_EVERY

    def search(
        self,
        parsed,
        *,
        language="ru",
        filters=None,
        sort="relevance",
        page=1,
        per_page=20,
        synonyms=None,
        facets=True,
    ):
        return searching.search(
            parsed,
            language=language,
            filters=filters,
            sort=sort,
            page=page,
            per_page=per_page,
            synonyms=synonyms,
            facets=facets,
        )

    def complete_titles(self, typed, before=None, limit=8):
        return searching.complete_titles(typed, before, limit)

    def document_frequency(self, term):
        return searching.document_frequency(term)

    def nearest_terms(self, word, fieldname="text", maxdist=2, limit=3):
        return searching.nearest_terms(word, fieldname, maxdist, limit)

    @property
    def commit_every(self):
        return backend_module.SEGMENT_DOCS

    def close_readers(self):
        searching.searchers.reset()

    def write(self, pks, lock_wait):
        index, backend = _index_and_backend()
        return backend.apply(index, pks, timeout=lock_wait)

    def write_many(self, pks, batch_size, progress=None):
        index, backend = _index_and_backend()
        update_in_parts(backend, index, pks, batch_size, progress)

    def rebuilding(self):
        _index, backend = _index_and_backend()
        return backend.use_file_storage and generations.rebuilding(backend.path)

    def serves(self, haystack_backend):
        return isinstance(haystack_backend, ArchiveWhooshSearchBackend)

    def health(self):
        return health.inspect()

    def glance(self):
        # The open searcher counts (readers keep it open anyway); the newest table of
        # contents was written by the last commit.
        searcher = searching.searchers.get()
        live = searching.searchers.live
        tocs = (
            [e.stat().st_mtime for e in os.scandir(live) if e.name.endswith(".toc")] if live else []
        )
        return Glance(documents=searcher.doc_count(), updated_at=max(tocs, default=None))

    def build_aside_and_switch(self, batch_size=None, progress=None, wait=0.0):
        return rebuild.build_aside_and_switch(batch_size, progress, wait)

    def prune(self):
        rebuild.prune()

    def indexed_versions(self):
        _index, backend = _index_and_backend()
        return indexed_versions(backend)
