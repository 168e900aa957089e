"""Turning import files into article records, with no database access.

Two formats are read:

* JSON Lines, plain or gzip-compressed (gzip is recognised by its magic bytes,
  whatever the file is called): one object per line with `title`, `body` (plain
  text), `published` (ISO 8601), `rubric`, `tags` (list), `url` and `source`; the
  format of the shared Russian news corpus (its SOURCE.md describes the fields).
* RSS 2.0 and Atom feeds, parsed with feedparser.

`iter_records(path)` yields a `Record` for every usable item and a `Problem`
(`FILE:LINE: reason`, or `FILE:entry N: reason` for feeds) for every bad one, so
the caller reports it and carries on. A file that is broken as a whole raises
`ImportFileError`, possibly after some records were yielded, so the caller must
treat a file as one transaction (all or nothing). Broken as a whole: missing,
empty, binary (a NUL byte anywhere), in another encoding than UTF-8 (judged on
its first 8 KB), a gzip stream that is corrupt or cut short, a line longer than
the line limit, a feed larger than the feed limit, or not JSON Lines or a feed at
all. A bad line in an otherwise sound file (invalid JSON, a missing title, one
line of damaged bytes) is a bad record.

Memory stays bounded whatever the file: JSON Lines are read a line at a time, at
most `max_line_bytes` (setting ARCHIVE_IMPORT_MAX_LINE_BYTES, 16 MiB) each, and a
feed, which feedparser needs whole, at most `max_feed_bytes`
(ARCHIVE_IMPORT_MAX_FEED_BYTES, 64 MiB).

Saving is the job of `manage.py import_articles`.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
from django.conf import settings

from .sanitize import clean_html, html_to_text, paragraphs_to_html

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 8192
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
# A file whose first lines are all bad is not JSON Lines; stop instead of
# reporting every line of, say, a CSV file.
GIVE_UP_AFTER_BAD_LINES = 20
# Defaults of the settings ARCHIVE_IMPORT_MAX_LINE_BYTES and ARCHIVE_IMPORT_MAX_FEED_BYTES.
# The shared corpus's longest line is 4 KB; a 5 MB Russian article is about 10 MB of UTF-8.
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_FEED_BYTES = 64 * 1024 * 1024

TITLE_MAX = 300  # Article.title
URL_MAX = 500  # Article.source_url / video_url
TAG_MAX = 200  # Tag.name
SOURCE_MAX = 200  # Source.name
RUBRIC_MAX = 100  # Rubric.name
LEAD_MAX = 200

# An agency marks video reports in the title: «Взрыв в порту -ВИДЕО».
VIDEO_MARK = re.compile(r"[-–—]\s*ВИДЕО\s*$", re.IGNORECASE)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (missing, binary, corrupt, not a feed)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One article as read from a file; HTML not yet sanitized by the model."""

    where: str  # "FILE:LINE", for messages
    import_key: str  # sha256 hex, Article.import_key
    title: str
    body_html: str
    lead: str
    published_at: datetime  # aware, UTC
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


@dataclass(slots=True)
class _Progress:
    callback: Callable[[int], None] | None
    raw: object = field(default=None)

    def report(self):
        if self.callback is not None and self.raw is not None:
            try:
                self.callback(self.raw.tell())
            except (OSError, ValueError):
                pass


# --- identity, text helpers ------------------------------------------------------


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


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _shorten(text: str, limit: int) -> str:
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
    title = _squash(title)
    text = (body_text or "").strip()
    if len(_squash(text)) <= len(title):
        return ""
    paragraphs = [_squash(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
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
    return _shorten(sentence, LEAD_MAX)


def _http_url(value) -> str:
    """An http(s) address short enough for the model, else "" (no javascript: links)."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not re.match(r"https?://[^\s/]", value, re.IGNORECASE) or len(value) > URL_MAX:
        return ""
    return value


def _clean_tags(names) -> tuple[str, ...]:
    seen = dict.fromkeys(_shorten(_squash(n), TAG_MAX) for n in names if n and _squash(n))
    return tuple(seen)


def _parse_iso(value: str) -> datetime:
    """ISO 8601 to an aware UTC datetime; a time without a zone is taken as UTC."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# --- opening and sniffing -----------------------------------------------------------


def _open_raw(path: Path):
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise ImportFileError("no such file") from None
    except IsADirectoryError:
        raise ImportFileError("is a directory, not a file") from None
    except OSError as exc:
        raise ImportFileError(f"cannot open: {exc.strerror or exc}") from None


def _decompressed(raw):
    """The readable byte stream: gunzipped when the file starts with the gzip magic."""
    magic = raw.read(2)
    raw.seek(0)
    if magic == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")
    return raw


_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def _read_head(stream) -> bytes:
    try:
        return stream.read(SNIFF_BYTES)
    except EOFError:
        raise ImportFileError(
            "the gzip data ends before the end of the stream (a truncated file?)"
        ) from None
    except _GZIP_ERRORS as exc:
        raise ImportFileError(f"corrupt gzip data: {exc}") from None


def _utf8_error(data: bytes) -> int | None:
    """Offset of the first byte that is not UTF-8, or None (a character cut at the end
    of `data`, which is only the head of a file, is no error)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return None
        return exc.start
    return None


def looks_like_cp1251(data: bytes) -> bool:
    """Not UTF-8, and read as Windows-1251 it is Russian: its non-ASCII characters are
    nearly all Cyrillic letters and there are no control characters. (UTF-8 Russian
    read as cp1251 is half punctuation: «Р°Р·»; binary data has control characters.)"""
    if _utf8_error(data) is None:
        return False
    text = data.decode("cp1251", errors="replace")
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    letters = sum(1 for c in non_ascii if "а" <= c.lower() <= "я" or c in "ёЁ")
    return bool(non_ascii) and letters >= 0.8 * len(non_ascii)


CP1251_HINT = "it looks like Windows-1251 (cp1251): convert it with `iconv -f cp1251 -t utf-8`"


def sniff_format(head: bytes, path: Path) -> str:
    """'jsonl' or 'feed' from the first bytes (after gunzipping); ImportFileError otherwise."""
    if not head.strip():
        raise ImportFileError("empty file: nothing to import")
    if b"\x00" in head:
        raise ImportFileError("binary data, not JSON Lines or an RSS/Atom feed")
    if looks_like_cp1251(head):
        raise ImportFileError(f"not UTF-8 text: {CP1251_HINT}")
    text = head.decode("utf-8", errors="replace")
    if text.count("\ufffd") > max(3, len(text) // 20):
        raise ImportFileError("binary data (not UTF-8 text), not JSON Lines or an RSS/Atom feed")
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ImportFileError("empty file: nothing to import")
    if stripped.startswith("<"):
        return "feed"
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    if stripped.startswith("{") or (suffixes and suffixes[-1] in JSONL_SUFFIXES):
        return "jsonl"
    if any(line.lstrip().startswith("{") for line in stripped.splitlines()[:50]):
        return "jsonl"
    raise ImportFileError("neither JSON Lines (no line starts with '{') nor an RSS/Atom feed")


@dataclass(frozen=True, slots=True)
class TextProblem:
    """Why bytes that should be a text file are not one (for the admin's upload)."""

    kind: str  # "gzip", "binary", "cp1251", "encoding" or "long-line"
    line: int = 0
    column: int = 0
    byte: int = 0


def text_file_problem(data: bytes, max_line_bytes: int) -> TextProblem | None:
    """The first thing that makes `data` not a UTF-8 text file with lines of at most
    `max_line_bytes` bytes, or None. Linear in the size of `data`."""

    def position(offset):
        line_start = data.rfind(b"\n", 0, offset) + 1
        return data.count(b"\n", 0, offset) + 1, offset - line_start + 1

    if data[:2] == GZIP_MAGIC:
        return TextProblem("gzip")
    zero = data.find(b"\x00")
    if zero >= 0:
        return TextProblem("binary", *position(zero), byte=0)
    bad = _utf8_error(data + b"\n")  # (no character is cut: this is the whole file)
    if bad is not None:
        line, column = position(bad)
        start = data.rfind(b"\n", 0, bad) + 1
        end = data.find(b"\n", bad)
        text_line = data[start : end if end >= 0 else len(data)]
        kind = "cp1251" if looks_like_cp1251(text_line) else "encoding"
        return TextProblem(kind, line, column, data[bad])
    start, lineno = 0, 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - start > max_line_bytes:
            return TextProblem("long-line", lineno)
        start, lineno = end + 1, lineno + 1
    return None


def _limit(value, setting, default):
    return int(value if value is not None else getattr(settings, setting, default))


def iter_records(
    path,
    progress: Callable[[int], None] | None = None,
    *,
    max_line_bytes: int | None = None,
    max_feed_bytes: int | None = None,
) -> Iterator:
    """Yield `Record`s and `Problem`s from one file; raise ImportFileError if it is
    broken as a whole (see the module's docstring).

    `progress`, if given, is called now and then with the number of bytes of the
    file (compressed bytes for gzip) read so far. The limits default to the settings
    ARCHIVE_IMPORT_MAX_LINE_BYTES and ARCHIVE_IMPORT_MAX_FEED_BYTES.
    """
    path = Path(path)
    name = str(path)
    raw = _open_raw(path)
    try:
        stream = _decompressed(raw)
        kind = sniff_format(_read_head(stream), path)
        stream.seek(0)
        tracker = _Progress(progress, raw)
        if kind == "jsonl":
            line_limit = _limit(max_line_bytes, "ARCHIVE_IMPORT_MAX_LINE_BYTES", MAX_LINE_BYTES)
            yield from _iter_jsonl(stream, name, tracker, line_limit)
        else:
            feed_limit = _limit(max_feed_bytes, "ARCHIVE_IMPORT_MAX_FEED_BYTES", MAX_FEED_BYTES)
            yield from _iter_feed(stream, name, tracker, feed_limit)
        tracker.report()
    except _GZIP_ERRORS as exc:
        raise ImportFileError(f"corrupt gzip data: {exc}") from None
    except OSError as exc:
        raise ImportFileError(f"read error: {exc}") from None
    finally:
        raw.close()


# --- JSON Lines ------------------------------------------------------------------------

_OPTIONAL_STR = ("body", "rubric", "url", "source")


def _type_name(value) -> str:
    return "null" if value is None else type(value).__name__


def _lines(stream, limit: int):
    """(line number, bytes) of every line, each read with a bounded readline, so one
    enormous line costs at most `limit` bytes of memory before it is refused."""
    lineno = 0
    while True:
        lineno += 1
        try:
            line = stream.readline(limit + 1)
        except EOFError:
            raise ImportFileError(
                f"line {lineno}: the gzip data ends before the end of the stream "
                "(a truncated file?)"
            ) from None
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise ImportFileError(f"line {lineno}: corrupt gzip data: {exc}") from None
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            raise ImportFileError(
                f"line {lineno} is longer than {limit:,} bytes (the limit: --max-line-bytes "
                "or ARCHIVE_IMPORT_MAX_LINE_BYTES)"
            )
        if b"\x00" in line:
            raise ImportFileError(
                f"line {lineno}: binary data (a NUL byte at column {line.index(0) + 1})"
            )
        yield lineno, line


def _iter_jsonl(stream, name: str, tracker: _Progress, max_line_bytes: int = MAX_LINE_BYTES):
    good = bad = 0
    for lineno, line in _lines(stream, max_line_bytes):
        if lineno % 500 == 0:
            tracker.report()
        if not line.strip():
            continue
        result = _jsonl_record(line, name, lineno)
        if isinstance(result, Problem):
            bad += 1
            if good == 0 and bad >= GIVE_UP_AFTER_BAD_LINES:
                yield result
                raise ImportFileError(
                    f"not JSON Lines: the first {bad} records are all invalid, giving up"
                )
        else:
            good += 1
        yield result
    if good == bad == 0:
        raise ImportFileError("empty file: nothing to import")


def _jsonl_record(line: bytes, name: str, lineno: int) -> Record | Problem:
    def problem(reason):
        return Problem(name, str(lineno), reason)

    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        hint = f"; {CP1251_HINT}" if looks_like_cp1251(line) else ""
        return problem(
            f"not UTF-8 text (byte 0x{line[exc.start]:02x} at column {exc.start + 1}){hint}"
        )
    if lineno == 1:
        text = text.lstrip("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return problem(f"invalid JSON: {exc.msg} (column {exc.colno})")
    if not isinstance(data, dict):
        return problem(f"expected a JSON object, got {_type_name(data)}")

    title = data.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        return problem("missing title")
    if not isinstance(title, str):
        return problem(f"title must be a string, got {_type_name(title)}")
    for key in _OPTIONAL_STR:
        if data.get(key) is not None and not isinstance(data[key], str):
            return problem(f"{key} must be a string, got {_type_name(data[key])}")
    tags = data.get("tags")
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return problem("tags must be a list of strings")

    published = data.get("published")
    if published is None or published == "":
        return problem("missing published date")
    if not isinstance(published, str):
        return problem(f"published must be an ISO 8601 string, got {_type_name(published)}")
    try:
        published_at = _parse_iso(published)
    except (ValueError, OverflowError):
        return problem(f"unparseable date {published!r}")

    title = _shorten(_squash(title), TITLE_MAX)
    body = (data.get("body") or "").strip()
    source = _squash(data.get("source") or "")[:SOURCE_MAX] or None
    raw_url = (data.get("url") or "").strip()
    rubric = _squash(data.get("rubric") or "") or None
    return Record(
        where=f"{name}:{lineno}",
        import_key=import_key(source=source, url=raw_url, title=title, published=published_at),
        title=title,
        body_html=paragraphs_to_html(body),
        lead=make_lead(title, body),
        published_at=published_at,
        rubric=rubric[:RUBRIC_MAX] if rubric else None,
        tags=_clean_tags(tags),
        source=source,
        url=_http_url(raw_url),
        has_video=bool(VIDEO_MARK.search(title)),
    )


# --- RSS / Atom --------------------------------------------------------------------------


def _text_of(detail, value) -> str:
    """Plain text of a feedparser text construct (title, summary) of any type."""
    kind = (detail or {}).get("type", "text/plain")
    if "html" in kind:
        return html_to_text(clean_html(value or ""))
    return value or ""


_BLOCK_TAG = re.compile(r"<(p|div|br|ul|ol|h[1-6]|blockquote|table|figure|pre)\b", re.I)


def _html_of(detail, value) -> str:
    """Sanitized HTML of a feed text construct; bare text or inline HTML gets <p>s."""
    kind = (detail or {}).get("type", "text/html")
    if "html" not in kind:
        return paragraphs_to_html(value or "")
    html = clean_html(value or "").strip()
    if html and not _BLOCK_TAG.search(html):
        parts = [p.strip() for p in re.split(r"\n\s*\n", html) if p.strip()]
        html = "".join(f"<p>{p}</p>" for p in parts)
    return html


def _entry_date(entry):
    """(datetime, None) or (None, reason): published, else updated, else created."""
    # dict.get: feedparser's own get() maps a missing updated_parsed to
    # published_parsed, with a DeprecationWarning.
    for key in ("published", "updated", "created"):
        parsed = dict.get(entry, f"{key}_parsed")
        if parsed:
            try:
                return datetime(*parsed[:6], tzinfo=UTC), None
            except (ValueError, OverflowError):
                pass
    for key in ("published", "updated", "created"):
        if dict.get(entry, key):
            return None, f"unparseable date {dict.get(entry, key)!r}"
    return None, "no published or updated date"


def _video_url(entry) -> str:
    candidates = []
    for media in entry.get("media_content") or []:
        if media.get("medium") == "video" or (media.get("type") or "").startswith("video/"):
            candidates.append(media.get("url"))
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and (link.get("type") or "").startswith("video/"):
            candidates.append(link.get("href"))
    for enclosure in entry.get("enclosures") or []:
        if (enclosure.get("type") or "").startswith("video/"):
            candidates.append(enclosure.get("href"))
    player = entry.get("media_player") or {}
    candidates.append(player.get("url"))
    return next((u for u in map(_http_url, candidates) if u), "")


def _iter_feed(stream, name: str, tracker: _Progress, max_feed_bytes: int = MAX_FEED_BYTES):
    try:
        data = stream.read(max_feed_bytes + 1)
    except EOFError:
        raise ImportFileError(
            "the gzip data ends before the end of the stream (a truncated file?)"
        ) from None
    if len(data) > max_feed_bytes:
        raise ImportFileError(
            f"a feed longer than {max_feed_bytes:,} bytes (ARCHIVE_IMPORT_MAX_FEED_BYTES) "
            "is not read"
        )
    tracker.report()
    # A file object, never bytes or str: feedparser would try a str as an URL or path.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        raise ImportFileError(f"not an RSS/Atom feed{detail}")
    feed = parsed.feed
    source = _squash(_text_of(feed.get("title_detail"), feed.get("title")))[:SOURCE_MAX] or None
    site = _http_url(feed.get("link"))
    for number, entry in enumerate(parsed.entries, 1):
        yield _feed_record(entry, name, number, source, site)


def _feed_record(entry, name, number, source, site) -> Record | Problem:
    def problem(reason):
        return Problem(name, f"entry {number}", reason)

    title = _squash(_text_of(entry.get("title_detail"), entry.get("title")))
    if not title:
        return problem("missing title")
    title = _shorten(title, TITLE_MAX)
    published_at, reason = _entry_date(entry)
    if reason:
        return problem(reason)

    summary = entry.get("summary") or ""
    contents = entry.get("content") or []
    content = next((c for c in contents if "html" in (c.get("type") or "")), None)
    content = content or (contents[0] if contents else None)
    if content and content.get("value"):
        body_html = _html_of(content, content["value"])
        summary_text = _text_of(entry.get("summary_detail"), summary)
        lead_text = summary_text if _squash(summary_text) else html_to_text(body_html)
    else:
        body_html = _html_of(entry.get("summary_detail"), summary)
        lead_text = html_to_text(body_html)

    tags = [t.get("label") or t.get("term") for t in entry.get("tags") or []]
    raw_url = (entry.get("link") or "").strip()
    guid = (entry.get("id") or "").strip()
    video_url = _video_url(entry)
    return Record(
        where=f"{name}:entry {number}",
        import_key=import_key(
            source=source, url=raw_url, guid=guid, title=title, published=published_at
        ),
        title=title,
        body_html=body_html,
        lead=make_lead(title, lead_text),
        published_at=published_at,
        tags=_clean_tags(tags),
        source=source,
        source_site=site,
        url=_http_url(raw_url),
        video_url=video_url,
        has_video=bool(video_url) or bool(VIDEO_MARK.search(title)),
    )


def file_size(path) -> int:
    """Size in bytes for a progress bar; 0 when the file cannot be read."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
