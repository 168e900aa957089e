"""The article record an import file yields, and how its fields are cleaned.

`Record` (one usable item) and `Problem` (one bad item) are what `iter_records`
yields; `import_key` is an item's identity, `make_lead` its lead, and the helpers
here trim and check the text both readers (jsonl, feeds) take from a file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from ..sanitize import without_control_characters

TITLE_MAX = 300  # Article.title
URL_MAX = 500  # Article.source_url / video_url
TAG_MAX = 200  # Tag.name
SOURCE_MAX = 200  # Source.name
RUBRIC_MAX = 100  # Rubric.name
LEAD_MAX = 200

# An agency marks video reports in the title: «Взрыв в порту -ВИДЕО».
VIDEO_MARK = re.compile(r"[-–—]\s*ВИДЕО\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Record:
    """One article as read from a file; HTML not yet sanitized by the model."""

    where: str  # "FILE:LINE", for messages
    import_key: str  # sha256 hex, Article.import_key
    title: str
    body_html: str
    lead: str
    published_at: datetime  # aware, UTC
    time_known: bool = True  # False: the source gave a date only (stored at noon)
    rubric: str | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    source_site: str = ""  # the feed's home page, for a new Source
    url: str = ""  # http(s) address of the original, or ""
    video_url: str = ""
    has_video: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """A bad record: reported as `FILE:POSITION: reason` and skipped."""

    filename: str
    position: str  # a line number, or "entry N" in a feed
    reason: str

    def __str__(self):
        return f"{self.filename}:{self.position}: {self.reason}"


def import_key(
    *, source: str | None, url: str = "", guid: str = "", title: str = "", published=None
):
    """sha256 hex of source + url, else source + guid, else source + title + published.

    Each kind is prefixed so an url can never collide with a guid or a title.
    The feed guid is taken together with the source because many feeds number
    their items 1, 2, 3.
    """
    if url:
        parts = ("url", source or "", url)
    elif guid:
        parts = ("guid", source or "", guid)
    else:
        stamp = published.astimezone(UTC).isoformat() if published else ""
        parts = ("title", source or "", title, stamp)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACES.sub(" ", without_control_characters(text or "")).strip()


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary with an ellipsis when longer than `limit`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—-") + "…"


_TITLE_PREFIX = re.compile(r"\W{0,4}")
_LEADING_SYMBOLS = re.compile(r"^[^\w«\"„“'(\[+\-−]+")
_SENTENCE_END = re.compile(r"[.!?…]+[»”\"')]*(?=\s|$)")


def make_lead(title: str, body_text: str) -> str:
    """The lead: the first sentence of the body, at most ~200 characters.

    Chosen rule (documented for editors): when the body text is not longer than
    the title (a one-line post whose body is the title), the lead is empty, so
    lists do not show the same line twice. Otherwise a leading copy of the title
    in the body (about 3,900 corpus posts) is skipped, and the lead is the first
    sentence of the first paragraph of what remains, or its first ~200
    characters cut at a word, with «…», when that sentence is longer.
    """
    title = squash(title)
    text = (body_text or "").strip()
    if len(squash(text)) <= len(title):
        return ""
    paragraphs = [squash(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    # The body may repeat the title, after an emoji or bullet the title lost.
    first = paragraphs[0]
    for start in range(_TITLE_PREFIX.match(first).end() + 1) if title else ():
        end = start + len(title)
        if first.startswith(title, start) and not first[end : end + 1].isalnum():
            paragraphs[0] = first[end:].lstrip(" .,:;—–-")
            break
    paragraph = next((p for p in paragraphs if p), "")
    paragraph = _LEADING_SYMBOLS.sub("", paragraph)  # emoji and bullets: «📍Укрепление…»
    if not paragraph:
        return ""
    match = _SENTENCE_END.search(paragraph)
    sentence = paragraph[: match.end()] if match else paragraph
    return shorten(sentence, LEAD_MAX)


def http_url(value) -> str:
    """An http(s) address short enough for the model, else "" (no javascript: links)."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not re.match(r"https?://[^\s/]", value, re.IGNORECASE) or len(value) > URL_MAX:
        return ""
    return value


def clean_tags(names) -> tuple[str, ...]:
    seen = dict.fromkeys(shorten(squash(n), TAG_MAX) for n in names if n and squash(n))
    return tuple(seen)


# A date the source gave without a time is stored at noon in the site's time zone (as
# the seed's items are), so it falls on that date there; pages show no time for it.
# Its import key keeps the midnight-UTC stamp it always had: files imported before
# time_known existed are still recognised (a re-import skips them).
def noon_of(day: date) -> datetime:
    noon = datetime.combine(day, time(12))
    return noon.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(UTC)
