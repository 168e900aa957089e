"""The history pages (django-simple-history's "History"). An address whose ids are not
numbers is not found (the library's lookup failed: a server error). The revert page of a
past version is built from the article the version rebuilds:

- its tags and related articles are the version's. That article's many-to-many fields
  read today's rows, so reverting kept today's tags (the library's issue #1063); the
  version's own rows are kept beside it, and are the form's initial values here;
- what the version names that was deleted since (a lead image, a story, the editor who
  made it) is none. The version keeps the ids: modeltranslation's form reads the deleted
  picture (a server error), and an id the form does not show was written back, failing
  at commit on its foreign key."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from modeltranslation.translator import NotRegistered, translator
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name


def _forget_deleted_rows(obj):
    try:
        # The untranslated column's id is the active language's: set, it would
        # overwrite that language's choice (its value is recomputed on save).
        untranslated = set(translator.get_options_for_model(type(obj)).all_fields)
    except NotRegistered:
        untranslated = set()
    for field in obj._meta.concrete_fields:
        if not field.many_to_one or field.name in untranslated:
            continue
        value = getattr(obj, field.attname)
        target = field.target_field.attname
        if value is not None and not (
            field.related_model._base_manager.filter(**{target: value}).exists()
        ):
            setattr(obj, field.attname, None)


def _found_or_404(field, value):
    try:
        field.to_python(unquote(value))
    except ValidationError:
        raise Http404 from None


class HistoryPagesMixin:
    """For a SimpleHistoryAdmin: its addresses checked, and a past version's m2m_fields
    and foreign keys as the version had them."""

    def history_view(self, request, object_id, extra_context=None):
        _found_or_404(self.opts.pk, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _found_or_404(self.opts.pk, object_id)
        history_model = getattr(self.model, self.opts.simple_history_manager_attribute).model
        _found_or_404(history_model._meta.pk, version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is None:
            return form_class
        _forget_deleted_rows(obj)
        initial = {
            field.name: list(
                getattr(version, field.name).values_list(
                    get_m2m_reverse_field_name(field), flat=True
                )
            )
            for field in getattr(version, "_history_m2m_fields", ())
            if field.name in form_class.base_fields
        }

        class VersionForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update(initial)

        return VersionForm
