"""Keeps the search index in step with the database, from one place.

haystack's RealtimeSignalProcessor writes before the transaction commits (a
rolled-back save leaves a phantom result) and ignores tag and related-article
changes. Here every change of an article, its tags, its rubric or a tag's name is
collected and written once the transaction commits.
"""

import logging

from django.db import transaction
from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from archive.models import Article, Rubric, Tag

log = logging.getLogger(__name__)


class OnCommitSignalProcessor(BaseSignalProcessor):
    def setup(self):
        signals.post_save.connect(self.article_saved, sender=Article)
        signals.post_delete.connect(self.article_deleted, sender=Article)
        signals.m2m_changed.connect(self.tags_changed, sender=Article.tags.through)
        signals.post_save.connect(self.label_saved, sender=Tag)
        signals.post_save.connect(self.label_saved, sender=Rubric)

    def teardown(self):
        signals.post_save.disconnect(self.article_saved, sender=Article)
        signals.post_delete.disconnect(self.article_deleted, sender=Article)
        signals.m2m_changed.disconnect(self.tags_changed, sender=Article.tags.through)
        signals.post_save.disconnect(self.label_saved, sender=Tag)
        signals.post_save.disconnect(self.label_saved, sender=Rubric)

    def _index(self):
        return self.connections["default"].get_unified_index().get_index(Article)

    def _update_after_commit(self, pks):
        pks = set(pks)

        def write():
            # After commit, the editor's save has succeeded: an index failure is
            # logged, never turned into an error page (`update_index` repairs it).
            try:
                index = self._index()
                articles = {a.pk: a for a in index.index_queryset().filter(pk__in=pks)}
                for pk in pks:
                    if pk in articles:
                        index.update_object(articles[pk])
                    else:  # draft, scheduled or gone
                        index.remove_object(f"archive.article.{pk}")
            except Exception:
                log.exception("search index update failed for articles %s", sorted(pks))

        transaction.on_commit(write)

    def article_saved(self, sender, instance, raw=False, **kwargs):
        if not raw:
            self._update_after_commit([instance.pk])

    def article_deleted(self, sender, instance, **kwargs):
        self._update_after_commit([instance.pk])

    def tags_changed(self, sender, instance, action, reverse, pk_set, **kwargs):
        if not reverse:  # article.tags changed
            if action in ("post_add", "post_remove", "post_clear"):
                self._update_after_commit([instance.pk])
        elif action == "pre_clear":  # tag.articles.clear(): read them before they go
            self._update_after_commit(list(instance.articles.values_list("pk", flat=True)))
        elif action in ("post_add", "post_remove"):
            self._update_after_commit(pk_set or [])

    def label_saved(self, sender, instance, raw=False, created=False, **kwargs):
        if raw or created:
            return
        self._update_after_commit(list(instance.articles.values_list("pk", flat=True)))
