import logging

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from archive.languages import LANGUAGE_NAMES
from archive.ratelimit import limited
from archive.times import Publication

from . import service, suggest
from .engines import SearchUnavailable
from .query import clean_text

log = logging.getLogger(__name__)


def _perform(request, offers=False):
    page = request.GET.get("page")
    return service.perform(request.GET, get_language(), page, request.path, offers=offers)


def _json(payload, status=200):
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


@require_safe
@limited("search")
def search_page(request):
    try:
        page = _perform(request, offers=True)
    except service.PageNotFound as exc:
        raise Http404(_("There is no such page of results.")) from exc
    except SearchUnavailable:
        log.exception("search index unavailable")
        # The reader's words stay in the box, so trying again is one click.
        typed = service.SearchPage(params={"q": clean_text(request.GET.get("q", ""))[0]})
        context = {"unavailable": True, "page": typed}
        return render(request, "search/results.html", context, status=503)
    for result in page.results:  # what the page shows beyond the JSON
        if result["published_at"]:
            moment = parse_datetime(result["published_at"])
            result["published"] = Publication(moment, result["time_known"])
        result["language_name"] = LANGUAGE_NAMES.get(result["language"], result["language"])
    # The language switcher and canonical URL keep the search itself, as validated:
    # never a raw value (`to=junk`) or a parameter the search does not take.
    query = {**page.params, "exact": "1" if request.GET.get("exact") == "1" else ""}
    query["page"] = str(page.page) if page.page > 1 else ""
    canonical_query = urlencode({k: v for k, v in query.items() if v})
    context = {"page": page, "canonical_query": f"?{canonical_query}" if canonical_query else ""}
    return render(request, "search/results.html", context)


@require_safe
@limited("search", answer="json")
def search_api(request):
    try:
        page = _perform(request)
    except service.PageNotFound:
        return _json({"error": _("There is no such page of results.")}, status=404)
    except SearchUnavailable:
        log.exception("search index unavailable")
        message = _("Search is temporarily unavailable. Please try again in a minute.")
        return _json({"error": message}, status=503)
    return _json(page.as_json())


@require_safe
@limited("suggest", answer="json")
def suggest_api(request):
    """Completions for the search box; `?format=opensearch` for browsers."""
    text = request.GET.get("q", "")
    try:
        items = suggest.suggestions(text, get_language())
    except SearchUnavailable:
        items = []
    if request.GET.get("format") == "opensearch":
        payload = [
            text,
            [i["label"] for i in items],
            [i["kind"] for i in items],
            [request.build_absolute_uri(i["url"]) for i in items],
        ]
        return JsonResponse(
            payload,
            safe=False,
            json_dumps_params={"ensure_ascii": False},
            content_type="application/x-suggestions+json",
        )
    return _json({"query": text, "suggestions": items, "status": suggest.status(items)})


@require_safe
def opensearch(request):
    context = {
        # Here, not in the template: makemessages reads no .xml, so the words written
        # there were never offered for translation (English on /az/ and /).
        "short_name": _("News archive"),
        "description": _("Search the news archive in Russian, Azerbaijani and English"),
        "search_url": request.build_absolute_uri(reverse("search:page")),
        "suggest_url": request.build_absolute_uri(reverse("search:suggest")),
        "home_url": request.build_absolute_uri("/"),
    }
    return render(
        request,
        "search/opensearch.xml",
        context,
        content_type="application/opensearchdescription+xml",
    )
