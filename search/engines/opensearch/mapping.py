"""The OpenSearch index: its settings and mapping.

Documents and queries arrive as the archive's own terms (search.analysis.pre_analyzed:
positions separated by spaces, the terms of one position by «|»): the analyzer only
splits them back, so OpenSearch indexes exactly the terms Whoosh indexes, at the same
positions, and phrases match the same way. BM25 has Whoosh's parameters and counts
every term of a position in the field's length, as Whoosh does (discount_overlaps off).
"""

from ...analysis import ANALYSIS_VERSION, SAME_POSITION, TITLE_START_LETTERS

SHARDS = 3
REPLICAS = 1
TEXT_FIELDS = {"text": "ru", "text_az": "az", "text_en": "en"}
# The headline and lead alone, scored with a boost (search.ranking); no prefixes.
HEAD_FIELDS = {"head": "ru", "head_az": "az", "head_en": "en"}
ANALYSED_FIELDS = {**TEXT_FIELDS, **HEAD_FIELDS}
KEYWORD_FIELDS = (
    "year",
    "rubric",
    "source",
    "tags",
    "persons",
    "organisations",
    "places",
    "title_starts",
    "version",
    "django_ct",
    "id",
)
SHOWN_FIELDS = (
    *("title_ru", "title_az", "title_en", "body_ru", "body_az", "body_en", "slug"),
    "time_known",
    *("rank_ru", "rank_az", "rank_en"),  # search.ranking reads them
)
# Indexed but not kept in _source: the reader never sees terms, and a rebuild reads the
# database, not the index.
NOT_IN_SOURCE = [*ANALYSED_FIELDS, "title_starts"]

ANALYSIS = {
    "tokenizer": {
        # Lucene's default cuts tokens at 255 characters: a hyphenated word's whole and
        # parts, each with its lemmas, can be longer.
        "positions": {"type": "whitespace", "max_token_length": 16384},
    },
    "filter": {
        "same_position": {
            "type": "pattern_capture",
            "preserve_original": False,
            "patterns": [f"([^{SAME_POSITION}]+)"],
        },
    },
    "analyzer": {
        "pre_analyzed": {
            "type": "custom",
            "tokenizer": "positions",
            "filter": ["same_position"],
        },
    },
}


def settings(replicas=REPLICAS, building=False):
    return {
        "number_of_shards": SHARDS,
        "number_of_replicas": 0 if building else replicas,
        # A rebuild refreshes once at the end; live writes are refreshed by the writer.
        "refresh_interval": "-1" if building else "1s",
        "similarity": {
            "default": {"type": "BM25", "k1": 1.2, "b": 0.75, "discount_overlaps": False}
        },
        "analysis": ANALYSIS,
    }


def mappings():
    low, high = TITLE_START_LETTERS
    properties = {
        # Numeric, so that equal scores fall back to the article's id, as in Whoosh's
        # document order.
        "django_id": {"type": "long"},
        "published_at": {"type": "date"},
        **{name: {"type": "keyword"} for name in KEYWORD_FIELDS},
        **{name: {"type": "text", "index": False, "norms": False} for name in SHOWN_FIELDS},
        **{
            name: {
                "type": "text",
                "analyzer": "pre_analyzed",
                # «кибер*»: a prefix of 2-5 letters is one term of a hidden field,
                # however many words it begins (Whoosh bounds prefixes instead).
                "index_prefixes": {"min_chars": low, "max_chars": high},
            }
            for name in TEXT_FIELDS
        },
        **{name: {"type": "text", "analyzer": "pre_analyzed"} for name in HEAD_FIELDS},
    }
    return {
        # The analysis the terms come from (engines' health rebuilds an older index).
        "_meta": {"analysis_version": ANALYSIS_VERSION},
        "dynamic": False,
        "_source": {"excludes": NOT_IN_SOURCE},
        "properties": properties,
    }


def index_body(replicas=REPLICAS, building=False):
    return {"settings": settings(replicas, building), "mappings": mappings()}
