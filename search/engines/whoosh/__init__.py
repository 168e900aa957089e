"""The Whoosh engine: the only package of the archive that imports `whoosh`.

    backend.py      haystack's Whoosh backend and engine, subclassed: per-field
                    analyzers (FastAnalyzer), FastPositions/FastKeywords formats,
                    bounded writer locks, index generations
    analyzers.py    the Whoosh analyzer chains of the three languages
    language.py     the stemmers and stop lists search.analysis takes from Whoosh
    codec.py        ArchiveCodec: postings blocks readable as numpy arrays
    postings.py     SegmentsView: per-searcher postings arrays, columns, term tables
    queries.py      a ParsedQuery (search.query) as Whoosh queries
    searching.py    the searcher kept open, and search, suggestions, did-you-mean
    generations.py  index generations: a symlink switched by rename, the rebuild lock
    health.py       reading a whole index to tell whether it is usable
    rebuild.py      building a generation aside and switching to it
    bulk.py         writing many articles in large commits
    engine.py       WhooshEngine: search.engines.base.Engine over all of the above

Whoosh 2.7.4 is pinned (requirements.txt) and checked below at import, because
this package reads Whoosh's internals, which no release promises to keep:

- whoosh.codec.whoosh3: W3Codec, W3PostingsWriter and W3LeafMatcher are
  subclassed (codec.py), with their attributes `_blocklimit`, `_compression`,
  `_inlinelimit`, `_postfile`, `_terminfo`, `_blockcount`, `_ids`, `_weights`,
  `_mini_values()`, `_minlength`, `_maxlength`, `_maxweight`, `_new_block()`
  (writer) and `_blocklength`, `_dataoffset`, `_nextoffset`, `_data`, `_i`,
  `_byteids`, `_read_data()`, `_read_values()`, `_next_block()` (matcher);
  WHOOSH3_HEADER_MAGIC; LENGTHS_COLUMN and `_lenfield()` (postings.py, field lengths).
- whoosh.matching.wrappers.FilterMatcher `_exclude` (codec.term_postings).
- Segment readers (postings.py): `_perdoc` and its `_cached_reader()`; numeric
  column readers' `_dbfile`, `_basepos`, `_count`, `_fixedlen`, `_typecode`,
  `_default` (a column read as one numpy array); `segment().deleted_docs()`.
- Searchers: `_ix` (the index a searcher came from, postings.py); attributes set
  on searchers by us: `_archive_view`, `_archive_scheduled`.
- Indexes: `_segments()` (health.py); whoosh.index `_DEF_INDEX_NAME` and its
  `<name>_WRITELOCK` lock file (rebuild.py takes the live writer's lock to switch).
- haystack's WhooshSearchBackend: `_from_python()`, `setup_complete`, `content_field_name`,
  `use_file_storage`, `storage`, `index`, `path` (backend.py).
- Pickles: Whoosh pickles the schema (FastAnalyzer, FastPositions, FastKeywords) and
  each segment's codec (ArchiveCodec) into the index by import path; search/backends.py
  and search/codec.py keep the paths of indexes written before this package.
"""

import whoosh
from django.core.exceptions import ImproperlyConfigured

PINNED_VERSION = (2, 7, 4)


def check_version(version=None):
    version = tuple(whoosh.__version__ if version is None else version)
    if version[:3] != PINNED_VERSION:
        found = ".".join(str(part) for part in version)
        pinned = ".".join(str(part) for part in PINNED_VERSION)
        raise ImproperlyConfigured(
            f"search.engines.whoosh reads Whoosh's internals and needs Whoosh {pinned} "
            f"exactly (requirements.txt); Whoosh {found} is installed. Install {pinned}, "
            "or check every internal listed in search/engines/whoosh/__init__.py first."
        )


check_version()
