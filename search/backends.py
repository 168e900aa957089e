"""Old import path of the Whoosh backend's pickled classes: keep until every index is rebuilt.

Whoosh pickles the schema's analyzer and formats into the index by import path, and
indexes written before search.engines.whoosh existed name `search.backends.FastAnalyzer`,
`FastPositions` and `FastKeywords`. This shim lets them open; the next `rebuild_index`
writes the new paths. Delete it once no index older than the move is left (every
deployment has run rebuild_index since), with search/codec.py.
"""

from .engines.whoosh.backend import FastAnalyzer, FastKeywords, FastPositions

__all__ = ["FastAnalyzer", "FastKeywords", "FastPositions"]
