"""One deterministic reader's site for the quality tests (axe-core, strict HTML, screenshots),
and the catalogue of its page types.

The content never depends on the day the tests run: the seed story (its five articles, their
drawn pictures, the story that gathers them) and DEMO_COUNT demo articles from archive/demo.py
(fixed seed, dates between 2023 and 2025), and a search index built from all of them.
"""

from dataclasses import dataclass

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from archive.illustrations import ensure_seed_images

from .pages_support import SEED_SLUG

LANGUAGES = ["ru", "az", "en"]
PREFIX = {"ru": "", "az": "/az", "en": "/en"}
DEMO_COUNT = 60
# A word most demo articles share (more than one results page of 20) and one no article has.
PAGED_QUERY = "новый"
EMPTY_QUERY = "шпрехшталмейстер"
STORY_SLUG = "konventsiya-oon-protiv-kiberprestupnosti"  # the seed's story


def build_reader_site():
    """Fill the (empty) test database and the current search index; media go to MEDIA_ROOT."""
    call_command("loaddata", "seed", verbosity=0)
    ensure_seed_images()
    call_command(
        "generate_articles", count=DEMO_COUNT, seed=1, words=80, no_index=True, verbosity=0
    )
    call_command("rebuild_index", interactive=False, verbosity=0)


@dataclass(frozen=True)
class PageType:
    name: str
    route: str  # a URL name in the archive's or search's namespace
    kwargs: tuple = ()
    query: str = ""
    status: int = 200

    def path(self, lang):
        """The page's path in `lang`."""
        if self.route == "404":
            return f"{PREFIX[lang]}/no-such-page/"
        with translation.override(lang):
            path = reverse(self.route, kwargs=dict(self.kwargs))
        return path + (f"?{self.query}" if self.query else "")


# Every kind of page a reader meets.
PAGE_TYPES = [
    PageType("home", "archive:home"),
    PageType("article", "archive:article-detail", (("slug", SEED_SLUG),)),
    PageType("story", "archive:story-detail", (("slug", STORY_SLUG),)),
    PageType("story-index", "archive:story-index"),
    PageType("article-list", "archive:article-list"),
    PageType("article-list-page-2", "archive:article-list", query="page=2"),
    PageType("rubric-index", "archive:rubric-index"),
    PageType("rubric", "archive:rubric-detail", (("slug", "ikt"),)),
    PageType("tag-index", "archive:tag-index"),
    PageType("tag", "archive:tag-detail", (("slug", "oon"),)),
    PageType("person", "archive:tag-detail", (("slug", "gasan-mansurov"),)),
    PageType("source-index", "archive:source-index"),
    PageType("source", "archive:source-detail", (("slug", "redaktsiya-arkhiva"),)),
    PageType("archive-index", "archive:archive-index"),
    PageType("year", "archive:archive-year", (("year", 2024),)),
    PageType("month", "archive:archive-month", (("year", 2024), ("month", 8))),
    PageType("day", "archive:archive-day", (("year", 2024), ("month", 8), ("day", 9))),
    PageType("search-form", "search:page"),
    PageType("search-results", "search:page", query="q=конвенция"),
    PageType("search-page-2", "search:page", query=f"q={PAGED_QUERY}&page=2"),
    PageType("search-empty", "search:page", query=f"q={EMPTY_QUERY}"),
    PageType("not-found", "404", status=404),
]
