"""The filters in force on a results page, as chips a reader reads aloud: «Рубрика: ИКТ»,
«Место: Баку», «2024 год», each with the link that takes it away again."""

from datetime import date

from django.utils.translation import gettext as _

from .links import url
from .periods import period


def _named(param):
    return {
        "rubric": _("Rubric: %(name)s"),
        "tag": _("Tag: %(name)s"),
        "person": _("Person: %(name)s"),
        "organisation": _("Organisation: %(name)s"),
        "place": _("Place: %(name)s"),
        "source": _("Source: %(name)s"),
    }[param]


def _day(value):
    return date.fromisoformat(value) if value else None


def active_filters(params, path, labels):
    """[{"label", "params" (the parameters it stands for), "remove_url"}] in the order
    of the form; `params` hold the validated search, `labels` the names by slug."""
    active = []
    for param in ("rubric", "tag", "person", "organisation", "place", "source"):
        value = params.get(param)
        if not value:
            continue
        if param in ("rubric", "source"):
            name = labels[param].get(value, value)
        else:
            name = labels["tags"].get(value, (value,))[0]
        active.append(_chip(_named(param) % {"name": name}, (param,), params, path))
    if params.get("from") or params.get("to"):
        words = period(_day(params.get("from")), _day(params.get("to")))
        active.append(_chip(words, ("from", "to"), params, path))
    return active


def _chip(label, taken, params, path):
    rest = {k: v for k, v in params.items() if k not in taken}
    return {"label": label, "params": taken, "remove_url": url(path, rest)}
