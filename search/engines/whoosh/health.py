"""Is the Whoosh index usable? (search.health repairs it when it is not.)

Whoosh writes a commit's segment files first and its table of contents last, by
rename, so a writer killed in the middle of a commit normally leaves the previous
commit intact plus orphan files (the next commit deletes them) and a lock the kernel
has released. What is checked here is what that promise rests on: the table of
contents opens, every segment it names opens, every document's id and stored
fields read back, and so do every term's postings blocks. Anything else (a truncated
or missing segment file, a disk that lost data) makes the index unusable, and
`check_index --repair`, run at start (`make run`, the production start script),
rebuilds it from the database.
"""

import os

from haystack import connections

from ... import indexing
from ...analysis import ANALYSIS_VERSION
from ...messages import Said
from ..base import Health
from . import generations
from .backend import LengthedText
from .codec import term_postings


def inspect():
    """Open the live generation and read every document's id and stored fields."""
    _index, backend = indexing.index_and_backend()
    path = backend.path
    health = Health(
        path=path,
        live=generations.live_dir(path),
        exists=os.path.isdir(path),
        usable=False,
        rebuilding=generations.rebuilding(path),
    )
    if not health.exists:
        health.error = Said("no-index", path=path)
        return health
    health.size_bytes = generations.size_bytes(path)
    from whoosh.index import open_dir

    # An index written before a field was added (title_starts) opens and reads, but
    # cannot answer what needs the field: it is rebuilt like a broken one.
    _unified, fields = backend.build_schema(
        connections["default"].get_unified_index().all_searchfields()
    )
    expected = set(fields.names())
    for attempt in range(5):
        index = generation = None
        try:
            index = open_dir(health.live)
            generation = index.latest_generation()
            if missing := expected - set(index.schema.names()):
                health.error = Said("missing-fields", fields=", ".join(sorted(missing)))
                return health
            # Written before text fields kept exact lengths (BM25 as OpenSearch's).
            if unlengthed := [
                name
                for name in fields.names()
                if isinstance(fields[name], LengthedText) and not index.schema[name].column_type
            ]:
                health.error = Said("no-lengths", fields=", ".join(unlengthed))
                return health
            if outdated := [
                name
                for name in fields.names()
                if isinstance(fields[name], LengthedText)
                and getattr(index.schema[name].analyzer, "version", 0) != ANALYSIS_VERSION
            ]:
                health.error = Said("old-analysis-fields", fields=", ".join(outdated))
                return health
            _read_everything(index, health)
            break
        except Exception as exc:  # whatever a broken file raises: struct, EOF, OS, pickle
            # A commit made meanwhile may have merged away segments we were reading.
            if attempt < 4 and generation is not None and _moved_on(index, generation):
                continue
            health.error = Said("unreadable", exception=type(exc).__name__, detail=str(exc))
            return health
    health.usable = True
    return health


def _moved_on(index, generation):
    try:
        return index.latest_generation() != generation
    except Exception:
        return False


def _read_everything(index, health):
    health.segments = len(index._segments())
    with index.searcher() as searcher:
        reader = searcher.reader()
        health.documents = reader.doc_count()
        # Segment by segment: Whoosh's MultiReader.column_reader() leaves out segments
        # without the column (no article in them has a rubric) and then reads their
        # documents from the segment before (IndexError, or a wrong value).
        for segment_reader, _offset in reader.leaf_readers():
            columns = [
                segment_reader.column_reader(name)
                for name in index.schema.names()
                if segment_reader.has_column(name)
            ]
            for docnum in segment_reader.all_doc_ids():
                segment_reader.stored_fields(docnum)
                for column in columns:
                    column[docnum]
            _read_postings(segment_reader)


def _read_postings(reader):
    """Every term's postings blocks: ids (in order, within the segment) and weights,
    as searches read them (a cut file fails at the last term, a damaged block at its
    own). Positions, which only phrase queries read, are not unpacked: a reader who
    hits a damaged one has the repair try that read again (searching.reads_index)."""
    for fieldname in reader.indexed_field_names():
        for term in reader.lexicon(fieldname):
            term_postings(reader.postings(fieldname, term), reader.doc_count_all())
