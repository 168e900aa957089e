"""Reading an RSS 2.0 or Atom feed file into records, with feedparser.

feedparser needs the feed whole, so it is read at most `max_feed_bytes` at once;
each entry becomes a `Record`, or a `Problem` (`FILE:entry N: reason`).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import feedparser

from ..sanitize import clean_html, html_to_text, paragraphs_to_html
from .files import ImportFileError, Progress
from .records import (
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

# An RSS or Atom date with no hours and minutes (`Fri, 08 Nov 2024`, `2024-11-08`):
# feedparser reads it as midnight UTC.
_CLOCK = re.compile(r"\d{1,2}:\d{2}")


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
    """(datetime, whether it has a time of day, None) or (None, None, reason):
    published, else updated, else created."""
    # dict.get: feedparser's own get() maps a missing updated_parsed to
    # published_parsed, with a DeprecationWarning.
    for key in ("published", "updated", "created"):
        parsed = dict.get(entry, f"{key}_parsed")
        if parsed:
            try:
                moment = datetime(*parsed[:6], tzinfo=UTC)
            except (ValueError, OverflowError):
                continue
            return moment, bool(_CLOCK.search(dict.get(entry, key) or "00:00")), None
    for key in ("published", "updated", "created"):
        if dict.get(entry, key):
            return None, None, f"unparseable date {dict.get(entry, key)!r}"
    return None, None, "no published or updated date"


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
    return next((u for u in map(http_url, candidates) if u), "")


def iter_feed(stream, name: str, tracker: Progress, max_feed_bytes: int):
    """A `Record` or `Problem` for every entry of an RSS or Atom stream."""
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
    source = squash(_text_of(feed.get("title_detail"), feed.get("title")))[:SOURCE_MAX] or None
    site = http_url(feed.get("link"))
    for number, entry in enumerate(parsed.entries, 1):
        yield _feed_record(entry, name, number, source, site)


def _feed_record(entry, name, number, source, site) -> Record | Problem:
    def problem(reason):
        return Problem(name, f"entry {number}", reason)

    title = squash(_text_of(entry.get("title_detail"), entry.get("title")))
    if not title:
        return problem("missing title")
    title = shorten(title, TITLE_MAX)
    published_at, time_known, reason = _entry_date(entry)
    if reason:
        return problem(reason)

    summary = entry.get("summary") or ""
    contents = entry.get("content") or []
    content = next((c for c in contents if "html" in (c.get("type") or "")), None)
    content = content or (contents[0] if contents else None)
    if content and content.get("value"):
        body_html = _html_of(content, content["value"])
        summary_text = _text_of(entry.get("summary_detail"), summary)
        lead_text = summary_text if squash(summary_text) else html_to_text(body_html)
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
        published_at=published_at if time_known else noon_of(published_at.date()),
        time_known=time_known,
        tags=clean_tags(tags),
        source=source,
        source_site=site,
        url=http_url(raw_url),
        video_url=video_url,
        has_video=bool(video_url) or bool(VIDEO_MARK.search(title)),
    )
