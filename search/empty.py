"""What a results page that found nothing offers instead, each with the number of
articles it finds: the query repaired, or one word swapped for a near word of the
archive; the search without one of its filters; the name the reader typed as the
other languages write it. Only an empty page pays for these counts."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import translation

from archive.languages import LANGUAGE_CODES, LANGUAGE_NAMES, folded
from archive.models import Tag

from . import engines, links, repairs
from .forms import FILTER_PARAMS
from .names import UNKNOWN, reading
from .query import ParsedQuery, parse

MAX_WORDS = 5  # near words offered, at most
MAX_NAMES = 20  # tags read to find the typed name among their names


@dataclass
class Try:
    label: str
    url: str
    count: int
    language: str = ""  # the language the label and the page it opens are in

    @property
    def language_name(self):
        return LANGUAGE_NAMES.get(self.language, self.language)


@dataclass
class Tries:
    words: list = field(default_factory=list)  # the query repaired, or a word replaced
    widen: list = field(default_factory=list)  # a filter (or all of them) dropped
    languages: list = field(default_factory=list)  # the typed name in other languages

    def __bool__(self):
        return bool(self.words or self.widen or self.languages)


class _Counter:
    """Articles a search finds, as a page of it would count them: as typed, else (as
    search.service does for a query that finds nothing) repaired, else any word."""

    def __init__(self, run, exact, repairs_known=None):
        self.run, self.exact = run, exact
        self._repairs = dict(repairs_known or {})  # query text -> its repair, or None

    def total(self, parsed, filters):
        engine = engines.current()
        options = dict(language=self.run["language"], synonyms=self.run["synonyms"])
        return engine.search(parsed, filters=filters, per_page=0, facets=False, **options).total

    def as_page(self, parsed, filters):
        found = self.total(parsed, filters)
        if not found and parsed and not self.exact:
            repaired = self.repaired(parsed)
            if repaired is not None:
                found = self.total(repaired, filters)
        if not found and len(parsed.groups) > 1:
            loose = ParsedQuery(parsed.groups, parsed.excluded, parsed.truncated, match_any=True)
            found = self.total(loose, filters)
        return found

    def repaired(self, parsed):
        if parsed.text not in self._repairs:
            self._repairs[parsed.text] = repairs.repair(parsed.text, parsed)
        return self._repairs[parsed.text]


def tries(page, parsed, active, run, path, exact=False, repairs_known=None) -> Tries:
    """For `page` (service.SearchPage), which found nothing for `parsed` with the
    filters of `run` (the engine's arguments) and `active` (search.chips) in force;
    `exact`: the reader asked for the query as typed, unrepaired; `repairs_known`:
    {query text: its repair or None} the search already made."""
    counter = _Counter(run, exact, repairs_known)
    found = Tries()
    if parsed:
        found.words = _other_words(page, parsed, counter, run["filters"], path)
        found.languages = _other_languages(page, counter, run, path)
    found.widen = _without_filters(page, parsed, active, counter, run["filters"], path)
    return found


def _other_words(page, parsed, counter, filters, path):
    """The repaired query (what an `exact` search did not try), then each typed word the
    archive does not know replaced by a word of its vocabulary near it (a known word
    that finds nothing here is the filters' doing: dropping them is offered instead)."""
    candidates = []
    if (repaired := counter.repaired(parsed)) is not None:
        candidates.append(repaired)
    unknown = repairs.unknown_words(repairs.repairable_words(parsed))
    near = repairs.nearest_terms(unknown) if unknown else {}
    for word, terms in near.items():
        for term in terms:
            # Russian index terms are dictionary forms a reader can read; a stem of an
            # unknown word («абдулкеримл») is not shown.
            if reading(term) != UNKNOWN:
                candidates.append(repairs.rebuilt(parsed, {word: term}))
    offered, seen = [], {parsed.text}
    for candidate in candidates:
        if candidate.text in seen or len(offered) >= MAX_WORDS:
            continue
        seen.add(candidate.text)
        if count := counter.total(candidate, filters):
            query = {**page.params, "q": candidate.text}
            offered.append(Try(candidate.text, links.url(path, query), count))
    return offered


def _filters_without(filters, params):
    keys = {FILTER_PARAMS.get(p, p) for p in params}  # «from» and «to» are their own keys
    return {k: v for k, v in filters.items() if k not in keys}


def _without_filters(page, parsed, active, counter, filters, path):
    """Each filter in force dropped, and all of them when there are several."""
    offered = []
    for chip in active:
        rest = _filters_without(filters, chip["params"])
        if not parsed and not any(rest.values()):
            continue  # nothing left to search by
        if count := counter.as_page(parsed, rest):
            offered.append(Try(chip["label"], chip["remove_url"], count))
    if len(active) > 1 and parsed:
        query = {k: v for k, v in page.params.items() if k in ("q", "sort")}
        if count := counter.as_page(parsed, {}):
            offered.append(Try("", links.url(path, query), count))  # «without filters»
    return offered


def _other_languages(page, counter, run, path):
    """A name typed as one language writes it («Bakı»), as the others write it («Баку»,
    «Baku»), when it is the name of a tag: articles in those languages that use the
    name, though not tagged with it, are found by it."""
    typed = folded(page.params.get("q", ""))
    if not typed:
        return []
    offered, seen = [], {typed}
    rows = Tag.objects.filter(search_key__contains=f" {typed}")[:MAX_NAMES]
    for tag in rows:
        names = {code: getattr(tag, f"name_{code}") or "" for code in LANGUAGE_CODES}
        if typed not in {folded(name) for name in names.values()}:
            continue
        for code, name in names.items():
            if code == run["language"] or not name or folded(name) in seen:
                continue
            seen.add(folded(name))
            if count := counter.total(parse(name), run["filters"]):
                with translation.override(code):
                    there = reverse("search:page")
                url = links.url(there, {**page.params, "q": name})
                offered.append(Try(name, url, count, language=code))
    offered.sort(key=lambda t: LANGUAGE_CODES.index(t.language))
    return offered
