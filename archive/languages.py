"""Which language a reader actually sees, and which translations an article has.

modeltranslation fills a missing translation from the fallback languages (Russian, then
English, then Azerbaijani). Pages must say so, and must not present a fallback as a
translation to search engines, so the *_<lang> columns are read directly here.
"""

import re

from django.conf import settings
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

# Azerbaijani Latin letters folded to the ASCII a reader without the layout types.
_AZ_FOLD = str.maketrans({"ə": "e", "ı": "i", "ö": "o", "ü": "u", "ş": "s", "ç": "c", "ğ": "g"})


def fold_azerbaijani(word: str) -> str:
    return word.replace("i̇", "i").translate(_AZ_FOLD)


def folded(text: str) -> str:
    """How a name or title is compared with what a reader types: case folded, ё as е,
    Azerbaijani letters as the ASCII typed without the layout."""
    return fold_azerbaijani(text.casefold().replace("ё", "е"))


# A word is letters/digits, optionally joined by hyphens or apostrophes:
# «информационно-коммуникационных», «F-строки», «Нью-Йорк», «O'Neil».
WORD_PATTERN = r"\w+(?:[-'’]\w+)*"

_morph = None


def morph_analyzer():
    """The shared pymorphy3 analyzer (its dictionaries load once per process): the
    demo generator inflects with it, search lemmatizes with it."""
    global _morph
    if _morph is None:
        import pymorphy3

        _morph = pymorphy3.MorphAnalyzer()
    return _morph


def dictionary_lemmas(word: str, guess: bool = False) -> tuple[str, ...]:
    """Every dictionary form pymorphy3 gives a lowercased Russian word, ё folded to е.
    For a word the dictionary does not know: () (search.analysis adds its stem then), or
    with `guess`, the forms pymorphy3 predicts from its ending («гутерриша» → «гутерриш»)."""
    morph = morph_analyzer()
    if not guess and not morph.word_is_known(word):
        return ()
    return tuple(dict.fromkeys(p.normal_form.replace("ё", "е") for p in morph.parse(word)))


def name_search_key(*names) -> str:
    """Tag.search_key: each name folded, and each word of it, after a space, so that
    ` ` + what a reader typed is found by LIKE at the start of any word («каид» in
    «Аль-Каида», «рос» in «"Роснефть"»)."""
    parts = []
    for name in filter(None, names):
        name = folded(name)
        words = re.findall(r"\w+", name)
        parts += [name] if " ".join(words) == name else [name, *words]
    return "".join(f" {part}" for part in dict.fromkeys(parts))


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
ORIGINAL_LANGUAGE = settings.LANGUAGE_CODE
# Endonyms come from settings.LANGUAGES; these are the names in the reader's language.
LANGUAGE_NAMES = {
    "ru": pgettext_lazy("language name", "Russian"),
    "az": pgettext_lazy("language name", "Azerbaijani"),
    "en": pgettext_lazy("language name", "English"),
}
ENDONYMS = dict(settings.LANGUAGES)
# The language feed's title, one sentence per language (their grammar differs).
ARTICLES_IN = {
    "ru": _("articles in Russian"),
    "az": _("articles in Azerbaijani"),
    "en": _("articles in English"),
}
# Open Graph wants a territory with the language.
OG_LOCALES = {"ru": "ru_RU", "az": "az_AZ", "en": "en_US"}


def _filled(value):
    return value not in (None, "")


def shown_language(obj, field, lang=None):
    """The language whose text `obj.<field>` shows in `lang` (default: the active one)."""
    lang = lang or get_language()
    for code in resolution_order(lang):
        if _filled(getattr(obj, build_localized_fieldname(field, code), None)):
            return code
    return lang


def is_translated(article, lang):
    """An article exists in `lang` when its title is there, and its body too if it has one."""
    flag = getattr(article, f"has_{lang}", None)  # set by with_translation_flags()
    if flag is not None:
        return bool(flag)
    if not _filled(getattr(article, f"title_{lang}", None)):
        return False
    has_body = any(_filled(getattr(article, f"body_{code}", None)) for code in LANGUAGE_CODES)
    return not has_body or _filled(getattr(article, f"body_{lang}", None))


def translated_languages(article):
    """Languages the article really exists in, in settings order (Russian first)."""
    return [code for code in LANGUAGE_CODES if is_translated(article, code)]


def translation_filter(lang):
    """is_translated() as a Q, for querysets (the language feed, sitemaps)."""
    any_body = Q()
    for code in LANGUAGE_CODES:
        any_body |= Q(**{f"body_{code}__gt": ""})
    return Q(**{f"title_{lang}__gt": ""}) & (Q(**{f"body_{lang}__gt": ""}) | ~any_body)


def with_translation_flags(queryset):
    """Annotate has_<lang> so is_translated() needs no article bodies (used by sitemaps)."""
    return queryset.annotate(
        **{
            f"has_{code}": Case(
                When(translation_filter(code), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            for code in LANGUAGE_CODES
        }
    )
