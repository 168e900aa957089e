"""A small subclass of haystack's Whoosh backend, because the stock one analyzes
every text field with an English stemmer (so «конвенция» never finds «Конвенции»),
stores, sorts and spell-indexes every field (tripling the index), and opens a
reader over every segment for each document it writes.

Here each text field gets the analyzer of its language (search.analysis), keyword
fields (slugs, years) are exact and sortable for facets, stored fields are only
stored, and nothing is spell-indexed. Writes wait a bounded time for Whoosh's
single-writer lock and share one searcher per batch; clearing keeps the directory.
"""

import itertools
import time

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import ID as ID_FIELD
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import ID, STORED, TEXT
from whoosh.writing import CLEAR

from .analysis import AzerbaijaniAnalyzer, EnglishAnalyzer, RussianAnalyzer

# Field name suffix -> analyzer; anything else textual is Russian, the archive's language.
ANALYZERS = {"_az": AzerbaijaniAnalyzer, "_en": EnglishAnalyzer}

# Seconds a writer waits for the index lock before giving up with LockError.
WRITER_TIMEOUT = 10.0
WRITER_OPTIONS = {
    "timeout": WRITER_TIMEOUT,
    "delay": 0.05,
    "limitmb": 256,
    # Compound segment files are copied into memory at every reader open; plain
    # segment files are memory-mapped.
    "compound": False,
}


# When this process last committed to the index: its searchers refresh at once after
# their own process's writes (an editor sees the change) and within a second otherwise.
last_write = 0.0


def _written():
    global last_write
    last_write = time.monotonic()


def analyzer_for(field_name):
    for suffix, make in ANALYZERS.items():
        if field_name.endswith(suffix):
            return make()
    return RussianAnalyzer()


class ArchiveWhooshSearchBackend(WhooshSearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            name = field.index_fieldname
            if not isinstance(schema[name], TEXT):
                continue
            schema.remove(name)
            if field.field_type == "stored" or field.indexed is False:
                schema.add(name, STORED())
            elif field.field_type == "keyword":
                schema.add(name, ID(stored=True, sortable=True))
            else:
                schema.add(
                    name,
                    TEXT(
                        analyzer=analyzer_for(name),
                        stored=field.stored,
                        field_boost=field.boost,
                        phrase=True,
                        # A word with several lemmas («стали»: стать, сталь) matches any.
                        multitoken_query="or",
                    ),
                )
        return content_field_name, schema

    def _prepared(self, index, obj):
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)  # Whoosh has no document boosts
        return {key: self._from_python(value) for key, value in doc.items()}

    def _writer(self):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        return self.index.writer(**WRITER_OPTIONS)

    def update(self, index, iterable, commit=True):
        # Documents are prepared as they are written (a rebuild streams them), and
        # the writer is opened only once there is something to write.
        docs = (doc for obj in iterable if (doc := self._prepared(index, obj)) is not None)
        first = next(docs, None)
        if first is None:
            return
        writer = self._writer()
        try:
            with writer.searcher() as searcher:  # one for all deletes, not one per document
                for doc in itertools.chain([first], docs):
                    writer.delete_by_term(ID_FIELD, doc[ID_FIELD], searcher=searcher)
                    writer.add_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _written()

    def delete_index(self):
        # haystack deletes the directory under running readers and starts again at
        # generation 0, so a searcher left at the same generation never sees the
        # rebuild. An empty commit under the writer lock moves the generation on.
        writer = self._writer()
        writer.commit(mergetype=CLEAR)
        _written()

    def remove(self, obj_or_string, commit=True):
        writer = self._writer()
        try:
            writer.delete_by_term(ID_FIELD, get_identifier(obj_or_string))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _written()


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
