from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .importers import MAX_LINE_BYTES, text_file_problem
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


# A spreadsheet uploaded in the admin is read whole, by django-import-export, inside the
# web worker: bigger files go through `manage.py import_articles`, which streams.
ADMIN_IMPORT_MAX_BYTES = 16 * 1024 * 1024

TEXT_FILE_PROBLEMS = {
    "gzip": _("%(name)s is compressed (gzip). Unpack it and import the file inside."),
    "binary": _(
        "%(name)s, line %(line)s: binary data (a zero byte at column %(column)s), "
        "not a %(format)s file. Check the file and the format chosen."
    ),
    "cp1251": _(
        "%(name)s, line %(line)s: not UTF-8 text; it looks like Windows-1251 (cp1251). "
        "Save the file as UTF-8 and import it again."
    ),
    "encoding": _(
        "%(name)s, line %(line)s: not UTF-8 text (byte 0x%(byte)02x at column %(column)s). "
        "Save the file as UTF-8 and import it again."
    ),
    "long-line": _("%(name)s, line %(line)s is longer than %(limit)s. Nothing was imported."),
}


class CheckedImportForm(ImportForm):
    """The import upload, refused with a message naming the file, the line and the
    problem when it is too big, compressed, binary, not UTF-8 or has an overlong line:
    django-import-export would only say "UnicodeDecodeError encountered"."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        input_format = self.import_formats[int(chosen)]()
        limit = getattr(settings, "ARCHIVE_ADMIN_IMPORT_MAX_BYTES", ADMIN_IMPORT_MAX_BYTES)
        params = {"name": upload.name, "format": input_format.get_title().upper()}
        if upload.size > limit:
            message = _(
                "%(name)s is %(size)s; files up to %(limit)s can be imported here. "
                "Import bigger files with manage.py import_articles."
            )
            size, most = filesizeformat(upload.size), filesizeformat(limit)
            self.add_error("import_file", message % {**params, "size": size, "limit": most})
            return cleaned
        data = b"".join(upload.chunks())
        upload.seek(0)
        line_limit = getattr(settings, "ARCHIVE_IMPORT_MAX_LINE_BYTES", MAX_LINE_BYTES)
        problem = text_file_problem(data, line_limit)
        if problem and (problem.kind == "gzip" or not input_format.is_binary()):
            values = {
                "line": problem.line,
                "column": problem.column,
                "byte": problem.byte,
                "limit": filesizeformat(line_limit),
            }
            self.add_error("import_file", TEXT_FILE_PROBLEMS[problem.kind] % {**params, **values})
        return cleaned


class CheckedImportMixin:
    import_form_class = CheckedImportForm

    def add_data_read_fail_error_to_form(self, form, e):
        # What went wrong, not only the exception's class name.
        upload = form.cleaned_data.get("import_file")
        message = _("%(name)s could not be read as the format chosen: %(error)s")
        name = upload.name if upload else ""
        form.add_error("import_file", message % {"name": name, "error": str(e)[:300]})


# Editors paste bare domains; assume https (Django 6's default) rather than http.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class SlugMedia:
    # Listed after urlify.js so the merged media loads ours second and it wraps Django's.
    js = ("admin/js/urlify.js", "archive/admin/slugify.js")


class TranslatedNameAdmin(
    CheckedImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin, TabbedTranslationAdmin
):
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
class ArticleAdmin(
    CheckedImportMixin, ImportExportModelAdmin, SimpleHistoryAdmin, TabbedTranslationAdmin
):
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
