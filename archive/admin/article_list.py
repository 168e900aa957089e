"""The article list's columns: two beside the checkbox, so the title gets the room.

The title cell holds the title, cut after two lines by CSS (article_list.css) with the
whole title in its tooltip, and under it one quiet line: rubric, source, a video flag.
Status and date share the second column, and the translation marks
(TranslationTabsMixin's column, «AZ: нет перевода») go under them; the last change is
in the date's tooltip."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import Article
from ..times import desk_time

LIST_MEDIA = forms.Media(css={"all": ("archive/admin/article_list.css",)})


def _when(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


class ArticleListColumns:
    """Columns for ArticleAdmin.list_display, and the list's stylesheet. Put it before
    the admin classes in the bases: their `media` is a property built by a metaclass."""

    list_display = ("headline", "publication")
    list_display_links = ("headline",)
    # Read by django-import-export as the template its own change list extends.
    change_list_template = "admin/archive/article/change_list.html"

    @property
    def media(self):
        return super().media + LIST_MEDIA

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return tuple(name for name in shown if name != "translation_status")

    @admin.display(description=_("title"), ordering="title")
    def headline(self, obj):
        meta = [("article-rubric", obj.rubric), ("article-source", obj.source)]
        if obj.has_video:
            meta.append(("article-video", _("video")))
        return format_html(
            '<span class="article-title" title="{0}">{0}</span>'
            '<span class="article-meta">{1}</span>',
            obj.title,
            format_html_join(" ", '<span class="{}">{}</span>', (m for m in meta if m[1])),
        )

    @admin.display(description=_("publication"), ordering="published_at")
    def publication(self, obj):
        if obj.status == Article.Status.DRAFT:
            state, label = "draft", obj.get_status_display()
        elif obj.published_at > timezone.now():
            state, label = "scheduled", _("scheduled")
        else:
            state, label = "published", obj.get_status_display()
        marks = getattr(self, "translation_status", None)
        return format_html(
            '<span class="article-state article-state-{}">{}</span> '
            '<time datetime="{}" title="{}">{}</time>{}',
            state,
            label,
            obj.published_at.isoformat(),
            _("Last changed %(time)s") % {"time": _when(obj.updated_at)},
            desk_time(obj.published_at, obj.time_known),
            marks(obj) if marks else "",
        )
