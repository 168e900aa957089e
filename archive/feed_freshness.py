"""A feed's ETag and Last-Modified, from its own items: an edit in one rubric leaves the
other rubrics' feeds (and their subscribers) alone.

A feed's *rows* are `(pk, updated_at, published_at)` of the items it shows, newest
first: one query on the feed's own queryset (three columns, at most FEED_SIZE rows, on
the published_at index), kept in the cache for the content version (archive/cache.py),
so a feed reader asking again is answered 304 without a query.

- ETag: a hash of what the feed is (its class, format, language, host, path and
  parameters) and of its rows. An item that is edited, published, unpublished, deleted
  or moved to another rubric changes the rows of the feeds it is or was in, and of no
  other feed.
- Last-Modified: the newest `updated_at` or `published_at` among the rows. An item
  that *leaves* a feed makes no remaining item newer, so when the rows changed and no
  item explains it, the time the content version changed is taken, and remembered
  with the rows (a reader sending If-Modified-Since alone still sees the removal).
"""

import hashlib
from typing import NamedTuple

from django.utils.cache import quote_etag

from .cache import safe_get, safe_set

# How long a feed's rows and Last-Modified are remembered across content versions: a
# removal is noticed by comparing with them, so they outlive the pages' cache entries
# (a day covers readers that poll daily; about 1 KB per feed and language).
MEMORY = 24 * 3600


class Freshness(NamedTuple):
    rows: tuple  # ((pk, updated_at, published_at), ...) of the feed's items
    modified: float | None  # Unix time for Last-Modified; None: an empty feed

    @classmethod
    def of(cls, rows):
        rows = tuple(tuple(row) for row in rows)
        return cls(rows, max((d.timestamp() for _pk, *dates in rows for d in dates), default=None))


def remembered(key, version, query) -> Freshness:
    """The feed's Freshness for the content `version`: from the cache, or from `query()`
    (its rows), with Last-Modified moved on when the rows changed without a newer item."""
    cached = safe_get(key)
    if cached is not None and cached[0] == version.token:
        return cached[1]
    fresh = Freshness.of(query())
    before = cached[1] if cached is not None else None
    if before is not None and before.modified is not None:
        if before.rows == fresh.rows:
            fresh = before  # this feed did not change; the site did
        elif fresh.modified is None or fresh.modified <= before.modified:
            fresh = fresh._replace(modified=max(before.modified, version.changed_at))
    if fresh.rows or before is not None:  # an unknown subject (a 404) leaves no entry
        safe_set(key, (version.token, fresh), MEMORY)
    return fresh


def feed_etag(identity, rows, labels="") -> str:
    """A strong ETag for the feed `identity` (what the feed is) holding `rows`, with the
    names and pictures of `labels` (the labels version's token)."""
    digest = hashlib.sha256(repr((identity, rows, labels)).encode()).hexdigest()[:32]
    return quote_etag(digest)
