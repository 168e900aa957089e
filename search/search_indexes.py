import re
from datetime import UTC

from django.utils import timezone
from haystack import indexes

from archive.models import Article, Tag
from archive.sanitize import html_to_text

from . import ranking
from .analysis import title_starts

# Snippets are cut from stored text, so a results page needs no database query per
# hit; the stored copy is capped (a snippet comes from the first few paragraphs).
SNIPPET_SOURCE_CHARS = 4000
# What one language's text field gives the indexer at most (about 70,000 words, a
# long treaty): analysis time and postings grow with it, and a multi-megabyte body is
# findable by its first half-million characters. A "word" longer than
# INDEXED_WORD_CHARS is cut to that: nobody types it, and lemmatizing and stemming a
# word of three million letters took seconds.
INDEXED_TEXT_CHARS = 500_000
INDEXED_WORD_CHARS = 100
# An imported post's "title" may be a paragraph: a headline and lead fit in this.
HEAD_CHARS = 1000
_LONG_WORD = re.compile(rf"[\w'’-]{{{INDEXED_WORD_CHARS + 1},}}")


def _indexable(text):
    text = text[:INDEXED_TEXT_CHARS]
    return _LONG_WORD.sub(lambda m: m.group()[:INDEXED_WORD_CHARS], text)


def version_of(updated_at):
    return updated_at.astimezone(UTC).isoformat()


def _join(*parts):
    return "\n".join(p for p in parts if p)


class KeywordField(indexes.CharField):
    """An exact, untokenized value (a slug, a year) for filters and facets."""

    field_type = "keyword"


class StoredField(indexes.CharField):
    """Kept with the hit for display, not searchable."""

    field_type = "stored"


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """Every language of every published article, read from the explicit *_ru/*_az/*_en
    columns so the result does not depend on the language the indexer runs in.

    Text is built in Python, not from a template: rendering a template per
    document is the slowest part of a stock rebuild.
    """

    text = indexes.CharField(document=True, stored=False)  # Russian
    text_az = indexes.CharField(stored=False)
    text_en = indexes.CharField(stored=False)
    # The headline and lead again, alone: a word there counts more than in the body
    # (search.ranking.FIELD_BOOSTS), scored by BM25 over these short fields.
    head = indexes.CharField(stored=False)  # Russian
    head_az = indexes.CharField(stored=False)
    head_en = indexes.CharField(stored=False)
    title_ru = StoredField(model_attr="title_ru")
    title_az = StoredField(model_attr="title_az", null=True)
    title_en = StoredField(model_attr="title_en", null=True)
    body_ru = StoredField(null=True)
    body_az = StoredField(null=True)
    body_en = StoredField(null=True)
    slug = StoredField(model_attr="slug")
    # The headline's and lead's index terms, position by position (search.ranking reorders
    # the first hits by them, with no analysis at query time).
    rank_ru = StoredField(null=True)
    rank_az = StoredField(null=True)
    rank_en = StoredField(null=True)
    published_at = indexes.DateTimeField(model_attr="published_at")
    # "1" when the source gave a time of day (Article.time_known): results show it then.
    time_known = StoredField()
    year = KeywordField()
    rubric = KeywordField(null=True)
    source = KeywordField(null=True)
    tags = indexes.MultiValueField()
    persons = indexes.MultiValueField()
    organisations = indexes.MultiValueField()
    places = indexes.MultiValueField()
    # The beginnings of the title's words in every language, for suggestions as the
    # reader types (search.analysis.title_starts); not stored.
    title_starts = indexes.MultiValueField(stored=False)
    # When the article was last saved: reconciliation (search.reconcile) compares it
    # with the database to find entries that missed an update.
    version = KeywordField()

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        # Scheduled articles are indexed too and hidden by the search until their time
        # (search.engines.whoosh.queries.not_yet_published): they go live with no save to
        # trigger an update.
        return (
            Article.objects.filter(status=Article.Status.PUBLISHED)
            .select_related("rubric", "source")
            .prefetch_related("tags")
            .order_by("pk")
        )

    def update_object(self, instance, using=None, **kwargs):
        # haystack would index any saved instance; drafts must leave the index instead.
        if instance.status == Article.Status.PUBLISHED:
            return super().update_object(instance, using=using, **kwargs)
        return self.remove_object(instance, using=using, **kwargs)

    def _body_text(self, obj, lang):
        """The body as plain text, converted once per article and language (the text,
        snippet and ranking fields all read it), again only if the body has changed."""
        html = getattr(obj, f"body_{lang}")
        kept = obj.__dict__.setdefault("_search_plain_bodies", {})
        if lang not in kept or kept[lang][0] is not html:
            kept[lang] = (html, html_to_text(html))
        return kept[lang][1]

    def _text(self, obj, lang):
        tags = " ".join(getattr(t, f"name_{lang}") or "" for t in obj.tags.all())
        # Capped as a whole and again in parts, so neither a huge body nor a huge lead
        # pushes the title and the tags out.
        head = _join(getattr(obj, f"title_{lang}"), getattr(obj, f"lead_{lang}"))
        body = self._body_text(obj, lang)
        return _indexable(_join(head[: INDEXED_TEXT_CHARS // 4], tags, body[:INDEXED_TEXT_CHARS]))

    def prepare_text(self, obj):
        return self._text(obj, "ru")

    def prepare_text_az(self, obj):
        return self._text(obj, "az")

    def prepare_text_en(self, obj):
        return self._text(obj, "en")

    def _head(self, obj, lang):
        head = _join(getattr(obj, f"title_{lang}"), getattr(obj, f"lead_{lang}"))
        return _indexable(head[:HEAD_CHARS])

    def prepare_head(self, obj):
        return self._head(obj, "ru")

    def prepare_head_az(self, obj):
        return self._head(obj, "az")

    def prepare_head_en(self, obj):
        return self._head(obj, "en")

    def _rank(self, obj, lang):
        title = getattr(obj, f"title_{lang}")
        return ranking.stored_positions(lang, title, self._plain_body(obj, lang)) if title else None

    def prepare_rank_ru(self, obj):
        return self._rank(obj, "ru")

    def prepare_rank_az(self, obj):
        return self._rank(obj, "az")

    def prepare_rank_en(self, obj):
        return self._rank(obj, "en")

    def _plain_body(self, obj, lang):
        lead, body = getattr(obj, f"lead_{lang}") or "", self._body_text(obj, lang)
        if lead and body.startswith(lead.strip()):
            lead = ""  # a body that opens with its lead would show it twice in a snippet
        return _join(lead, body)[:SNIPPET_SOURCE_CHARS] or None

    def prepare_body_ru(self, obj):
        return self._plain_body(obj, "ru")

    def prepare_body_az(self, obj):
        return self._plain_body(obj, "az")

    def prepare_body_en(self, obj):
        return self._plain_body(obj, "en")

    def prepare_published_at(self, obj):
        # Whoosh drops the time zone and reads the value back as UTC: store UTC.
        return obj.published_at.astimezone(UTC)

    def prepare_time_known(self, obj):
        return "1" if obj.time_known else "0"

    def prepare_title_starts(self, obj):
        return title_starts(obj.title_ru, obj.title_az, obj.title_en)

    def prepare_version(self, obj):
        return version_of(obj.updated_at)

    def prepare_year(self, obj):
        # The newsroom's year, as on the date archive pages (02:00 on 1 January in Baku
        # is still the old year in UTC).
        return str(timezone.localtime(obj.published_at).year)

    def prepare_rubric(self, obj):
        return obj.rubric.slug if obj.rubric_id else None

    def prepare_source(self, obj):
        return obj.source.slug if obj.source_id else None

    def _tag_slugs(self, obj, kind=None):
        return [t.slug for t in obj.tags.all() if kind is None or t.kind == kind]

    def prepare_tags(self, obj):
        return self._tag_slugs(obj)

    def prepare_persons(self, obj):
        return self._tag_slugs(obj, Tag.Kind.PERSON)

    def prepare_organisations(self, obj):
        return self._tag_slugs(obj, Tag.Kind.ORGANISATION)

    def prepare_places(self, obj):
        return self._tag_slugs(obj, Tag.Kind.PLACE)
