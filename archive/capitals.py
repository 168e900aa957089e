"""capfirst with Azerbaijani's dotted capital: «istifadəçi» → «İstifadəçi».

Django capitalises a name with Python's "i".upper(), the dotless «I», which in
Azerbaijani (and Turkish) is the capital of «ı», not of «i». The admin's sentences
(admin/grammar.py), its labels (admin/grammar_admin.py, the login form in
admin/accounts.py) and every template's `capfirst` (templatetags/capitals.py, a
template builtin) capitalise here instead.
"""

from django.utils.functional import keep_lazy_text
from django.utils.text import capfirst
from django.utils.translation import get_language

DOTTED_I_LANGUAGES = ("az", "tr")


@keep_lazy_text
def capfirst_local(text):
    """capfirst in the active language: a lazy name stays lazy (a form's label)."""
    text = str(text)
    if text[:1] == "i" and get_language() in DOTTED_I_LANGUAGES:
        return "İ" + text[1:]
    return capfirst(text)
