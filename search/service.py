"""One search, as both the page and the JSON endpoint present it."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.core.paginator import InvalidPage, Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chips, empty, engines, labels, links, ranking, repairs
from .forms import FILTER_PARAMS, SearchForm
from .highlight import snippet
from .models import synonym_map
from .query import MAX_QUERY_LENGTH, ParsedQuery, clean_text, parse
from .ranking import RERANK_WINDOW

PER_PAGE = 20
# Results past this many are not paged to (a reader narrows the search instead): deep
# pages cost every shard of the cluster a sort of all the results before them, and
# OpenSearch refuses from + size past 10,000 (its max_result_window).
MAX_RESULTS = 10_000
LANGUAGE_ORDER = {"ru": ("ru", "en", "az"), "az": ("az", "ru", "en"), "en": ("en", "ru", "az")}
# Fewer results than this and a repaired query that finds more is offered ("did you mean").
FEW_RESULTS = 3


class PageNotFound(Exception):
    pass


@dataclass
class SearchPage:
    query: str = ""
    original_query: str | None = None  # what the reader typed, when we searched a repair
    original_url: str = ""  # that original query, searched as typed
    suggestion: str | None = None  # a repair: searched instead, or offered ("did you mean")
    suggestion_url: str = ""
    count: int = 0
    page: int = 1
    num_pages: int = 0
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    messages: list = field(default_factory=list)
    match: str = "all"  # "any" when no article held every word (see _try_any_word)
    searched: bool = False
    params: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)  # sorting, pages, active filters, feeds
    # The pages of results (a Paginator over the count: the engine pages, not Django).
    paginator: Paginator | None = None
    tries: empty.Tries | None = None  # what an empty page offers instead

    def as_json(self):
        return {
            "query": self.query,
            "count": self.count,
            "page": self.page,
            "num_pages": self.num_pages,
            "results": self.results,
            "facets": self.facets,
            "suggestion": self.suggestion,
            "original_query": self.original_query,
            "messages": self.messages,
            "match": self.match,
        }


def parse_page_number(value) -> int:
    """'3' -> 3; anything else that is not a page ('abc', '-1', '10**9') -> PageNotFound."""
    if value in (None, ""):
        return 1
    # ASCII digits only: str.isdigit() accepts «²» and «١», which int() refuses or reads.
    if not re.fullmatch(r"[0-9]{1,6}", str(value)) or int(value) < 1:
        raise PageNotFound(value)
    return int(value)


def perform(params, language="ru", page_param=None, path="", offers=False) -> SearchPage:
    """The search `params` ask for, as the page at `path` (which facet and repair
    links point to) shows it; with `offers`, what to try instead when nothing is found
    (the HTML page's). Raises PageNotFound and engines.SearchUnavailable."""
    page_number = parse_page_number(page_param)
    if (page_number - 1) * PER_PAGE >= MAX_RESULTS:
        raise PageNotFound(page_number)
    form = SearchForm(params)
    data = form.valid_data()
    result = SearchPage(page=page_number)
    result.messages.extend(form.error_messages())
    parsed = parse(data.get("q") or "")
    if parsed.truncated:
        result.messages.append(
            _("The query was too long; the first %(n)s characters were searched.")
            % {"n": MAX_QUERY_LENGTH}
        )
    filters = _filters(data)
    result.params = {k: v for k, v in _query_params(data).items() if v}
    result.query = parsed.text
    if not parsed and not any(filters.values()):
        if page_number > 1:  # nothing searched has one (empty) page; `?page=50` is none
            raise PageNotFound(page_number)
        return result
    result.searched = True
    run = dict(
        language=language,
        filters=filters,
        sort=data.get("sort") or "relevance",
        page=page_number,
        per_page=PER_PAGE,
        synonyms=synonym_map(),
    )
    # The first RERANK_WINDOW hits are fetched at once and reordered (search.ranking).
    reordered = (
        bool(parsed) and run["sort"] == "relevance" and page_number * PER_PAGE <= RERANK_WINDOW
    )
    if reordered:
        run.update(page=1, per_page=RERANK_WINDOW)
    outcome = engines.current().search(parsed, **run)
    unused_repair, repairs_known = None, {}
    if parsed and outcome.total < FEW_RESULTS and not data.get("exact"):
        outcome, unused_repair = _try_repair(result, parsed, outcome, run, path)
        if not outcome.total:  # the repair, if any, found nothing either: known
            repairs_known[parsed.text] = unused_repair
    if parsed and outcome.total == 0 and len(parsed.groups) > 1:
        outcome = _try_any_word(result, parsed, outcome, run)
        # Only when no typed word finds anything, the repair's words, though with every
        # word it found nothing either: used first, it replaced rare words readers meant
        # («полвека» by «полка») and lost more known items than it found.
        if not outcome.total and unused_repair is not None:
            outcome = _try_any_word(result, unused_repair, outcome, run)
            if outcome.total:
                _searched_instead(result, unused_repair, path)
    if outcome.capped:
        result.messages.append(
            _(
                "A word beginning with * stands for many words; the %(n)s most frequent "
                "of them were searched."
            )
            % {"n": engines.current().prefix_terms}
        )
    if outcome.loose_phrase:
        result.messages.append(
            _("A phrase of very common words: articles with all its words are shown, in any order.")
        )
    if reordered:
        start = (page_number - 1) * PER_PAGE
        outcome.hits = ranking.rerank(outcome.hits, outcome.parsed)[start : start + PER_PAGE]
    result.count = outcome.total
    # Only the count is paged: a range stands for the results a reader may page to.
    result.paginator = Paginator(range(min(outcome.total, MAX_RESULTS)), PER_PAGE)
    try:
        result.paginator.validate_number(page_number)
    except InvalidPage as exc:
        raise PageNotFound(page_number) from exc
    result.num_pages = result.paginator.num_pages if outcome.total else 0
    labels = _labels(outcome, result.params)
    marked = {lang: {} for lang in LANGUAGE_ORDER}  # words' matches, shared by the snippets
    result.results = [_result(hit, outcome, language, labels, marked) for hit in outcome.hits]
    result.facets = links.facets(outcome.facets, labels, result.params, path)
    active = chips.active_filters(result.params, path, labels)
    result.links = links.navigation(result, path, active)
    if offers and not result.count:
        exact = bool(data.get("exact"))
        result.tries = empty.tries(result, parsed, active, run, path, exact, repairs_known)
    return result


def _try_repair(result, parsed, outcome, run, path):
    """Nothing found: search the repaired query instead, and link the original.
    A little found: keep it, and offer the repair if it finds more."""
    repaired = repairs.repair(result.params.get("q", ""), parsed)
    if repaired is None:
        return outcome, None
    second = engines.current().search(repaired, **run)
    if second.total <= outcome.total:
        return outcome, repaired if not outcome.total else None
    if outcome.total:
        result.suggestion = repaired.text
        result.suggestion_url = links.url(path, {**result.params, "q": repaired.text})
        return outcome, None
    _searched_instead(result, repaired, path)
    return second, None


def _searched_instead(result, repaired, path):
    """The page shows what `repaired` found, and links what was typed."""
    result.suggestion = repaired.text
    result.original_query = clean_text(result.params.get("q", ""))[0]  # as typed
    result.query = repaired.text
    result.original_url = links.url(path, {**result.params, "exact": "1"})


def _try_any_word(result, parsed, outcome, run):
    """No article holds every word: show those holding most of them, and say so."""
    relaxed = engines.current().search(
        ParsedQuery(parsed.groups, parsed.excluded, parsed.truncated, match_any=True), **run
    )
    if not relaxed.total:
        return outcome
    result.messages.append(
        _("No article contains all the words; these contain some of them, the most first.")
    )
    result.match = "any"
    return relaxed


def _filters(data):
    filters = {
        index_field: [data[param]]
        for param, index_field in FILTER_PARAMS.items()
        if data.get(param)
    }
    # Dates are the newsroom's days; the index holds UTC (see ArticleIndex).
    tz = timezone.get_current_timezone()
    if data.get("start"):
        filters["from"] = datetime.combine(data["start"], time.min, tzinfo=tz).astimezone(UTC)
    if data.get("end"):
        filters["to"] = datetime.combine(data["end"], time.max, tzinfo=tz).astimezone(UTC)
    return filters


def _query_params(data):
    params = {"q": data.get("q") or ""}
    params.update({p: data.get(p) or "" for p in FILTER_PARAMS})
    params["from"] = data["start"].isoformat() if data.get("start") else ""
    params["to"] = data["end"].isoformat() if data.get("end") else ""
    params["sort"] = data.get("sort") or ""
    return params


# --- presenting hits -------------------------------------------------------------


def _labels(outcome, params):
    rubric_slugs = {h.fields.get("rubric") for h in outcome.hits} | set(
        outcome.facets.get("rubric", {})
    )
    rubric_slugs.add(params.get("rubric"))
    tag_slugs = {t for h in outcome.hits for t in _split(h.fields.get("tags"))}
    tag_slugs |= set(links.top(outcome.facets.get("tags", {})))
    tag_slugs |= {params.get(p) for p in ("tag", "person", "organisation", "place")}
    return labels.labels(rubric_slugs, tag_slugs, [params.get("source")])


def _split(value):
    if not value:
        return []
    return value if isinstance(value, list) else [v for v in value.split(",") if v]


def _result(hit, outcome, language, labels, marked):
    fields = hit.fields
    order = LANGUAGE_ORDER.get(language, LANGUAGE_ORDER["ru"])
    title_lang = next((lang for lang in order if fields.get(f"title_{lang}")), "ru")
    # The snippet comes from the first language (page's first) whose text matched,
    # else from the first one that has text.
    text_snippet, snippet_lang = "", title_lang
    for lang in order:
        text = fields.get(f"body_{lang}") or ""
        candidate = snippet(text, outcome.terms.get(lang, set()), lang, marked=marked[lang])
        if "<mark>" in candidate:
            text_snippet, snippet_lang = candidate, lang
            break
        if candidate and not text_snippet:
            text_snippet, snippet_lang = candidate, lang
    published = fields.get("published_at")
    rubric = fields.get("rubric")
    return {
        "id": int(fields["django_id"]),
        "url": reverse("archive:article-detail", kwargs={"slug": fields["slug"]}),
        "title": fields.get(f"title_{title_lang}") or "",
        "language": title_lang,
        "published_at": (
            timezone.localtime(published).isoformat() if isinstance(published, datetime) else None
        ),
        # False: the source gave the date alone, and the time above is a stand-in (noon).
        "time_known": fields.get("time_known") == "1",
        "rubric": labels["rubric"].get(rubric) if rubric else None,
        "tags": [labels["tags"][s][0] for s in _split(fields.get("tags")) if s in labels["tags"]],
        "snippet": text_snippet,
        "snippet_language": snippet_lang,
        "in_page_language": hit.language_match,
    }
