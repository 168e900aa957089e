"""Which translations an article lacks or has let fall behind the original, in the
article list: a compact column and a filter. Both follow Article.translation_state()."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings

MARKS = {
    "original": _("original"),
    "missing": _("no translation"),
    "outdated": _("outdated"),
}
ALL_TRANSLATED = _("all translated")


def other_languages():
    """The languages translated from the original, in settings order."""
    original = mt_settings.DEFAULT_LANGUAGE
    return [code for code in mt_settings.AVAILABLE_LANGUAGES if code != original]


class TranslationStateFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            (f"{code}-{state}", f"{code.upper()}: {MARKS[state]}")
            for code in other_languages()
            for state in ("missing", "outdated")
        ]

    def queryset(self, request, queryset):
        code, _sep, state = (self.value() or "").partition("-")
        if code in other_languages() and state in ("missing", "outdated"):
            return queryset.in_translation_state(code, state)
        return queryset


@admin.display(description=_("translation"))
def translation_status(model_admin, obj):
    """ "AZ: no translation / EN: outdated", one language a line; the states are text,
    the colour only repeats them (translation_tabs.css)."""
    lacking = [
        (state, code.upper(), MARKS[state])
        for code in other_languages()
        if (state := obj.translation_state(code)) != "current"
    ]
    if not lacking:
        return format_html('<span class="translation-state">{}</span>', ALL_TRANSLATED)
    return format_html_join(
        "",
        '<span class="translation-state translation-state-{}">{}: {}</span>',
        lacking,
    )
