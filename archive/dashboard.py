"""The admin home's desk (templates/admin/index.html): the editor's own drafts, what
is scheduled, what was published last, and which translations are missing or older
than the Russian original.

Each block is one query with a limit, whatever the size of the archive; the
translation counts are one aggregate over the published articles, computed in SQL.
The counts need the edit stamps, stored after the bodies: SQLite reads them from an
index that holds the stamps and titles (article_translation_idx, a covering index), not
past every body, and they are cached until the content changes (archive.cache's
content version, which every save of an article renews). The search index line comes from the
search app (search.status_line), which archive never imports.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from .cache import TIMEOUT, content_version, safe_get, safe_set
from .languages import ENDONYMS, LANGUAGE_CODES, ORIGINAL_LANGUAGE
from .models import Article, translation_state_q

LIMIT = 10
TRANSLATIONS = [code for code in LANGUAGE_CODES if code != ORIGINAL_LANGUAGE]
# What a row of the lists shows: the titles (for the admin language's fallback), never
# the bodies.
ROW_FIELDS = (
    "pk",
    "slug",
    "status",
    "published_at",
    "time_known",
    "updated_at",
    "created_by_id",
) + tuple(f"title_{code}" for code in LANGUAGE_CODES)


TRANSLATION_STATES = ("missing", "outdated")


def changelist_url(**params):
    return f"{reverse('admin:archive_article_changelist')}?{urlencode(params)}"


def translation_url(code, state):
    """The article list narrowed to the published articles in this state
    (archive.admin.translation_state.TranslationStateFilter reads ?translation=)."""
    return changelist_url(status__exact=Article.Status.PUBLISHED, translation=f"{code}-{state}")


@dataclass
class TranslationRow:
    code: str
    language: str
    missing: int
    outdated: int
    missing_url: str = field(init=False)
    outdated_url: str = field(init=False)

    def __post_init__(self):
        self.missing_url = translation_url(self.code, "missing")
        self.outdated_url = translation_url(self.code, "outdated")


def translation_gaps():
    """[TranslationRow per translated language]: published articles (scheduled ones
    included: they need their translations before they go live) by state, one query."""
    key = f"archive:desk:translations:{content_version().token}"
    counts = safe_get(key)
    if counts is None:
        counts = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
            **{
                f"{code}_{state}": Count("pk", filter=translation_state_q(code, state))
                for code in TRANSLATIONS
                for state in TRANSLATION_STATES
            }
        )
        safe_set(key, counts, TIMEOUT)
    return [
        TranslationRow(code, ENDONYMS[code], counts[f"{code}_missing"], counts[f"{code}_outdated"])
        for code in TRANSLATIONS
    ]


def rows(queryset):
    return list(queryset.only(*ROW_FIELDS)[:LIMIT])


def my_drafts(user):
    """The user's own drafts, the last edited first."""
    drafts = Article.objects.filter(created_by=user, status=Article.Status.DRAFT)
    return rows(drafts.order_by("-updated_at", "-pk"))


def scheduled():
    """Published articles whose time has not come, the soonest first."""
    upcoming = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )
    return rows(upcoming.order_by("published_at", "pk"))


def recently_published():
    return rows(Article.objects.published().order_by("-published_at", "-pk"))


@dataclass
class Desk:
    drafts: list
    scheduled: list
    published: list
    translations: list
    drafts_url: str
    scheduled_url: str
    published_url: str


def desk(user):
    """Everything the dashboard shows: four queries at most (three when the
    translation counts are cached)."""
    return Desk(
        drafts=my_drafts(user),
        scheduled=scheduled(),
        published=recently_published(),
        translations=translation_gaps(),
        drafts_url=changelist_url(status__exact=Article.Status.DRAFT, created_by__exact=user.pk),
        scheduled_url=changelist_url(
            status__exact=Article.Status.PUBLISHED,
            published_at__gt=timezone.now().isoformat(timespec="seconds"),
        ),
        published_url=changelist_url(status__exact=Article.Status.PUBLISHED),
    )
