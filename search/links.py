"""The links a results page offers: facets that narrow, active filters that widen
again, sorting, pages and the feed of the search. All keep the reader's other
parameters; the JSON endpoint gets the same facet URLs, pointing at itself."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from archive.models import Tag

from .forms import SEARCH_PARAMS

FACET_SIZE = 12
# A tag facet narrows by the parameter of its kind, so a topic and a person combine.
TAG_PARAMS = {
    Tag.Kind.TOPIC: "tag",
    Tag.Kind.PERSON: "person",
    Tag.Kind.ORGANISATION: "organisation",
    Tag.Kind.PLACE: "place",
}


def url(path, params):
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def top(counts, size=FACET_SIZE):
    return [k for k, _n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[:size]]


def facets(counts, labels, params, path):
    """{"rubric": [...], "year": [...], "tags": [...]}: value, label, count, url; a value
    already in force is left out (it would narrow nothing)."""
    narrowed = {"rubric": [], "year": [], "tags": []}
    rubrics = counts.get("rubric", {})
    for slug in top(rubrics):
        if slug in labels["rubric"] and slug != params.get("rubric"):
            item = {"value": slug, "label": labels["rubric"][slug], "count": rubrics[slug]}
            narrowed["rubric"].append({**item, "url": url(path, {**params, "rubric": slug})})
    years = counts.get("year", {})
    for year in sorted(years, reverse=True):
        span = {"from": f"{year}-01-01", "to": f"{year}-12-31"}
        if len(years) > 1 or params.get("from") != span["from"]:
            item = {"value": year, "label": year, "count": years[year]}
            narrowed["year"].append({**item, "url": url(path, {**params, **span})})
    tags = counts.get("tags", {})
    for slug in top(tags):
        if slug not in labels["tags"]:
            continue
        name, kind = labels["tags"][slug]
        param = TAG_PARAMS.get(kind, "tag")
        if params.get(param) != slug:
            item = {"value": slug, "label": name, "kind": kind, "count": tags[slug]}
            narrowed["tags"].append({**item, "url": url(path, {**params, param: slug})})
    return narrowed


def navigation(page, path, active):
    """Links for the HTML page (the JSON has page numbers and facets instead); `active`:
    the chips of the filters in force (search.chips)."""
    params = page.params
    sorting = [
        {
            "label": label,
            "url": url(path, {**params, "sort": value if value != "relevance" else ""}),
            "current": (params.get("sort") or "relevance") == value,
        }
        for value, label in (("relevance", _("by relevance")), ("date", _("newest first")))
    ]
    feed = {k: v for k, v in params.items() if k in SEARCH_PARAMS}
    if page.original_query is not None:
        feed["q"] = page.query  # follow what was searched, not the typo
    # Nothing found, nothing to follow: an empty page offers other searches instead.
    followed = bool(params.get("q")) and page.count > 0
    return {
        "sorting": sorting,
        "pages": pages(page, path),
        "active": active,
        "feed": url(reverse("search:feed"), feed) if followed else "",
        "feed_atom": url(reverse("search:feed-atom"), feed) if followed else "",
    }


def page_url(path, params, number):
    """Page 1 has no `page` parameter: one address per page."""
    return url(path, {**params, "page": number if number > 1 else ""})


def pages(page, path, on_each_side=2, on_ends=1):
    """{"previous", "next", "numbers"}: the numbers as Django's elided page range gives
    them, each {"number", "url", "current"}, None for a gap («…»)."""
    if page.paginator is None or page.num_pages < 2:
        return {}
    numbers = []
    for number in page.paginator.get_elided_page_range(
        page.page, on_each_side=on_each_side, on_ends=on_ends
    ):
        if number == page.paginator.ELLIPSIS:
            numbers.append(None)
        else:
            item = {"number": number, "url": page_url(path, page.params, number)}
            numbers.append({**item, "current": number == page.page})
    return {
        "previous": page_url(path, page.params, page.page - 1) if page.page > 1 else "",
        "next": page_url(path, page.params, page.page + 1) if page.page < page.num_pages else "",
        "numbers": numbers,
    }
