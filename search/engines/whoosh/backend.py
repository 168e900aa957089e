"""A small subclass of haystack's Whoosh backend, because the stock one analyzes
every text field with an English stemmer (so «конвенция» never finds «Конвенции»),
stores, sorts and spell-indexes every field (tripling the index), and opens a
reader over every segment for each document it writes.

Here each text field gets the analyzer of its language (search.analysis, analyzers), keyword
fields (slugs, years) are exact and sortable for facets, stored fields are only
stored, and nothing is spell-indexed. Writes wait a bounded time for Whoosh's
single-writer lock and share one searcher per batch; clearing keeps the directory;
the index directory is a generation that a rebuild can replace (generations).
"""

import itertools
import logging
import os
import re
import time

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_ID
from haystack.constants import ID as ID_FIELD
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.analysis import Token, Tokenizer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT
from whoosh.formats import Frequency, Positions
from whoosh.index import LockError
from whoosh.system import pack_uint
from whoosh.writing import CLEAR

from ...analysis import (
    ANALYSIS_VERSION,
    WORD_PATTERN,
    azerbaijani_word_terms,
    english_word_terms,
    russian_word_terms,
)
from . import generations
from .analyzers import AzerbaijaniAnalyzer, EnglishAnalyzer, RussianAnalyzer
from .codec import LENGTH_PENDING, ArchiveCodec, ExactLengths

# Seconds a writer waits for the index lock before giving up with LockError.
WRITER_TIMEOUT = 10.0
WRITER_OPTIONS = {
    "timeout": WRITER_TIMEOUT,
    "delay": 0.05,
    "limitmb": 256,
    # Compound segment files are copied into memory at every reader open; plain
    # segment files are memory-mapped.
    "compound": False,
    # Postings blocks the engine reads whole with numpy (codec).
    "codec": ArchiveCodec(),
}


# A write of this many documents or more (a rebuild's batch, an import) is analysed by
# INDEX_PROCS processes (Whoosh's MpWriter, one segment each): analysis is most of the
# work, and two processes double a rebuild's rate on two cores. Small writes (an
# editor's save, inside a web worker) never fork.
MULTIPROCESS_MIN_DOCS = 200
MULTISEGMENT = True
INDEX_PROCS = min(2, os.cpu_count() or 1)
# Bulk writes (a rebuild, an import) commit every SEGMENT_DOCS articles. Whoosh's
# writers pool postings and sort them at commit, spilling sorted runs to disk past
# `limitmb`; one commit of 100,000 articles spent about 50 s merging runs, so a build
# slowed as the archive grew. Per part the cost stays that of 10,000.
SEGMENT_DOCS = 10_000


LOCK_WAIT_LOGGED = 0.1  # seconds
# A column of each document's article id: equal scores (and equal times) fall back to it,
# as on OpenSearch; Whoosh's document order follows the id only when one process wrote
# the index (a rebuild writes with two).
ARTICLE_ORDER = "article_pk"


class IndexWriteIncomplete(Exception):
    pass


log = logging.getLogger(__name__)

# When this process last committed to the index: its searchers refresh at once after
# their own process's writes (an editor sees the change) and within a second otherwise.
last_write = 0.0


def _written():
    global last_write
    last_write = time.monotonic()


_WORD = re.compile(WORD_PATTERN)


# language -> (terms of a word, the analyzer chain it stands for, stop words renumber)
LANGUAGES = {
    "ru": (russian_word_terms, RussianAnalyzer, True),
    "az": (azerbaijani_word_terms, AzerbaijaniAnalyzer, False),
    "en": (english_word_terms, EnglishAnalyzer, True),
}


class FastAnalyzer(Tokenizer):
    """A language's analyzer (search.analysis) in one pass, token for token the same.

    Whoosh's chains pass every token through five or six generators, and indexing a
    300-word article in three languages spent most of its time there. This looks each
    word up once in a cache and yields the same terms at the same positions (stop words
    renumber the positions after them, as StopFilter does). The rare calls that want
    stop words kept or the text untokenized go to the chain itself. Same terms, so an
    index built with the chains needs no rebuild.
    """

    def __init__(self, lang="ru"):
        self.lang = lang
        # Pickled into the schema with the analyzer: the index's analysis (health).
        self.version = ANALYSIS_VERSION
        self.is_morph = lang == "en"  # as the chain's StemFilter

    def __eq__(self, other):
        return isinstance(other, FastAnalyzer) and other.lang == self.lang

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        terms_of, chain, renumber = LANGUAGES[self.lang]
        if not tokenize or keeporiginal or not removestops:
            yield from chain()(
                value,
                positions=positions,
                chars=chars,
                keeporiginal=keeporiginal,
                removestops=removestops,
                start_pos=start_pos,
                start_char=start_char,
                tokenize=tokenize,
                mode=mode,
                **kwargs,
            )
            return
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.stopped = False
        kept = start_pos - 1  # position of the last word kept (renumbering)
        first = True
        for pos, match in enumerate(_WORD.finditer(value)):
            terms = terms_of(match.group())
            if terms is None:
                continue
            t.boost = 1.0
            if positions:
                if not renumber or first:
                    kept = start_pos + pos
                    first = False
                else:
                    kept += 1
                t.pos = kept
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            for term in terms:
                t.text = term
                yield t

    def positions(self, value):
        """{term: [positions]} for an indexed text, in the order terms first occur."""
        terms_of, _chain, renumber = LANGUAGES[self.lang]
        found = {}
        kept = None
        for pos, word in enumerate(_WORD.findall(value)):
            terms = terms_of(word)
            if terms is None:
                continue
            kept = pos if kept is None or not renumber else kept + 1
            for term in terms:
                if term in found:
                    found[term].append(kept)
                else:
                    found[term] = [kept]
        return found


class FastPositions(Positions):
    """Whoosh's Positions format, filled from FastAnalyzer.positions() in one pass
    instead of a generator hop per token. The postings are the same bytes."""

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(analyzer, FastAnalyzer) or set(kwargs) - {"mode"}:
            return super().word_values(value, analyzer, **kwargs)
        field_boost, encode = self.field_boost, self.encode
        return (
            (term, len(poses), float(len(poses)) * field_boost, encode(poses))
            for term, poses in analyzer.positions(value).items()
        )


class FastKeywords(Frequency):
    """Whoosh's Frequency format for a comma-joined list of distinct words (the title
    beginnings), split at its commas instead of by a tokenizer chain: the same postings,
    at a fraction of the cost (some sixty words an article)."""

    def word_values(self, value, analyzer, **kwargs):
        boost, one = self.field_boost, pack_uint(1)
        return ((word, 1, boost, one) for word in dict.fromkeys(value.split(",")) if word)


class LengthedText(TEXT):
    """A text field with a column of exact lengths (codec.ExactLengths), filled by the
    writer with the length it counts while indexing the field."""

    def to_column_value(self, value):
        return LENGTH_PENDING

    def from_column_value(self, value):
        return value  # a number of terms, not text


def analyzer_for(field_name):
    for suffix in ("_az", "_en"):
        if field_name.endswith(suffix):
            return FastAnalyzer(suffix[1:])
    return FastAnalyzer("ru")


class ArchiveWhooshSearchBackend(WhooshSearchBackend):
    live = None  # the generation directory this backend has open (generations)

    def setup(self):
        if not self.use_file_storage:
            return super().setup()
        # haystack opens FileStorage(self.path); here it opens the generation the path
        # points at now, and keeps self.path as configured (readers compare it).
        generations.ensure(self.path)
        configured, self.live = self.path, generations.live_dir(self.path)
        self.path = self.live
        try:
            super().setup()
        finally:
            self.path = configured

    def switched(self):
        """Whether a rebuild has replaced the generation this backend has open."""
        return self.use_file_storage and generations.live_dir(self.path) != self.live

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        # A column of ids (and of versions, below) lets reconciliation read what the
        # index holds without loading every stored document.
        schema.remove(DJANGO_ID)
        schema.add(DJANGO_ID, ID(stored=True, sortable=True))
        schema.add(ARTICLE_ORDER, COLUMN(NumericColumn("I", default=0)))
        for field in fields.values():
            name = field.index_fieldname
            if field.is_multivalued and not field.stored:
                # haystack stores every multi-valued field; title_starts is for lookup only.
                schema.remove(name)
                keywords = KEYWORD(commas=True)
                keywords.format = FastKeywords()
                schema.add(name, keywords)
            if not isinstance(schema[name], TEXT):
                continue
            schema.remove(name)
            if field.field_type == "stored" or field.indexed is False:
                schema.add(name, STORED())
            elif field.field_type == "keyword":
                schema.add(name, ID(stored=True, sortable=True))
            else:
                text = LengthedText(
                    analyzer=analyzer_for(name),
                    stored=field.stored,
                    field_boost=field.boost,
                    phrase=True,
                    # A word with several lemmas («стали»: стать, сталь) matches any.
                    multitoken_query="or",
                )
                text.format = FastPositions(field_boost=field.boost)
                text.column_type = ExactLengths()
                schema.add(name, text)
        return content_field_name, schema

    def _prepared(self, index, obj):
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)  # Whoosh has no document boosts
        doc = {key: self._from_python(value) for key, value in doc.items()}
        doc[ARTICLE_ORDER] = int(doc[DJANGO_ID])
        return doc

    def _writer(self, procs=1, timeout=WRITER_TIMEOUT):
        """A writer holding the index lock, waiting at most `timeout` seconds for it
        (LockError after that), on the generation that is live once the lock is held."""
        started = time.monotonic()
        for _attempt in range(3):
            if not self.setup_complete or self.switched():
                self.setup()
            self.index = self.index.refresh()
            # The attempts share the wait: an editor's request never waits longer.
            left = max(WRITER_OPTIONS["delay"], timeout - (time.monotonic() - started))
            options = {**WRITER_OPTIONS, "timeout": left}
            if procs > 1:
                writer = self.index.writer(procs=procs, multisegment=MULTISEGMENT, **options)
            else:
                writer = self.index.writer(**options)
            if not self.switched():
                waited = time.monotonic() - started
                if waited >= LOCK_WAIT_LOGGED:  # the load test reads these lines
                    log.info("waited %.3f s for the index lock", waited)
                return writer
            writer.cancel()  # a rebuild switched generations while we waited for the lock
        raise LockError("the index was switched three times while waiting for its lock")

    def apply(self, index, pks, timeout=WRITER_TIMEOUT, chunk=1000):
        """Make the index hold the database's current state of these articles, in one
        commit: delete their documents, add back the ones the index queryset still
        selects. The rows are read after the writer lock is taken, so of two writers
        racing on the same article the one that commits last read the latest state.
        Returns (added, removed)."""
        from archive.bulk import batched  # archive's models load after this module

        pks = sorted(set(pks))
        if not pks:
            return 0, 0
        label = index.get_model()._meta.label_lower
        procs = INDEX_PROCS if len(pks) >= MULTIPROCESS_MIN_DOCS else 1
        writer = self._writer(procs, timeout)
        added = deleted = 0
        try:
            with writer.searcher() as searcher:
                before = searcher.doc_count()
                for pk in pks:
                    deleted += writer.delete_by_term(ID_FIELD, f"{label}.{pk}", searcher=searcher)
                for part in batched(pks, chunk):
                    for obj in index.index_queryset().filter(pk__in=part):
                        if (doc := self._prepared(index, obj)) is not None:
                            writer.add_document(**doc)
                            added += 1
        except BaseException:
            writer.cancel()
            raise
        if not (added or deleted):
            writer.cancel()  # drafts that were never published: nothing to commit
            return 0, 0
        writer.commit()
        _written()
        self._check_complete(procs, before, deleted, added)
        return added, max(0, deleted - added)

    def _check_complete(self, procs, before, deleted, added):
        if procs > 1 and self.index.doc_count() < before - deleted + added:
            # Whoosh's MpWriter drops the segment of a sub-process that died, silently.
            raise IndexWriteIncomplete(
                f"{before - deleted + added - self.index.doc_count()} of {added} documents "
                "were not written; update again or run rebuild_index"
            )

    def update(self, index, iterable, commit=True):
        # Documents are prepared as they are written (a rebuild streams them), and
        # the writer is opened only once there is something to write.
        docs = (doc for obj in iterable if (doc := self._prepared(index, obj)) is not None)
        first = next(docs, None)
        if first is None:
            return
        size = len(iterable) if hasattr(iterable, "__len__") else 0
        procs = INDEX_PROCS if size >= MULTIPROCESS_MIN_DOCS else 1
        writer = self._writer(procs)
        added = deleted = 0
        try:
            with writer.searcher() as searcher:  # one for all deletes, not one per document
                before = searcher.doc_count()
                for doc in itertools.chain([first], docs):
                    deleted += writer.delete_by_term(ID_FIELD, doc[ID_FIELD], searcher=searcher)
                    writer.add_document(**doc)
                    added += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _written()
        self._check_complete(procs, before, deleted, added)  # update_index retries a batch

    def delete_index(self):
        # haystack deletes the directory under running readers and starts again at
        # generation 0, so a searcher left at the same generation never sees the
        # rebuild. An empty commit under the writer lock moves the generation on.
        writer = self._writer()
        writer.commit(mergetype=CLEAR)
        _written()

    def remove(self, obj_or_string, commit=True):
        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers):
        """Delete several documents with one writer and one commit; no commit at all
        when none of them is in the index (a draft that was never published)."""
        writer = self._writer()
        try:
            with writer.searcher() as searcher:
                deleted = sum(
                    writer.delete_by_term(ID_FIELD, identifier, searcher=searcher)
                    for identifier in identifiers
                )
        except BaseException:
            writer.cancel()
            raise
        if not deleted:
            writer.cancel()
            return
        writer.commit()
        _written()


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
