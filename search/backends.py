"""A small subclass of haystack's Whoosh backend, because the stock one analyzes
every text field with an English stemmer (so «конвенция» never finds «Конвенции»),
and stores, sorts and spell-indexes every field, which triples the index size.

Here each text field gets the analyzer of its language (search.analysis), fields
declared `indexed=False` are stored only, and nothing is sortable or spelled
unless asked for.
"""

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh.fields import STORED, TEXT

from .analysis import AzerbaijaniAnalyzer, EnglishAnalyzer, RussianAnalyzer

# Field name suffix -> analyzer; anything else textual is Russian, the archive's language.
ANALYZERS = {"_az": AzerbaijaniAnalyzer, "_en": EnglishAnalyzer}


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
            if field.indexed is False:
                schema.add(name, STORED())
                continue
            schema.add(
                name,
                TEXT(
                    analyzer=analyzer_for(name),
                    stored=field.stored,
                    field_boost=field.boost,
                    phrase=True,
                    # A word with several lemmas («стали»: стать, сталь) matches any of them.
                    multitoken_query="or",
                ),
            )
        return content_field_name, schema


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshSearchBackend
