from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Rubric, Source, Tag
from .views import published_count

admin.site.site_header = _("News archive")
admin.site.site_title = _("News archive")


class ArticleResource(resources.ModelResource):
    """Spreadsheet import/export of articles: rubric, source and tags by name or slug."""

    rubric = fields.Field("rubric", "rubric", widgets.ForeignKeyWidget(Rubric, "slug"))
    source = fields.Field("source", "source", widgets.ForeignKeyWidget(Source, "name"))
    tags = fields.Field("tags", "tags", widgets.ManyToManyWidget(Tag, ",", "slug"))

    class Meta:
        model = Article
        fields = (
            "id", "slug", "status", "published_at", "title_ru", "title_az", "title_en",
            "lead_ru", "lead_az", "lead_en", "body_ru", "body_az", "body_en", "rubric",
            "tags", "source", "source_url", "has_video", "video_url",
        )  # fmt: skip
        import_id_fields = ("slug",)
        skip_unchanged = True
        use_transactions = True


# Editors paste bare domains; assume https (Django 6's default) rather than http.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class SlugMedia:
    # Listed after urlify.js so the merged media loads ours second and it wraps Django's.
    js = ("admin/js/urlify.js", "archive/admin/slugify.js")


class TranslatedNameAdmin(ImportExportModelAdmin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    Media = SlugMedia
    search_fields = ("name_ru", "name_az", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Rubric)
class RubricAdmin(TranslatedNameAdmin):
    list_display = ("name", "slug", "position", "published_count")
    list_editable = ("position",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(published=published_count())

    @admin.display(description=_("published articles"), ordering="published")
    def published_count(self, obj):
        return obj.published


@admin.register(Tag)
class TagAdmin(TranslatedNameAdmin):
    list_display = ("name", "kind", "slug")
    list_filter = ("kind",)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    Media = SlugMedia
    formfield_overrides = URL_FIELDS
    list_display = ("name", "url", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(ImportExportModelAdmin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    Media = SlugMedia
    resource_classes = [ArticleResource]
    formfield_overrides = URL_FIELDS
    list_display = (
        "title",
        "status",
        "published_at",
        "rubric",
        "source",
        "has_video",
        "updated_at",
    )
    list_filter = (
        "status",
        "rubric",
        "tags__kind",
        ("tags", admin.RelatedOnlyFieldListFilter),
        "published_at",
        "source",
        "has_video",
    )
    list_select_related = ("rubric", "source")
    search_fields = ("title_ru", "title_az", "title_en", "lead_ru", "slug")
    date_hierarchy = "published_at"
    autocomplete_fields = ("tags", "related", "rubric", "source")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("updated_at",)
    actions = ("publish", "unpublish")
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "body")}),
        (_("Publication"), {"fields": ("status", "published_at", "updated_at", "rubric", "tags")}),
        (_("Source and media"), {"fields": ("source", "source_url", "has_video", "video_url")}),
        (_("Related articles"), {"fields": ("related",)}),
    )

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
