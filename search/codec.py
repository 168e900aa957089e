"""Old import path of ArchiveCodec: keep until every index is rebuilt.

Whoosh pickles each segment's codec into the index's table of contents by import path,
and indexes written before search.engines.whoosh existed name `search.codec.ArchiveCodec`.
This shim lets them open; delete it with search/backends.py (see there).
"""

from .engines.whoosh.codec import ArchiveCodec

__all__ = ["ArchiveCodec"]
