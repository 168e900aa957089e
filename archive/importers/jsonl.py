"""Reading a JSON Lines file (plain or gunzipped) into records, a line at a time.

Each line is read with a bounded readline, so memory stays bounded whatever the
file; a bad line is a `Problem`, a file whose first lines are all bad is not JSON
Lines at all (`ImportFileError`).
"""

from __future__ import annotations

import gzip
import json
import zlib
from datetime import UTC, date, datetime

from ..sanitize import paragraphs_to_html
from .files import CP1251_HINT, ImportFileError, Progress, looks_like_cp1251
from .records import (
    RUBRIC_MAX,
    SOURCE_MAX,
    TITLE_MAX,
    VIDEO_MARK,
    Problem,
    Record,
    clean_tags,
    http_url,
    import_key,
    make_lead,
    noon_of,
    shorten,
    squash,
)

# A file whose first lines are all bad is not JSON Lines; stop instead of
# reporting every line of, say, a CSV file.
GIVE_UP_AFTER_BAD_LINES = 20
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


def iter_jsonl(stream, name: str, tracker: Progress, max_line_bytes: int):
    """A `Record` or `Problem` for every non-blank line of a JSON Lines stream."""
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
    day = _date_only(published)

    title = shorten(squash(title), TITLE_MAX)
    body = (data.get("body") or "").strip()
    source = squash(data.get("source") or "")[:SOURCE_MAX] or None
    raw_url = (data.get("url") or "").strip()
    rubric = squash(data.get("rubric") or "") or None
    return Record(
        where=f"{name}:{lineno}",
        import_key=import_key(source=source, url=raw_url, title=title, published=published_at),
        title=title,
        body_html=paragraphs_to_html(body),
        lead=make_lead(title, body),
        published_at=noon_of(day) if day else published_at,
        time_known=day is None,
        rubric=rubric[:RUBRIC_MAX] if rubric else None,
        tags=clean_tags(tags),
        source=source,
        url=http_url(raw_url),
        has_video=bool(VIDEO_MARK.search(title)),
    )


def _parse_iso(value: str) -> datetime:
    """ISO 8601 to an aware UTC datetime; a time without a zone is taken as UTC, a date
    alone as its midnight UTC (the import key's stamp: see _date_only)."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _date_only(value: str) -> date | None:
    """The date of an ISO 8601 value that has no time of day, else None."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None
