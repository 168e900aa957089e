"""One URL per page: the query parameters each cached view takes, and the date converters.

Every cached view names its parameters (a tuple of `Param`, passed to `cached_page` in
urls.py, or `ArticleFeed.params`). A request is then one of three things:

- canonical: the path is what `reverse()` gives for it and the query string holds only
  known parameters, normalized, in the declared order, defaults left out — served (and
  cached);
- another spelling of a canonical URL (`?utm_source=…`, `?page=01`, `?page=1`, a repeated
  parameter, `/2024/8/9/`): a 301 to the canonical URL;
- an invalid value of a known parameter (`?kind=bogus`, `?page=abc`, `?page=0`) or an
  impossible date: a 404.

So only canonical URLs reach a view through the cache, and a flood of distinct URLs makes
redirects and 404s, none of which is cached.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.http import urlencode

from .models import Tag


@dataclass(frozen=True)
class Param:
    name: str
    # The canonical spelling of a value, None for the default (the bare URL); Http404
    # for a value that is not one.
    clean: Callable[[str], str | None]


# ASCII digits only, nine at most: a page number beyond that is junk, not a long list.
_PAGE_NUMBER = re.compile(r"0*([1-9][0-9]{0,8})")


def _page(value):
    if value == "":
        return None
    match = _PAGE_NUMBER.fullmatch(value)
    if match is None:
        raise Http404("Not a page number")
    number = match.group(1)
    return None if number == "1" else number


def _only_page(value):
    # Pages that are never split: page 1 is the bare URL, any other is past the end.
    if _page(value) is not None:
        raise Http404("This page has one page")
    return None


def _kind(value):
    if value == "":
        return None
    if value not in Tag.Kind.values:
        raise Http404("No such kind of tag")
    return value


PAGE = Param("page", _page)  # a list paged by Django's Paginator (past the end: its 404)
ONLY_PAGE = Param("page", _only_page)  # home, the archive index
SITEMAP_PAGE = Param("p", _page)  # django.contrib.sitemaps pages with ?p=
KIND = Param("kind", _kind)  # the tag index, one kind at a time


def canonical_query(request, params):
    """The canonical query string of `request` ("" or "?..."); Http404 for a bad value.

    A repeated parameter counts by its last value, the one QueryDict.get() gives a view.
    """
    values = []
    for param in params:
        if param.name in request.GET:
            value = param.clean(request.GET.getlist(param.name)[-1])
            if value is not None:
                values.append((param.name, value))
    return f"?{urlencode(values)}" if values else ""


def canonical_path(request, match=None):
    """The one spelling of the path `request` resolved to (percent-encoded), or of the
    path `match` resolved to (archive/addresses.py)."""
    match = match or request.resolver_match
    # Converters write each value one way (DateConverter below), so reversing the match
    # gives the one spelling; the language prefix comes from the active language.
    return reverse(match.view_name, args=match.args, kwargs=match.captured_kwargs)


def redirect_if_not_canonical(request, params):
    """A 301 to the canonical URL, or None when `request` asks for it already."""
    path, query = canonical_path(request), canonical_query(request, params)
    asked = request.META.get("QUERY_STRING", "")
    # request.path is decoded and reverse() encodes: compare decoded paths, or a path
    # with a space or a non-ASCII letter would redirect to itself forever.
    if unquote(path) != request.path or query != (f"?{asked}" if asked else ""):
        return HttpResponsePermanentRedirect(path + query)
    return None


class DateConverter:
    """A year, month or day in a date archive URL: any number of digits in, one spelling
    out (`/2024/08/09/`); a month or day that cannot exist matches nothing (a 404).

    Months and days are written with two digits: the form news sites and ISO 8601 use,
    so a URL reads like its date and sorts with it; `/2024/8/` is a 301 to `/2024/08/`.
    """

    regex = "[0-9]{1,9}"
    low, high, width = 1, 9999, 1

    def to_python(self, value):
        number = int(value)
        if not self.low <= number <= self.high:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return f"{int(value):0{self.width}d}"


class YearConverter(DateConverter):
    pass


class MonthConverter(DateConverter):
    high, width = 12, 2


class DayConverter(DateConverter):
    high, width = 31, 2
