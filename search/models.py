from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

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

    mapping = cache.get(SYNONYMS_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for group in SynonymGroup.objects.all():
            terms = group.term_list()
            for term in terms:
                if words := word_list(term):
                    mapping.setdefault(synonym_key(words), []).extend(t for t in terms if t != term)
        cache.set(SYNONYMS_CACHE_KEY, mapping, 3600)
    return mapping


@receiver([post_save, post_delete], sender=SynonymGroup)
def _forget_synonyms(**kwargs):
    # Now, so the editor's own request sees the change, and again after commit: a
    # search in between would have cached the old list from the uncommitted database.
    cache.delete(SYNONYMS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SYNONYMS_CACHE_KEY))
