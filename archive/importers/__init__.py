"""Turning import files into article records, with no database access.

Two formats are read:

* JSON Lines, plain or gzip-compressed (gzip is recognised by its magic bytes,
  whatever the file is called): one object per line with `title`, `body` (plain
  text), `published` (ISO 8601), `rubric`, `tags` (list), `url` and `source`; the
  format of the shared Russian news corpus (its SOURCE.md describes the fields).
* RSS 2.0 and Atom feeds, parsed with feedparser.

A date without a time of day (`2024-11-08`, `Fri, 08 Nov 2024`) makes an article with
`time_known` False, stored at noon in the site's time zone (see records.noon_of).

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

The parts: records (Record, Problem, the import key, the lead, field cleaning),
files (opening, gzip, sniffing the format, the encoding checks, also for the
admin's uploads), jsonl and feeds (a reader per format); this module picks the
reader and applies the limits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings

from .feeds import iter_feed
from .files import (
    GZIP_ERRORS,
    ImportFileError,
    Progress,
    decompressed,
    open_raw,
    read_head,
    sniff_format,
)
from .jsonl import iter_jsonl

# Defaults of the settings ARCHIVE_IMPORT_MAX_LINE_BYTES and ARCHIVE_IMPORT_MAX_FEED_BYTES.
# The shared corpus's longest line is 4 KB; a 5 MB Russian article is about 10 MB of UTF-8.
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_FEED_BYTES = 64 * 1024 * 1024


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
    raw = open_raw(path)
    try:
        stream = decompressed(raw)
        kind = sniff_format(read_head(stream), path)
        stream.seek(0)
        tracker = Progress(progress, raw)
        if kind == "jsonl":
            line_limit = _limit(max_line_bytes, "ARCHIVE_IMPORT_MAX_LINE_BYTES", MAX_LINE_BYTES)
            yield from iter_jsonl(stream, name, tracker, line_limit)
        else:
            feed_limit = _limit(max_feed_bytes, "ARCHIVE_IMPORT_MAX_FEED_BYTES", MAX_FEED_BYTES)
            yield from iter_feed(stream, name, tracker, feed_limit)
        tracker.report()
    except GZIP_ERRORS as exc:
        raise ImportFileError(f"corrupt gzip data: {exc}") from None
    except OSError as exc:
        raise ImportFileError(f"read error: {exc}") from None
    finally:
        raw.close()
