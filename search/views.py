import logging

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import service, suggest
from .engine import SearchUnavailable

log = logging.getLogger(__name__)


def _perform(request):
    return service.perform(request.GET, get_language(), request.GET.get("page"))


@require_GET
def search_page(request):
    try:
        page = _perform(request)
    except service.PageNotFound as exc:
        raise Http404(_("There is no such page of results.")) from exc
    except SearchUnavailable:
        log.exception("search index unavailable")
        return render(
            request,
            "search/results.html",
            {"unavailable": True, "page": service.SearchPage()},
            status=503,
        )
    return render(request, "search/results.html", {"page": page})


@require_GET
def search_api(request):
    try:
        page = _perform(request)
    except service.PageNotFound:
        return JsonResponse({"error": _("There is no such page of results.")}, status=404)
    except SearchUnavailable:
        log.exception("search index unavailable")
        return JsonResponse({"error": _("Search is temporarily unavailable.")}, status=503)
    return JsonResponse(page.as_json(), json_dumps_params={"ensure_ascii": False})


@require_GET
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
    return JsonResponse(
        {"query": text, "suggestions": items}, json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def opensearch(request):
    context = {
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
