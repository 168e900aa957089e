"""The article desk: list, form, actions."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Article
from .article_list import ArticleListColumns
from .assist import TagAssistMixin
from .autocomplete_values import CheckedAutocompleteMixin
from .common import URL_FIELDS, SlugMedia
from .filters import (
    AutocompleteFilter,
    OutOfRangeLookupsMixin,
    RelatedChoicesFilter,
    ScalableFiltersMixin,
)
from .grammar_admin import GrammarAdminMixin
from .history_revert import HistoryPagesMixin
from .images import LeadImageFilter, LeadImageMixin
from .imports import ArticleResource, CheckedImportMixin
from .preview import PreviewLinkMixin
from .richtext import RichTextBodyMixin
from .translation_tabs import TranslationTabsMixin


@admin.register(Article)
class ArticleAdmin(
    OutOfRangeLookupsMixin,
    CheckedAutocompleteMixin,  # a posted «tags=abc» re-renders as an error, not a 500
    ArticleListColumns,  # list_display
    ScalableFiltersMixin,
    RichTextBodyMixin,
    PreviewLinkMixin,
    TranslationTabsMixin,
    TagAssistMixin,
    LeadImageMixin,
    GrammarAdminMixin,  # titles and messages in the right case and gender
    CheckedImportMixin,
    ImportExportModelAdmin,
    HistoryPagesMixin,  # a past version as it was: its tags, none for what was deleted
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    Media = SlugMedia
    resource_classes = [ArticleResource]
    formfield_overrides = URL_FIELDS
    list_filter = (
        "status",
        "published_at",
        "rubric",
        RelatedChoicesFilter.on("tags", "kind", title=_("tag kind")),
        AutocompleteFilter.on("tags"),
        AutocompleteFilter.on("source"),
        "has_video",
        LeadImageFilter,  # only while the image library's link filters by a picture
    )
    list_select_related = False
    list_prefetch_related = ("rubric", "source")  # archive.admin.filters.PrefetchingChangeList
    search_fields = ("title_ru", "title_az", "title_en", "lead_ru", "slug")
    date_hierarchy = "published_at"
    # "lead_image": modeltranslation gives each language's field a copy of its widget.
    autocomplete_fields = ("tags", "related", "rubric", "source", "lead_image", "story")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("updated_at", "tag_suggestions", *LeadImageMixin.LEAD_IMAGE_PREVIEWS)
    actions = ("publish", "unpublish")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "body")}),
        (
            _("Publication"),
            {
                "fields": (
                    "status",
                    "published_at",
                    "time_known",
                    "updated_at",
                    "rubric",
                    "tags",
                    "tag_suggestions",
                )
            },
        ),
        # "lead_image" becomes one field per language, each shown on its language's tab
        # with its preview below it.
        (_("Lead image"), {"fields": ("lead_image", *LeadImageMixin.LEAD_IMAGE_PREVIEWS)}),
        (_("Source and media"), {"fields": ("source", "source_url", "has_video", "video_url")}),
        (_("Related articles"), {"fields": ("story", "related")}),
    )

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user  # "my drafts" on the dashboard
        super().save_model(request, obj, form, change)

    def _set_status(self, request, queryset, status):
        # One save per article, not queryset.update(): history, the search index
        # and caches all hear about the change.
        changed = 0
        for article in queryset.exclude(status=status):
            article.status = status
            article.save()
            changed += 1
        return changed

    @admin.action(description=_("Publish selected articles"), permissions=["change"])
    def publish(self, request, queryset):
        n = self._set_status(request, queryset, Article.Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", n) % n,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected articles"), permissions=["change"])
    def unpublish(self, request, queryset):
        n = self._set_status(request, queryset, Article.Status.DRAFT)
        self.message_user(
            request,
            ngettext("%d article unpublished.", "%d articles unpublished.", n) % n,
            messages.SUCCESS,
        )
