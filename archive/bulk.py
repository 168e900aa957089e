"""Writing many articles at once (imports, demo content) and indexing them.

bulk_create skips Article.save() and fires no signals, so the callers here do
what save() and the signal processor would: unique slugs, the body sanitizer,
and one `articles_written` signal for everything written (search indexes them).
"""

from itertools import islice

from django.db import connection, transaction
from django.dispatch import Signal

from .cache import content_changed
from .models import Article
from .slugs import unique_slug

# Sent after a bulk write has committed, with `pks`, `batch_size` and `progress(n)`.
articles_written = Signal()


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


def refresh_statistics():
    """Tell SQLite's query planner the tables' sizes after a bulk write. Without them
    it read an article page's related articles from the side of the 100,000 published
    articles (20 ms a page) instead of from the article's few links. PostgreSQL's
    autovacuum analyses changed tables on its own."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def index_articles(pks, batch_size=1000, progress=None):
    """Ask the search index to take these freshly written articles (bulk writes fire
    no save signals). The search app listens (search.apps); archive never imports it,
    so the dependency runs one way. A receiver's error reaches the caller: the
    articles are saved and queued by then, and the command says so."""
    articles_written.send(sender=Article, pks=list(pks), batch_size=batch_size, progress=progress)
