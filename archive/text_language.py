"""The language of a text the page shows, when no field says it: a source's name or a
picture's credit (one text for every language, as the editor typed it), a breadcrumb, a
feed's subject. Of the site's languages only Russian is written in Cyrillic, and only
Azerbaijani writes «ə»: on a page in another language such text is marked with its own
lang, so a screen reader reads it with the right voice."""

import re

from modeltranslation.utils import build_localized_fieldname

CYRILLIC = re.compile("[\u0400-\u04ff]")
SCHWA = re.compile("[Əə]")


def script_language(text, page_language):
    """The language `text` is evidently in when it is not the page's, else None."""
    text = str(text or "")
    if page_language != "ru" and CYRILLIC.search(text):
        return "ru"
    if page_language != "az" and SCHWA.search(text):
        return "az"
    return None


def is_untranslated(obj, field):
    """Whether obj.<field> is one text for every language (no *_ru, *_az, *_en columns)."""
    return not hasattr(obj, build_localized_fieldname(field, "ru"))
