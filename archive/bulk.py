"""Writing many articles at once (imports, demo content) and indexing them.

bulk_create skips Article.save() and fires no signals, so the callers here do
what save() and the signal processor would: unique slugs, the body sanitizer,
and one search index update for everything written.
"""

from itertools import islice

from django.db import connection, transaction

from .cache import content_changed
from .models import Article
from .slugs import unique_slug


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class SlugBook:
    """Slugs taken in a table, read once and kept in memory while a bulk write runs."""

    def __init__(self, model):
        self.taken = set(model.objects.values_list("slug", flat=True))

    def reserve(self, text, fallback):
        slug = unique_slug(text, self.taken.__contains__, fallback=fallback)
        self.taken.add(slug)
        return slug


def translated(field, ru, az=None, en=None):
    """Every column of a translated field, for a model built in code: the Russian
    column explicitly (the result must not depend on the active language), and the
    base column Russian too."""
    return {field: ru, f"{field}_ru": ru, f"{field}_az": az, f"{field}_en": en}


def insert_articles(articles, tag_ids):
    """Save unsaved articles (slug set) and their tags: two INSERT batches.
    `tag_ids[i]` are the tag pks of `articles[i]`. Returns the new pks."""
    for article in articles:
        article.clean_fields_for_save()  # the sanitizer save() would run
    Article.objects.bulk_create(articles)
    through = Article.tags.through
    through.objects.bulk_create(
        through(article_id=article.pk, tag_id=tag_id)
        for article, ids in zip(articles, tag_ids, strict=True)
        for tag_id in ids
    )
    # bulk_create sends no signals: cached lists and feeds learn of it here.
    transaction.on_commit(content_changed)
    return [article.pk for article in articles]


class Chunks:
    """The index queryset for many pks, read `size` pks at a time. haystack's
    backend.update() takes it as one iterable: one writer, one commit."""

    def __init__(self, queryset, pks, size, progress=None):
        self.queryset, self.pks, self.size = queryset, pks, size
        self.progress = progress or (lambda n: n)

    def __len__(self):
        return len(self.pks)

    def __iter__(self):
        for chunk in batched(self.pks, self.size):
            yield from self.queryset.filter(pk__in=chunk)
            self.progress(len(chunk))


def update_in_parts(backend, index, pks, batch_size, progress=None):
    """Write these articles with `backend`, one commit per SEGMENT_DOCS of them (see
    search.backends), reading `batch_size` rows at a time. `progress(n)` hears of
    every batch written and, with n=0, of every commit (benchmark_search times them)."""
    from search.backends import SEGMENT_DOCS

    for part in batched(pks, SEGMENT_DOCS):
        backend.update(index, Chunks(index.index_queryset(), part, batch_size, progress))
        if progress:
            progress(0)


def refresh_statistics():
    """Tell SQLite's query planner the tables' sizes after a bulk write. Without them
    it read an article page's related articles from the side of the 100,000 published
    articles (20 ms a page) instead of from the article's few links. PostgreSQL's
    autovacuum analyses changed tables on its own."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def index_articles(pks, batch_size=1000, progress=None):
    """Add or refresh these articles in the search index (drafts are skipped by
    the index queryset): one Whoosh writer and commit per SEGMENT_DOCS articles."""
    from haystack import connections

    index = connections["default"].get_unified_index().get_index(Article)
    backend = connections["default"].get_backend()
    from search import indexing

    pks = list(pks)
    try:
        update_in_parts(backend, index, pks, batch_size, progress)
    except Exception as exc:  # the articles are saved: queue them, never lose them
        indexing.failed(pks, exc)
        indexing.retrier.wake()
        raise
