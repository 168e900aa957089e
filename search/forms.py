from django import forms
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """The reader's query and filters. Never raises: bad values become form errors
    that the page shows, and the search runs without them."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        strip=True,
        # a longer query is cut to MAX_QUERY_LENGTH with a message
        max_length=MAX_QUERY_LENGTH * 50,
    )
    rubric = forms.SlugField(required=False)
    tag = forms.SlugField(required=False)
    person = forms.SlugField(required=False)
    organisation = forms.SlugField(required=False)
    place = forms.SlugField(required=False)
    source = forms.SlugField(required=False)
    start = forms.DateField(label=_("from"), required=False)
    end = forms.DateField(label=_("to"), required=False)
    sort = forms.ChoiceField(
        label=_("sort"),
        required=False,
        choices=[("relevance", _("by relevance")), ("date", _("newest first"))],
    )

    def __init__(self, data, *args, **kwargs):
        # `from` is a Python keyword: read the date range from `from`/`to` parameters.
        data = data.copy()
        for param, name in (("from", "start"), ("to", "end")):
            if param in data and name not in data:
                data[name] = data[param]
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
