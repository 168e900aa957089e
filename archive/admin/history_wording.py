"""The "changes" column of the revision history (django-simple-history) in words an
editor reads: «черновик → опубликована» rather than "draft → published", «—» rather than
"None", «Гасан Мансуров, ООН» rather than "[Гасан Мансуров, ООН]", dates as the admin
writes them; and each translated field once, by language («Заголовок [ru]»), without
the untranslated column modeltranslation keeps beside them."""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from modeltranslation.translator import NotRegistered, translator
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

# Django's "Yes" and "No" (its admin's), left out of the project's catalog by this name.
django_wording = gettext

EMPTY = "—"


def _translated_base_fields(model):
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


class HistoryWording(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta):
        hidden = _translated_base_fields(self.model)
        changes = [change for change in delta.changes if change.field not in hidden]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if isinstance(value, list):  # many-to-many: the related objects
            return ", ".join(str(item) for item in value) or EMPTY
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return EMPTY  # an empty foreign key is none chosen, not «Удалено (pk=None)»
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return django_wording("Yes") if value else django_wording("No")
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value
