from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from archive.cache import safe_delete, safe_get, safe_set  # a failing cache fails no search

from .messages import Said

SYNONYMS_CACHE_KEY = "search:synonyms:v1"


class SynonymGroup(models.Model):
    """Words and names that mean the same to a reader: ООН = Организация Объединённых
    Наций = UN = BMT. Applied to queries, so an edit works at once, with no reindex."""

    terms = models.TextField(
        _("terms"),
        help_text=_(
            "One term per line (a word, an abbreviation or a phrase), in any "
            "language: a search for any of them finds all of them."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self):
        return " = ".join(self.term_list())

    def term_list(self):
        return [t.strip() for t in self.terms.replace(",", "\n").splitlines() if t.strip()]


def synonym_map():
    """{lemma key: [every term of its groups]}, cached until a group changes."""
    from .query import synonym_key, word_list

    mapping = safe_get(SYNONYMS_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for group in SynonymGroup.objects.all():
            terms = group.term_list()
            for term in terms:
                if words := word_list(term):
                    mapping.setdefault(synonym_key(words), []).extend(t for t in terms if t != term)
        safe_set(SYNONYMS_CACHE_KEY, mapping, 3600)
    return mapping


@receiver([post_save, post_delete], sender=SynonymGroup)
def _forget_synonyms(**kwargs):
    # Now, so the editor's own request sees the change, and again after commit: a
    # search in between would have cached the old list from the uncommitted database.
    safe_delete(SYNONYMS_CACHE_KEY)
    transaction.on_commit(lambda: safe_delete(SYNONYMS_CACHE_KEY))


class PendingUpdate(models.Model):
    """An article whose index entry must be brought in line with the database: the
    durable queue (outbox) of search.indexing. A row is written in the same transaction
    as the change, so a crash or a busy index lock loses nothing; it is deleted once the
    index holds the change."""

    article_id = models.BigIntegerField(_("article id"), unique=True)  # deleted ones too
    queued_at = models.DateTimeField(_("queued at"), db_index=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")
        ordering = ["queued_at"]

    def __str__(self):
        return _("article %(id)s") % {"id": self.article_id}


class IndexEvent(models.Model):
    """What happened to the index that an editor should be able to see: write
    failures, reconciliations and rebuilds, with their figures. Only the latest
    KEEP are kept."""

    KEEP = 200

    class Kind(models.TextChoices):
        ERROR = "error", _("error")
        RECONCILE = "reconcile", _("reconciliation")
        REBUILD = "rebuild", _("rebuild")
        REPAIR = "repair", _("repair")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    message = models.TextField(_("message"))
    # The message's template and values (search.messages.Said.as_data), so the admin
    # says it in the editor's language; {} for a message written as plain text.
    details = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("index event")
        verbose_name_plural = _("search index status")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text()[:80]}"

    def text(self):
        """The message in the active language, when its details allow."""
        said = Said.from_data(self.details) if self.details else None
        return said.translated() if said is not None else self.message

    @classmethod
    def record(cls, kind, message):
        details = message.as_data() if isinstance(message, Said) else {}
        event = cls.objects.create(kind=kind, message=message, details=details)
        stale = cls.objects.order_by("-at", "-pk").values_list("pk", flat=True)[cls.KEEP :]
        cls.objects.filter(pk__in=list(stale)).delete()
        return event
