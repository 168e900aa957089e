"""Keeps the search index in step with the database, from one place.

haystack's RealtimeSignalProcessor writes before the transaction commits (a
rolled-back save leaves a phantom result), ignores tag and related-article
changes, and writes once per object. Here every change of an article, its tags,
or a label the index stores (a tag's names, kind or slug; a rubric's or source's
slug) queues the article ids durably in the same transaction (search.indexing)
and adds them to a per-thread pending set; after the transaction commits, the set
is written in one batch, or left to the background when it is large or the index
lock is busy.
"""

import logging
import threading

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from archive.models import Article, Rubric, Source, Tag

from . import indexing
from .models import PendingUpdate

log = logging.getLogger(__name__)

# What the index keeps of each label (search_indexes.ArticleIndex).
INDEXED_LABEL_FIELDS = {
    Tag: ("slug", "kind", "name_ru", "name_az", "name_en"),
    Rubric: ("slug",),
    Source: ("slug",),
}


class OnCommitSignalProcessor(BaseSignalProcessor):
    _pending = threading.local()
    _leftovers_checked = False  # once per process: rows a crashed process left behind

    def _connections(self):
        return [
            (signals.post_save, self.article_saved, Article),
            (signals.post_delete, self.article_deleted, Article),
            (signals.m2m_changed, self.tags_changed, Article.tags.through),
            (signals.pre_delete, self.tag_deleted, Tag),
            *[(signals.pre_save, self.label_saving, m) for m in INDEXED_LABEL_FIELDS],
            *[(signals.post_save, self.label_saved, m) for m in INDEXED_LABEL_FIELDS],
        ]

    def setup(self):
        for signal, receiver, sender in self._connections():
            signal.connect(receiver, sender=sender)

    def teardown(self):
        for signal, receiver, sender in self._connections():
            signal.disconnect(receiver, sender=sender)

    # --- collecting ------------------------------------------------------------------

    def _after_commit(self, pks):
        """Queue article ids durably, now, and for a flush after commit. A rolled-back
        transaction takes its queue rows with it; its ids in the pending set go out
        with the next flush, which is harmless (re-reading an article is always right)."""
        pks = list(pks)
        if not pks:
            return
        indexing.enqueue(pks)
        pending = getattr(self._pending, "pks", None)
        if pending is None:
            pending = self._pending.pks = set()
        pending.update(pks)
        transaction.on_commit(self.flush)

    def flush(self):
        pks, self._pending.pks = getattr(self._pending, "pks", None) or set(), set()
        if not pks or not indexing.writes_inline():
            return  # production's index_worker writes them
        # After commit the editor's save has succeeded: nothing here may turn it into
        # an error page. What cannot be written now stays queued for the retrier.
        try:
            if not type(self)._leftovers_checked:
                type(self)._leftovers_checked = True
                if PendingUpdate.objects.exclude(article_id__in=pks).exists():
                    indexing.retrier.wake()
            if len(pks) > indexing.INLINE_MAX or not indexing.process(pks):
                indexing.retrier.wake()
        except Exception:
            log.exception("search index update failed for articles %s", sorted(pks)[:20])
            indexing.retrier.wake()

    # --- receivers -------------------------------------------------------------------

    def article_saved(self, sender, instance, raw=False, **kwargs):
        if not raw:
            self._after_commit([instance.pk])

    def article_deleted(self, sender, instance, **kwargs):
        self._after_commit([instance.pk])

    def tags_changed(self, sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # article.tags changed
            if action in ("post_add", "post_remove", "post_clear"):
                self._after_commit([instance.pk])
        elif action == "pre_clear":  # tag.articles.clear(): read them before they go
            self._after_commit(instance.articles.values_list("pk", flat=True))
        elif action in ("post_add", "post_remove"):
            self._after_commit(pk_set or [])

    def tag_deleted(self, sender, instance, **kwargs):
        # The cascade removes the tag's links without an m2m_changed signal.
        self._after_commit(instance.articles.values_list("pk", flat=True))

    def label_saving(self, sender, instance, raw=False, **kwargs):
        fields = INDEXED_LABEL_FIELDS[sender]
        before = (
            sender.objects.filter(pk=instance.pk).values(*fields).first() if instance.pk else None
        )
        now = {f: getattr(instance, f) for f in fields}
        instance._index_relevant_change = before is not None and before != now

    def label_saved(self, sender, instance, raw=False, created=False, **kwargs):
        if raw or created or not getattr(instance, "_index_relevant_change", False):
            return
        self._after_commit(instance.articles.values_list("pk", flat=True))
