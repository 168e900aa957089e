"""The delete page of an object other rows protect (a rubric's or a source's articles,
on_delete=PROTECT): those rows named, at most PROTECTED_SHOWN of them, and how many more.

Django collects every related row and writes a line with a link for each before it
finds the deletion impossible: the corpus's one source (20,911 articles) took 4.6 s and
a 4.9 MB page. Protecting rows are counted first here, and when there are any, the
deletion is refused without Django's collection."""

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from ..capitals import capfirst_local

PROTECTED_SHOWN = 50


def protecting_rows(opts, objs, admin_site):
    """Lines naming the rows that protect `objs` (a list), [] when none does."""
    pks = [obj.pk for obj in objs]
    lines, total = [], 0
    for relation in opts.related_objects:
        if relation.on_delete is not models.PROTECT:
            continue
        model = relation.related_model
        rows = model._base_manager.filter(**{f"{relation.field.name}__in": pks})
        count = rows.count()
        total += count
        room = PROTECTED_SHOWN - len(lines)
        if count and room > 0:
            lines += [_line(model, row, admin_site) for row in rows.order_by("-pk")[:room]]
    if total > len(lines):
        more = total - len(lines)
        lines.append(
            ngettext("… and %(count)s more", "… and %(count)s more", more) % {"count": more}
        )
    return lines


def _line(model, row, admin_site):
    name = capfirst_local(model._meta.verbose_name)
    if model not in admin_site._registry:
        return f"{name}: {row}"
    try:
        url = reverse(
            f"{admin_site.name}:{model._meta.app_label}_{model._meta.model_name}_change",
            args=[row.pk],
        )
    except NoReverseMatch:
        return f"{name}: {row}"
    return format_html('{}: <a href="{}">{}</a>', name, url, row)
