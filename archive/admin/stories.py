"""Stories: a name and a description per language, and the story's articles in date
order, drafts included, each linked to its form. An article joins a story on its own
form (the «story» field, an autocomplete fed by this admin's search)."""

from django.contrib import admin
from django.db import connection
from django.db.models import Count, Max
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ..models import Story
from .common import SlugMedia
from .filters import OutOfRangeLookupsMixin
from .grammar_admin import GrammarAdminMixin
from .translation_tabs import TranslationTabsMixin


@admin.register(Story)
class StoryAdmin(OutOfRangeLookupsMixin, TranslationTabsMixin, GrammarAdminMixin, TranslationAdmin):
    Media = SlugMedia
    list_display = ("name", "article_count", "last_article", "slug")
    search_fields = ("name_ru", "name_az", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description", "timeline")
    readonly_fields = ("timeline",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(articles_count=Count("articles"), last=Max("articles__published_at"))
        )

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if connection.vendor == "sqlite" and not search_term.isascii():
            # SQLite folds the case of ASCII letters only: «конвенция» would miss «Конвенция».
            for variant in {search_term.lower(), search_term.capitalize()} - {search_term}:
                found |= super().get_search_results(request, queryset, variant)[0]
        return found, duplicates

    @admin.display(description=_("articles"), ordering="articles_count")
    def article_count(self, obj):
        count = obj.articles_count
        if not count:
            return 0
        url = reverse("admin:archive_article_changelist") + f"?story__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description=_("last article"), ordering="last")
    def last_article(self, obj):
        return obj.last

    @admin.display(description=_("timeline"))
    def timeline(self, obj):
        """The story's articles, oldest first, with date and status: one query."""
        if obj is None or obj.pk is None:
            return _("Articles join a story on their own form, in the «Story» field.")
        articles = obj.articles.order_by("published_at", "pk").only(
            "pk", "title", "title_ru", "title_az", "title_en", "published_at", "status"
        )
        rows = format_html_join(
            "",
            '<li><time datetime="{}">{}</time> · <a href="{}">{}</a> <small>({})</small></li>',
            (
                (
                    article.published_at.isoformat(),
                    date(timezone.localtime(article.published_at), "DATE_FORMAT"),
                    reverse("admin:archive_article_change", args=[article.pk]),
                    article.title,
                    article.get_status_display(),
                )
                for article in articles
            ),
        )
        if not rows:
            return _("No articles in this story yet: choose it in an article's «Story» field.")
        return format_html('<ol class="story-timeline">{}</ol>', rows)
