"""List filters that stay small and cheap however many choices and rows there are.

Django's RelatedFieldListFilter writes a link for every tag (or source) into the
sidebar: thousands on a real archive. AutocompleteFilter writes one select2 input that
asks the admin's own autocomplete endpoint as the editor types, and links only for
"all", the chosen item and "none".

A filter across a many-to-many relation (a tag, a tag's kind) declared the usual way,
("tags", SomeFieldListFilter), makes Django read the list with SELECT DISTINCT over
every column, bodies included: filtering 20,000 articles by a tag kind took 2-5 s on
SQLite (README, "The admin"). These filters are plain ListFilters (Django adds no
DISTINCT for those) and test the relation with EXISTS on its own table, which reads
only the first page's rows."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.filters import FacetsMixin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Listed after the files they need, so that merging media keeps them after those.
FILTER_MEDIA = forms.Media(
    js=(
        "admin/js/jquery.init.js",
        "admin/js/autocomplete.js",
        "archive/admin/autocomplete_filter.js",
    ),
    css={"screen": ("admin/css/autocomplete.css", "archive/admin/autocomplete_filter.css")},
)


def related_rows(field, **lookups):
    """EXISTS over the rows of many-to-many `field`'s own table for the list's row."""
    through = field.remote_field.through.objects
    return Exists(through.filter(**{field.m2m_field_name(): OuterRef("pk"), **lookups}))


class FilterSelect(AutocompleteSelect):
    """Django's autocomplete select holding the chosen object (already read: no query
    for it again), with a placeholder (Django's own always sets "")."""

    placeholder = _("Type a name…")

    def __init__(self, field, admin_site, chosen=None, attrs=None):
        super().__init__(field, admin_site, attrs)
        self.chosen = chosen  # (value, label) or None

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {
            **super().build_attrs(base_attrs, extra_attrs),
            "data-placeholder": self.placeholder,
        }

    def optgroups(self, name, value, attrs=None):
        options = [self.create_option(name, "", "", False, 0)]
        if self.chosen is not None:
            options.append(self.create_option(name, *self.chosen, True, 1))
        return [(None, options, 0)]


class AutocompleteFilter(FacetsMixin, admin.ListFilter):
    """A filter by one foreign key or many-to-many field of the list's model, whose
    model's admin has search_fields: list_filter = [AutocompleteFilter.on("tags")].
    Choosing goes to ?<field>__<pk>__exact=<id>, as Django's own related filter does;
    ?<field>__isnull=True lists the rows with none."""

    template = "admin/archive/autocomplete_filter.html"
    field_path = None

    @classmethod
    def on(cls, field_path):
        return type(f"{cls.__name__}_{field_path}", (cls,), {"field_path": field_path})

    def __init__(self, request, params, model, model_admin):
        self.field = model._meta.get_field(self.field_path)
        self.title = self.field.verbose_name
        super().__init__(request, params, model, model_admin)
        self.lookup_kwarg = f"{self.field_path}__{self.field.target_field.name}__exact"
        self.lookup_kwarg_isnull = f"{self.field_path}__isnull"
        for name in self.expected_parameters():
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.lookup_val = self.used_parameters.get(self.lookup_kwarg)
        self.lookup_val_isnull = self.used_parameters.get(self.lookup_kwarg_isnull) in ("1", "True")
        self.admin_site = model_admin.admin_site
        self.remote_model = self.field.remote_field.model
        self.empty_value_display = model_admin.get_empty_value_display()
        self.chosen = self._chosen_object()

    def _chosen_object(self):
        # One query, for the name of the chosen item; a malformed id is answered by
        # queryset(), the way Django answers any bad lookup.
        if self.lookup_val is None:
            return None
        target = self.field.target_field.name
        try:
            return self.remote_model._default_manager.filter(**{target: self.lookup_val}).first()
        except (ValueError, TypeError, ValidationError):
            return None

    @property
    def chosen_value(self):
        return getattr(self.chosen, self.field.target_field.attname)

    def has_output(self):
        return True

    @property
    def include_empty_choice(self):
        return self.field.null or self.field.many_to_many

    def expected_parameters(self):
        return [self.lookup_kwarg, self.lookup_kwarg_isnull]

    def _condition(self, value=None, isnull=False):
        if not self.field.many_to_many:
            if isnull:
                return models.Q(**{self.lookup_kwarg_isnull: True})
            return models.Q(**{self.lookup_kwarg: value})
        if isnull:
            return ~related_rows(self.field)
        return related_rows(self.field, **{self.field.m2m_reverse_field_name(): value})

    def queryset(self, request, queryset):
        try:
            if self.lookup_val_isnull:
                return queryset.filter(self._condition(isnull=True))
            if self.lookup_val is not None:
                return queryset.filter(self._condition(self.lookup_val))
        except (ValueError, TypeError, ValidationError) as exc:
            raise IncorrectLookupParameters(exc) from exc
        return queryset

    def input_html(self):
        """The select2 input, as Django's autocomplete widget renders it for a form,
        holding only the chosen item (the others come from the endpoint)."""
        chosen = (self.chosen_value, str(self.chosen)) if self.chosen else None
        widget = FilterSelect(self.field, self.admin_site, chosen)
        attrs = {
            "id": f"filter_{self.field_path}",
            "aria-label": self.title,
            "data-filter-parameter": self.lookup_kwarg,
            "data-width": "100%",  # select2: as wide as the sidebar
        }
        value = self.chosen_value if self.chosen else None
        return widget.render(self.lookup_kwarg, value, attrs=attrs)

    def get_facet_counts(self, pk_attname, filtered_qs):
        counts = {}
        if self.chosen is not None:
            chosen = self._condition(self.chosen_value)
            counts["chosen__c"] = models.Count(pk_attname, filter=chosen)
        if self.include_empty_choice:
            empty = self._condition(isnull=True)
            counts["empty__c"] = models.Count(pk_attname, filter=empty)
        return counts

    def choices(self, changelist):
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else {}

        def counted(label, key):
            return f"{label} ({counts[key]})" if key in counts else label

        yield {
            "selected": self.lookup_val is None and not self.lookup_val_isnull,
            "query_string": changelist.get_query_string(remove=self.expected_parameters()),
            "display": _("All"),
        }
        if self.chosen is not None:
            yield {
                "selected": True,
                "query_string": changelist.get_query_string(
                    {self.lookup_kwarg: self.chosen_value}, [self.lookup_kwarg_isnull]
                ),
                "display": counted(str(self.chosen), "chosen__c"),
            }
        if not self.include_empty_choice:
            return
        yield {
            "selected": self.lookup_val_isnull,
            "query_string": changelist.get_query_string(
                {self.lookup_kwarg_isnull: "True"}, [self.lookup_kwarg]
            ),
            "display": counted(self.empty_value_display, "empty__c"),
        }


class RelatedChoicesFilter(admin.SimpleListFilter):
    """A filter by a field with choices of a many-to-many related model, such as the
    kind of an article's tags: RelatedChoicesFilter.on("tags", "kind"). Keeps the URL
    Django's ("tags__kind", ...) filter had: ?tags__kind=person."""

    relation = field_name = None

    @classmethod
    def on(cls, relation, field_name, title=None):
        attrs = {
            "relation": relation,
            "field_name": field_name,
            "parameter_name": f"{relation}__{field_name}",
        }
        if title is not None:
            attrs["title"] = title
        return type(f"{cls.__name__}_{relation}_{field_name}", (cls,), attrs)

    def __init__(self, request, params, model, model_admin):
        self.field = model._meta.get_field(self.relation)
        self.choice_field = self.field.remote_field.model._meta.get_field(self.field_name)
        if self.title is None:
            self.title = self.choice_field.verbose_name
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return self.choice_field.flatchoices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        target = self.field.m2m_reverse_field_name()
        return queryset.filter(related_rows(self.field, **{f"{target}__{self.field_name}": value}))


def list_filter_media(list_filter, admin_site):
    """Media of the list filters that need some: Django's changelist gathers none."""
    if any(isinstance(f, type) and issubclass(f, AutocompleteFilter) for f in list_filter):
        # The select2 files and its translation for the active language, as the
        # autocomplete widgets of the change form load them.
        return AutocompleteSelect(None, admin_site).media + FILTER_MEDIA
    return forms.Media()


class PrefetchingChangeList(ChangeList):
    """select_related's INNER JOIN, with a filter on that relation (a source), let
    SQLite start from the source and sort all of its 20,000 articles, bodies included
    (~0.4 s). The model admin's `list_prefetch_related` reads the page's related rows
    in one small query each instead, and the list is read down the date's index."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.prefetch_related(*getattr(self.model_admin, "list_prefetch_related", ()))


class ScalableFiltersMixin:
    """For a ModelAdmin with these filters: their media, and PrefetchingChangeList.
    Put it before the admin classes in the bases: their `media` is a property built by
    a metaclass."""

    @property
    def media(self):
        return super().media + list_filter_media(self.list_filter, self.admin_site)

    def get_changelist(self, request, **kwargs):
        return PrefetchingChangeList


# What a lookup the database cannot hold raises once the list is read.
OUT_OF_RANGE = (OverflowError, ValueError)


class OutOfRangeLookupsMixin:
    """For every ModelAdmin: a lookup the database cannot hold (a year 1 date, which is
    before 0001-01-01 in UTC from Baku; year 9999's next year in Django's date drill-down;
    an id over 64 bits) fails only when the list is read, inside Django's ChangeList,
    where a bad lookup is not expected any more: a server error. It is a bad lookup
    here, answered as Django answers any, by the list with «?e=1»."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OUT_OF_RANGE as error:
            raise IncorrectLookupParameters(error) from error

    def response_action(self, request, queryset):
        # The same for an action's checked rows that are no ids ("abc", 2**80): the
        # action read them and failed. Django's words when none is checked.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(_is_id(self.opts.pk, value) for value in selected):
            self.message_user(request, django_wording(NONE_SELECTED), messages.WARNING)
            return None
        return super().response_action(request, queryset)


# Django's own sentence, from its catalog (left out of the project's by this name).
django_wording = gettext
NONE_SELECTED = (
    "Items must be selected in order to perform actions on them. No items have been changed."
)


def _is_id(field, value):
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    if not isinstance(value, int):
        return True
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (low is None or value >= low) and (high is None or value <= high)
