"""Stock haystack + Whoosh beside the archive, for benchmark_search: haystack's own
Whoosh engine and defaults (StemmingAnalyzer, every field stored, spelling on), built
with haystack's own `update_index` and searched with `SearchQuerySet().auto_query()`."""

import time

from django.core.management import call_command
from django.test import override_settings
from haystack import connections, indexes
from haystack.query import SearchQuerySet

from archive.models import Article
from search.search_indexes import ArticleIndex

from .engine_bench import WARM_UP, Timings

ENGINE = "haystack.backends.whoosh_backend.WhooshEngine"


class StockArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """A stock-style haystack index: the same text as ArticleIndex, plain haystack fields
    (stored, and analyzed by haystack's StemmingAnalyzer), no custom backend. The text is
    prepared in Python rather than from a template, so both indexes hold the same words."""

    text = indexes.CharField(document=True)
    text_az = indexes.CharField()
    text_en = indexes.CharField()
    title = indexes.CharField(model_attr="title_ru")
    published_at = indexes.DateTimeField(model_attr="published_at")
    rubric = indexes.CharField(null=True)
    tags = indexes.MultiValueField()

    max_pk = None  # --stock-count: index the articles up to this pk only

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        queryset = ArticleIndex().index_queryset(using)
        return queryset.filter(pk__lte=self.max_pk) if self.max_pk else queryset

    def read_queryset(self, using=None):
        return Article.objects.all()

    def prepare_text(self, obj):
        return ArticleIndex()._text(obj, "ru")

    def prepare_text_az(self, obj):
        return ArticleIndex()._text(obj, "az")

    def prepare_text_en(self, obj):
        return ArticleIndex()._text(obj, "en")

    def prepare_rubric(self, obj):
        return obj.rubric.slug if obj.rubric_id else None

    def prepare_tags(self, obj):
        return [t.slug for t in obj.tags.all()]


class BatchClock:
    """Wraps a backend's update(): (documents, seconds) per call, i.e. per batch."""

    def __init__(self, backend):
        self.batches = []
        self._update = backend.update

        def update(index, iterable, commit=True):
            items = list(iterable)
            started = time.perf_counter()
            self._update(index, items, commit=commit)
            self.batches.append((len(items), time.perf_counter() - started))

        backend.update = update

    def parts(self):
        return []  # stock commits every batch


def build(total, count, batch_size):
    """haystack's own rebuild_index of the first `count` articles into the 'stock'
    connection: (seconds, clock)."""
    stock_index = StockArticleIndex()
    if count < total:
        pks = ArticleIndex().index_queryset().values_list("pk", flat=True)
        stock_index.max_pk = pks[count - 1]
    connections["stock"].get_unified_index().build(indexes=[stock_index])
    clock = BatchClock(connections["stock"].get_backend())
    started = time.perf_counter()
    with override_settings(HAYSTACK_LIMIT_TO_REGISTERED_MODELS=True):
        call_command(
            "rebuild_index",
            interactive=False,
            using=["stock"],
            batchsize=batch_size,
            verbosity=0,
        )
    return time.perf_counter() - started, clock


def time_searches(queries):
    """`SearchQuerySet().load_all().auto_query(q)[:20]` and the titles of its objects,
    each query after a warm-up: (Timings, queries with hits)."""
    times, found = Timings(), 0
    with override_settings(HAYSTACK_LIMIT_TO_REGISTERED_MODELS=True):  # stock default
        for q in queries[:WARM_UP]:
            list(SearchQuerySet(using="stock").load_all().auto_query(q)[:20])
        for q in queries:
            started = time.perf_counter()
            results = list(SearchQuerySet(using="stock").load_all().auto_query(q)[:20])
            titles = [r.object.title for r in results if r.object is not None]
            times.add(time.perf_counter() - started)
            found += bool(titles)
    return times, found
