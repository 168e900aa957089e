"""Reading a known-items file (see known_items.tsv) and finding each target article."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from archive.models import Article

KNOWN_ITEMS = Path(__file__).with_name("known_items.tsv")
CATEGORIES = (
    "morphology",
    "yo",
    "typos",
    "layout",
    "translit",
    "names",
    "synonyms",
    "phrases",
    "az",
    "en",
)
LANGUAGES = ("ru", "az", "en")
SEED = "seed:"
_DATED = re.compile(r"(\d{4}-\d{2}-\d{2}) (\S.*)")


class KnownItemsError(ValueError):
    """A file that cannot be read as known items, or targets that name no article or several."""


@dataclass(frozen=True)
class KnownItem:
    category: str
    language: str
    query: str
    target: str  # "seed:<slug>", or "<published day> <start of the Russian title>"
    note: str = ""
    where: str = ""  # FILE:LINE, for messages

    def articles(self):
        """The published articles the target names (exactly one, when it is right)."""
        published = Article.objects.published()
        if self.target.startswith(SEED):
            return published.filter(slug=self.target.removeprefix(SEED))
        day, title = _DATED.fullmatch(self.target).groups()
        # __date is the day in the site's time zone, the day the article page shows.
        return published.filter(
            published_at__date=date.fromisoformat(day), title_ru__startswith=title
        )


def read(path=KNOWN_ITEMS) -> list[KnownItem]:
    """Every row of the file; all its bad rows at once as KnownItemsError."""
    items, problems = [], []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{path}:{number}"
        fields = line.split("\t")
        if len(fields) not in (4, 5):
            problems.append(f"{where}: {len(fields)} tab-separated fields, not 4 or 5")
            continue
        item = KnownItem(*fields[:4], note=fields[4] if len(fields) == 5 else "", where=where)
        problems += [f"{where}: {p}" for p in _problems(item)]
        items.append(item)
    if problems:
        raise KnownItemsError("\n".join(problems))
    return items


def _problems(item):
    if item.category not in CATEGORIES:
        yield f"unknown category {item.category!r}"
    if item.language not in LANGUAGES:
        yield f"unknown language {item.language!r}"
    if not item.query.strip():
        yield "empty query"
    if item.target.startswith(SEED):
        if not item.target.removeprefix(SEED):
            yield "a seed target without a slug"
    elif not _DATED.fullmatch(item.target):
        yield f"target {item.target!r} is neither seed:<slug> nor '<YYYY-MM-DD> <title start>'"
    else:
        try:
            date.fromisoformat(item.target[:10])
        except ValueError:
            yield f"no such day in target {item.target!r}"


def resolve(items) -> dict[str, int]:
    """{target: article id} for every item; KnownItemsError listing each target that names
    no article or more than one (a wrong target must not pass as a miss or a hit)."""
    found, problems = {}, []
    for item in items:
        if item.target in found:
            continue
        ids = list(item.articles().values_list("pk", flat=True)[:3])
        if len(ids) == 1:
            found[item.target] = ids[0]
        else:
            many = "no article" if not ids else "more than one article"
            problems.append(f"{item.where}: target {item.target!r} names {many}")
    if problems:
        raise KnownItemsError("\n".join(problems))
    return found
