"""Rubrics, tags and sources: named things with a slug, translated where readers see them."""

from django.contrib import admin
from django.db.models import Exists, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Article, Rubric, Source, Tag
from ..views import published_count
from .common import URL_FIELDS, SlugMedia
from .filters import OutOfRangeLookupsMixin
from .grammar_admin import GrammarAdminMixin
from .history_revert import HistoryPagesMixin
from .imports import CheckedImportMixin, RubricResource, TagResource
from .tag_search import FoldedTagSearch
from .translation_tabs import TranslationTabsMixin


class TranslatedNameAdmin(
    OutOfRangeLookupsMixin,
    TranslationTabsMixin,
    GrammarAdminMixin,  # titles and messages in the right case and gender
    CheckedImportMixin,
    ImportExportModelAdmin,
    HistoryPagesMixin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    Media = SlugMedia
    search_fields = ("name_ru", "name_az", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Rubric)
class RubricAdmin(TranslatedNameAdmin):
    resource_classes = [RubricResource]
    list_display = ("name", "slug", "position", "published_count")
    list_editable = ("position",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(published=published_count())

    @admin.display(description=_("published articles"), ordering="published")
    def published_count(self, obj):
        return obj.published


def tag_rows():
    """The article-tag rows of the list's tag (a subquery on the m2m table alone)."""
    return Article.tags.through.objects.filter(tag=OuterRef("pk")).order_by()


class TagUseFilter(admin.SimpleListFilter):
    """Tags in no article: those an editor made (the assist's one click included) and
    then took off, or whose articles were deleted. Cheap: EXISTS on the m2m table."""

    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("in no article")), ("used", _("in articles"))]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.filter(~Exists(tag_rows()))
        if self.value() == "used":
            return queryset.filter(Exists(tag_rows()))
        return queryset


@admin.register(Tag)
class TagAdmin(FoldedTagSearch, TranslatedNameAdmin):
    resource_classes = [TagResource]
    list_display = ("name", "kind", "slug", "used_in")
    list_filter = ("kind", TagUseFilter)

    def get_queryset(self, request):
        # A subquery per listed row: a join over all tags would count every article first.
        counted = tag_rows().annotate(n=Func("pk", function="COUNT")).values("n")
        return super().get_queryset(request).annotate(article_count=Coalesce(Subquery(counted), 0))

    @admin.display(description=_("articles"), ordering="article_count")
    def used_in(self, obj):
        count = getattr(obj, "article_count", 0)
        if not count:
            return 0
        url = reverse("admin:archive_article_changelist") + f"?tags__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, count)


@admin.register(Source)
class SourceAdmin(OutOfRangeLookupsMixin, GrammarAdminMixin, admin.ModelAdmin):
    Media = SlugMedia
    formfield_overrides = URL_FIELDS
    list_display = ("name", "url", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
