from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_LENGTH

MAX_RAW_QUERY = MAX_QUERY_LENGTH * 50
# The reader's filters: URL parameter -> index field (search_indexes.ArticleIndex).
FILTER_PARAMS = {
    "rubric": "rubric",
    "tag": "tags",
    "person": "persons",
    "organisation": "organisations",
    "place": "places",
    "source": "source",
}
# What a search is, as a URL (its feed, its canonical address): the query and filters.
SEARCH_PARAMS = ("q", *FILTER_PARAMS, "from", "to")


class SearchForm(forms.Form):
    """The reader's query and filters. Never raises: bad values become form errors
    that the page shows, and the search runs without them."""

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    rubric = forms.SlugField(label=_("rubric"), required=False)
    tag = forms.SlugField(label=_("tag"), required=False)
    person = forms.SlugField(label=_("person"), required=False)
    organisation = forms.SlugField(label=_("organisation"), required=False)
    place = forms.SlugField(label=_("place"), required=False)
    source = forms.SlugField(label=_("source"), required=False)
    # Years 1 and 9999 overflow once moved from Baku time to UTC; no news is that old.
    start = forms.DateField(
        label=_("from"),
        required=False,
        validators=[MinValueValidator(date(1800, 1, 1)), MaxValueValidator(date(2999, 12, 31))],
    )
    end = forms.DateField(
        label=_("to"),
        required=False,
        validators=[MinValueValidator(date(1800, 1, 1)), MaxValueValidator(date(2999, 12, 31))],
    )
    sort = forms.ChoiceField(
        label=_("sort"),
        required=False,
        choices=[("relevance", _("by relevance")), ("date", _("newest first"))],
    )
    # Set by the "search for what you typed" link: no repair of the query.
    exact = forms.BooleanField(required=False)

    def __init__(self, data, *args, **kwargs):
        # `from` is a Python keyword: read the date range from `from`/`to` parameters.
        data = data.copy()
        for param, name in (("from", "start"), ("to", "end")):
            if param in data and name not in data:
                data[name] = data[param]
        if data.get("q"):
            # A query is cut later with a message (search.query.clean_text); here it is
            # only bounded, and NUL bytes, which CharField rejects outright, are dropped.
            data["q"] = data["q"][:MAX_RAW_QUERY].replace("\x00", " ")
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
            cleaned["end"] = None
        return cleaned

    def valid_data(self):
        """The fields that passed validation; invalid ones are left out."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}

    def error_messages(self):
        """«дата по: Введите правильную дату.», named as the reader knows the field."""
        messages = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            label = f"{field.label or name}: " if field else ""
            messages.extend(f"{label}{error}" for error in errors)
        return messages
