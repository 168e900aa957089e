"""One language switch for a whole translated form, in place of modeltranslation's
jQuery UI tab strip on every field (archive/static/archive/admin/translation_tabs.js).

Put `TranslationTabsMixin` first among an admin's bases, before modeltranslation's
`TranslationAdmin` (or `TabbedTranslationAdmin`, whose scripts it then leaves out)."""

import json

from django import forms
from django.conf import settings
from django.db import models
from django.http import HttpResponseRedirect
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings

from .translation_state import (
    MARKS,
    TranslationStateFilter,
    other_languages,
    translation_status,
)

# The hidden field the script adds: the language shown when the form was saved.
LANGUAGE_PARAM = "_translation_language"
# The URL fragment that reopens a form on a language (kept across "save and continue").
HASH_PREFIX = "#lang="
SAVES_BACK_TO_A_FORM = ("_continue", "_addanother", "_saveasnew")

# What modeltranslation's tabbed admin loads and this mixin replaces.
REPLACED_ASSETS = {
    "modeltranslation/js/force_jquery.js",
    "modeltranslation/js/tabbed_translation_fields.js",
    "modeltranslation/css/tabbed_translation_fields.css",
    mt_settings.JQUERY_UI_URL,
}

SHARED_SLUG_NOTE = _(
    "The same address in every language: only the language prefix differs (/az/…, /en/…)."
)

TEXT = {
    "label": _("Language of the text"),
    "original": _("Original text"),
    "empty": _("(empty)"),
    "errors": _("has errors"),
    "showOriginal": _("Show the original"),
}


def _asset_path(asset):
    return getattr(asset, "_path", asset)


class TranslationTabsMixin:
    """Translated fields shown one language at a time, chosen once for the whole form;
    each language marked when its translation is missing or older than the original.
    On a model with `translation_state()` (Article) the list gets the same marks as a
    column and a filter, read from the row itself (no query per row)."""

    class Media:
        js = ("archive/admin/translation_tabs.js",)
        css = {"all": ("archive/admin/translation_tabs.css",)}

    @property
    def media(self):
        media = super().media
        css = {
            medium: [c for c in sheets if _asset_path(c) not in REPLACED_ASSETS]
            for medium, sheets in media._css.items()
        }
        js = [j for j in media._js if _asset_path(j) not in REPLACED_ASSETS]
        return forms.Media(css=css, js=js) + forms.Media(TranslationTabsMixin.Media)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        language = getattr(db_field, "language", None)
        original = getattr(db_field, "translated_field", None)
        if language and original is not None:
            widget = getattr(field.widget, "widget", field.widget)  # related-field wrapper
            widget.attrs.update(
                {
                    "lang": language,
                    "data-translation-language": language,
                    "data-translation-of": original.name,
                }
            )
        elif isinstance(db_field, models.SlugField) and db_field.name not in self._translated():
            field.help_text = format_lazy("{} {}", field.help_text, SHARED_SLUG_NOTE)
        return field

    def _translated(self):
        return self.trans_opts.all_fields if hasattr(self, "trans_opts") else {}

    def translation_states(self, obj):
        """{language: "missing" | "outdated" | "current"} for the languages other than
        the original, as the object was saved."""
        states = {}
        for code in other_languages():
            if obj is None or obj.pk is None:
                states[code] = "missing"
            elif hasattr(obj, "translation_state"):
                states[code] = obj.translation_state(code)
            else:
                filled = any(getattr(obj, f"{name}_{code}", None) for name in self._translated())
                states[code] = "current" if filled else "missing"
        return states

    def translation_tabs_config(self, request, obj):
        names = dict(settings.LANGUAGES)
        states = self.translation_states(obj)
        posted = request.POST.get(LANGUAGE_PARAM, "") if request.method == "POST" else ""
        languages = [
            {
                "code": code,
                "name": names.get(code, code),
                "state": states.get(code, "original"),
                "mark": str(MARKS.get(states.get(code, "original"), "")),
            }
            for code in mt_settings.AVAILABLE_LANGUAGES
        ]
        return {
            "original": mt_settings.DEFAULT_LANGUAGE,
            "initial": posted if posted in mt_settings.AVAILABLE_LANGUAGES else "",
            "param": LANGUAGE_PARAM,
            "hashPrefix": HASH_PREFIX,
            "languages": languages,
            "text": {key: str(value) for key, value in TEXT.items()},
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        payload = json.dumps(self.translation_tabs_config(request, obj), ensure_ascii=False)

        # The script reads its settings from the first translated field's attributes:
        # CSP allows no inline script, and no template of ours has to be overridden.
        def __init__(self, *args, **kwargs):
            form.__init__(self, *args, **kwargs)
            for bound in self.fields.values():
                widget = getattr(bound.widget, "widget", bound.widget)
                if "data-translation-language" in widget.attrs:
                    widget.attrs["data-translation-tabs"] = payload
                    break

        return type(form.__name__, (form,), {"__init__": __init__, "__module__": __name__})

    def _keep_language(self, request, response):
        code = request.POST.get(LANGUAGE_PARAM)
        if (
            isinstance(response, HttpResponseRedirect)
            and code in mt_settings.AVAILABLE_LANGUAGES
            and any(key in request.POST for key in SAVES_BACK_TO_A_FORM)
        ):
            location = response["Location"].split("#")[0]
            response["Location"] = f"{location}{HASH_PREFIX}{code}"
        return response

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._keep_language(request, response)

    def response_change(self, request, obj):
        return self._keep_language(request, super().response_change(request, obj))

    # The list: a compact column and a filter, where the model can say its state.
    translation_status = translation_status

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if hasattr(self.model, "translation_state") and "translation_status" not in shown:
            shown = (*shown, "translation_status")
        return shown

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if hasattr(self.model, "translation_state") and TranslationStateFilter not in filters:
            filters = (*filters, TranslationStateFilter)
        return filters
