"""What the app asks of a search engine, whichever holds the index.

Views, feeds, suggestions, query repairs, the admin, the signal processor, the
index queue and the management commands talk to `search.engines.current()`, an
Engine, and to the plain results below; only an engine's own package knows its
library (DESIGN, "Search engines behind one boundary").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # search.query imports search.analysis, which imports this package
    from ..query import ParsedQuery


class SearchUnavailable(Exception):
    """The index is missing, locked for reading or broken; the page says so."""


class RebuildRunning(Exception):
    """Another process is building a new index now."""


@dataclass
class Hit:
    docnum: int
    fields: dict  # the stored fields (search_indexes.ArticleIndex)
    score: float | None
    language_match: bool = True


@dataclass
class SearchOutcome:
    parsed: ParsedQuery
    total: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)  # name -> {value: count}
    terms: dict = field(default_factory=dict)  # language -> set of index terms matched
    elapsed_ms: float = 0.0
    # A prefix stood for only its most frequent words (the engine's cost bounds).
    capped: bool = False
    # A phrase of very common words matched its words in any order (the same bounds).
    loose_phrase: bool = False


@dataclass
class Health:
    path: str
    live: str
    exists: bool
    usable: bool
    documents: int = 0
    segments: int = 0
    size_bytes: int = 0
    pending: int = 0
    rebuilding: bool = False
    error: str = ""


@dataclass
class Glance:
    """The index in one line (the admin home): a count, not a read of the whole index."""

    documents: int
    updated_at: float | None = None  # Unix time of the last commit, where the engine knows it


@dataclass
class RebuildOutcome:
    documents: int
    seconds: float
    generation: str
    caught_up: int
    reconcile_summary: str


class Engine:
    """One search engine. Reads raise SearchUnavailable when the index cannot answer
    (and start a repair where the engine can); writes raise what stopped them."""

    name = ""
    prefix_terms = 0  # a prefix («при*») stands for at most this many words (0: all)
    refresh_seconds = 0.0  # readers see a write within this time
    commit_every = 0  # bulk writes commit once per this many articles

    # --- reading -----------------------------------------------------------------------

    def search(
        self,
        parsed: ParsedQuery,
        *,
        language: str = "ru",
        filters: dict | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        synonyms: dict | None = None,
        facets: bool = True,
    ) -> SearchOutcome:
        raise NotImplementedError

    def complete_titles(
        self, typed: str, before: ParsedQuery | None = None, limit: int = 8
    ) -> list[dict]:
        """Stored fields of the newest articles with a title word beginning `typed`,
        matching `before` (the words typed before it) too."""
        raise NotImplementedError

    def document_frequency(self, term: str) -> int:
        """Documents holding `term` in any language field (did-you-mean)."""
        raise NotImplementedError

    def document_frequencies(self, terms) -> dict:
        """{term: document_frequency(term)} for many terms; an engine behind a network
        answers them in one request."""
        return {term: self.document_frequency(term) for term in terms}

    def nearest_terms(self, word: str, fieldname="text", maxdist=2, limit=3) -> list[str]:
        """Index terms within `maxdist` edits of `word`, most frequent first."""
        raise NotImplementedError

    def nearest_terms_many(self, words, fieldname="text", maxdist=2, limit=3) -> dict:
        """{word: nearest_terms(word)} for many words; an engine behind a network answers
        them in one request."""
        return {word: self.nearest_terms(word, fieldname, maxdist, limit) for word in words}

    def close_readers(self):
        """Close what this thread keeps open for reading; the next read reopens."""
        raise NotImplementedError

    # --- writing -----------------------------------------------------------------------

    def write(self, pks, lock_wait: float):
        """Bring the index in line with the database for these articles: write the
        published ones, remove the others."""
        raise NotImplementedError

    def write_many(self, pks, batch_size: int, progress=None):
        """Write many freshly saved articles (imports, rebuilds) in large commits."""
        raise NotImplementedError

    def rebuilding(self) -> bool:
        """Whether some process is building a new index now."""
        raise NotImplementedError

    def serves(self, haystack_backend) -> bool:
        """Whether a haystack connection's backend writes this engine's index."""
        raise NotImplementedError

    # --- health, rebuilds, reconciliation ----------------------------------------------

    def health(self) -> Health:
        """Open the live index and read all of it."""
        raise NotImplementedError

    def glance(self) -> Glance:
        """The live index's document count (and last commit time) at the cost of a
        count: cheap enough for every load of the admin home."""
        raise NotImplementedError

    def build_aside_and_switch(self, batch_size=None, progress=None, wait=0.0):
        """Build a new index from the database beside the live one and switch readers
        to it at once: (documents, where), or None when it was rewritten in place.
        RebuildRunning when another process is at it. search.rebuild catches up the
        queue and reconciles after it; search.health repairs with it."""
        raise NotImplementedError

    def prune(self):
        """Delete what older rebuilds left (after the catch-up)."""
        raise NotImplementedError

    def indexed_versions(self) -> dict:
        """{article pk: version} of every document in the index (reconciliation)."""
        raise NotImplementedError
