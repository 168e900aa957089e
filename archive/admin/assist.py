"""«Suggested tags» on the article form (archive.assist): a panel under the tags, filled
by a staff-only JSON endpoint from the Russian text the form holds now, and an endpoint
that makes a suggested new tag when the editor clicks it.

The tag is created on the click, not on save: the tags field is Django's autocomplete,
whose value is a list of tag ids, so a new tag needs an id before it can be chosen. A
tag clicked and then left off the article stays, unused, like one made in the tag list.
"""

import json
import unicodedata

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from .. import assist
from ..models import Tag
from ..ratelimit import limited
from ..sanitize import html_to_text
from ..tag_names import find_tag

# What one request may carry: the JSON as sent, and the Russian text read from it. A long
# feature is ~40,000 characters; 50,000 that name people in every sentence took the models
# 1.5-3.6 s on a busy 2-CPU machine (manage.py assist_quality): a worker is held that long.
MAX_REQUEST_BYTES = 1024 * 1024
MAX_TEXT_CHARS = 50_000
ASSIST_KINDS = (Tag.Kind.PERSON, Tag.Kind.ORGANISATION, Tag.Kind.PLACE)


def _error(message, status):
    return JsonResponse({"error": message}, status=status)


def _json_body(request):
    """The request's JSON object, or a JsonResponse saying what is wrong with it."""
    limit = getattr(settings, "ARCHIVE_ASSIST_MAX_REQUEST_BYTES", MAX_REQUEST_BYTES)
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if size > limit:
        message = _("The text sent takes %(size)s; suggestions read up to %(limit)s.")
        return _error(message % {"size": filesizeformat(size), "limit": filesizeformat(limit)}, 413)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return _error(_("The request is not a JSON object."), 400)
    return data


def _ids(values):
    return {int(v) for v in values if str(v).isdigit()} if isinstance(values, list) else set()


class TagAssistMixin:
    """For ArticleAdmin: list "tag_suggestions" in readonly_fields and a fieldset."""

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path(
                "assist/",
                view(limited("assist", answer="json")(require_POST(self.assist_view))),
                name="archive_article_assist",
            ),
            path(
                "assist/tag/",
                view(require_POST(self.assist_tag_view)),
                name="archive_article_assist_tag",
            ),
        ]
        return own + super().get_urls()

    @property
    def media(self):
        return super().media + forms.Media(
            js=["archive/admin/assist.js"], css={"all": ["archive/admin/assist.css"]}
        )

    @admin.display(description=gettext_lazy("Suggested tags"))
    def tag_suggestions(self, obj=None):
        # The panel's words are here, translated, for archive/admin/assist.js to use.
        return format_html(
            '<div class="assist-tags" data-url="{}" data-tag-url="{}" data-searching="{}" '
            'data-empty="{}" data-failed="{}" data-new="{}" data-added="{}">'
            '<div class="assist-tags__list"></div>'
            '<p class="assist-tags__status" role="status" aria-live="polite"></p>'
            '<button type="button" class="button assist-tags__find">{}</button>'
            '<p class="assist-tags__help">{}</p></div>',
            reverse("admin:archive_article_assist"),
            reverse("admin:archive_article_assist_tag"),
            _("Reading the Russian text…"),
            _("No people, organisations or places found in the Russian text."),
            _("Suggestions could not be loaded. Try again."),
            _("new"),
            _("Added to the tags: %(name)s"),
            _("Find in the text"),
            _(
                "People, organisations and places named in the Russian title, lead and "
                "body. Click one to add it to the tags; a new tag is made in the "
                "nominative case."
            ),
        )

    def _may_assist(self, request, obj=None):
        return self.has_change_permission(request, obj) or (
            obj is None and self.has_add_permission(request)
        )

    def get_fieldsets(self, request, obj=None):
        # Who may only view an article gets no panel: it could not add a tag.
        fieldsets = super().get_fieldsets(request, obj)
        if self._may_assist(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "tag_suggestions"]})
            for name, options in fieldsets
        ]

    def _check_assist_permission(self, request):
        if not self._may_assist(request):
            raise PermissionDenied

    def assist_view(self, request):
        self._check_assist_permission(request)
        data = _json_body(request)
        if isinstance(data, JsonResponse):
            return data
        parts = [data.get("title"), data.get("lead"), html_to_text(str(data.get("body") or ""))]
        text = "\n\n".join(str(p).strip() for p in parts if p)
        limit = getattr(settings, "ARCHIVE_ASSIST_MAX_TEXT_CHARS", MAX_TEXT_CHARS)
        if len(text) > limit:
            message = ngettext(
                "The Russian text is too long for suggestions (%(size)s, at most %(limit)s "
                "character). Shorten it, or add the tags by hand.",
                "The Russian text is too long for suggestions (%(size)s, at most %(limit)s "
                "characters). Shorten it, or add the tags by hand.",
                limit,
            )
            sizes = {"size": number_format(len(text)), "limit": number_format(limit)}
            return _error(message % sizes, 413)
        found = assist.suggest(text, exclude=_ids(data.get("tags"))) if text.strip() else []
        return JsonResponse({"suggestions": [_suggestion_json(s) for s in found]})

    def assist_tag_view(self, request):
        """The tag a suggestion names: the existing one, or one made now."""
        self._check_assist_permission(request)
        data = _json_body(request)
        if isinstance(data, JsonResponse):
            return data
        name = data.get("name")
        # A string of printable characters: an object or a list was made a tag named
        # by Python («{'a': 1}»), and PostgreSQL refuses a zero byte (a server error).
        name = " ".join(name.split()) if isinstance(name, str) else ""
        kind = data.get("kind")
        max_length = Tag._meta.get_field("name_ru").max_length
        printable = all(unicodedata.category(c) != "Cc" for c in name)
        if kind not in ASSIST_KINDS or not name or len(name) > max_length or not printable:
            message = _("A tag needs a kind and a name of 1 to %(max)s characters.")
            return _error(message % {"max": max_length}, 400)
        tag = find_tag(name, kind)
        created = False
        if tag is None:
            if not request.user.has_perm("archive.add_tag"):
                message = _("You may not create tags: ask an editor to create «%(name)s».")
                return _error(message % {"name": name}, 403)
            tag, created = Tag.objects.get_or_create(name_ru=name, kind=kind)
            if created:
                tag_admin = self.admin_site._registry[Tag]
                tag_admin.log_addition(request, tag, [{"added": {}}])
        return JsonResponse(
            {"id": tag.pk, "text": str(tag), "name": tag.name_ru, "created": created},
            status=201 if created else 200,
        )


def _suggestion_json(suggestion):
    return {
        "id": suggestion.tag_id,
        "name": suggestion.name,
        "text": str(suggestion.tag) if suggestion.tag else suggestion.name,
        "kind": suggestion.kind,
        "kind_label": str(Tag.Kind(suggestion.kind).label),
        "mentions": suggestion.mentions,
        "written": suggestion.written,
    }
