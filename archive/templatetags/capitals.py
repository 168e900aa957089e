"""Django's `capfirst` filter, replaced in every template (settings.TEMPLATES builtins)
by one that writes Azerbaijani's dotted capital İ (archive/capitals.py)."""

from django import template
from django.template.defaultfilters import stringfilter

from ..capitals import capfirst_local

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def capfirst(value):
    return capfirst_local(value)
