"""Autocomplete fields (tags, related articles, rubric, source, lead images, story) that
re-render a refused form whatever was posted: Django's widget looks the posted values up
to show them again, and `tags=abc` (or an id over 64 bits) raised there, a server error
after the field had already refused the value. Such values are left out of that lookup;
the field's own error message says what was wrong."""

from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    RelatedFieldWidgetWrapper,
)
from django.core.exceptions import ValidationError

BIGGEST_ID = 2**63 - 1  # SQLite's and PostgreSQL's bigint


def could_be_a_row(model, value):
    """Whether `value` can be looked up as a primary key of `model` at all."""
    try:
        found = model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return not isinstance(found, int) or -BIGGEST_ID <= found <= BIGGEST_ID


class _KnownValuesOnly:
    def optgroups(self, name, value, attrs=None):
        model = self.field.remote_field.model
        return super().optgroups(name, [v for v in value if could_be_a_row(model, v)], attrs)


class CheckedAutocompleteSelect(_KnownValuesOnly, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_KnownValuesOnly, AutocompleteSelectMultiple):
    pass


CHECKED = {
    AutocompleteSelect: CheckedAutocompleteSelect,
    AutocompleteSelectMultiple: CheckedAutocompleteSelectMultiple,
}


class CheckedAutocompleteMixin:
    """For a ModelAdmin with autocomplete_fields (modeltranslation's copies included)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        if type(widget) in CHECKED:
            widget.__class__ = CHECKED[type(widget)]
            field.clean = _refusing_impossible_ids(field, db_field.remote_field.model)
        return field


def _refusing_impossible_ids(field, model):
    """The field's clean(), refusing an id over 64 bits before SQLite is asked for it
    (an OverflowError there; PostgreSQL finds no row)."""
    clean = field.clean

    def checked(value):
        for one in value if isinstance(value, (list, tuple)) else [value]:
            if one not in field.empty_values and not could_be_a_row(model, one):
                message = (
                    field.error_messages.get("invalid_pk_value")
                    or field.error_messages["invalid_choice"]
                )
                raise ValidationError(message, code="invalid_choice", params={"pk": one})
        return clean(value)

    return checked
