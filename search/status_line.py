"""The search index in one line, for the admin home (templates/admin/index.html).

search.health.inspect() reads the whole index, which is right for the status page and
for repairs but too slow for a page every editor opens many times a day. This asks the
engine for a count (Engine.glance), and the database for the articles the index should
hold and for the queued writes: four small queries, no read-through.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count, Min

from . import engines, indexing
from .messages import Said, in_language
from .models import PendingUpdate

log = logging.getLogger(__name__)


@dataclass
class IndexLine:
    documents: int | None  # None: the engine could not say
    expected: int  # articles the index should hold (published ones, scheduled included)
    pending: int
    pending_since: datetime | None
    updated_at: datetime | None
    rebuilding: bool
    error: str = ""

    @property
    def error_in_language(self):
        """The error in the editor's language where the engine said it in words."""
        return in_language(self.error)

    @property
    def state(self):
        """unavailable, rebuilding, pending, differs or matches: what the line says."""
        if self.documents is None:
            return "unavailable"
        if self.rebuilding:
            return "rebuilding"
        if self.pending:
            return "pending"
        return "matches" if self.documents == self.expected else "differs"


def index_line() -> IndexLine:
    engine = engines.current()
    documents, updated_at, error = None, None, ""
    try:
        glance = engine.glance()
        documents = glance.documents
        if glance.updated_at is not None:
            updated_at = datetime.fromtimestamp(glance.updated_at, tz=UTC)
    except engines.SearchUnavailable as exc:
        error = exc.args[0] if exc.args else ""  # a Said where the engine can say it in words
    except Exception as exc:  # a broken file raises anything; the admin home must open
        log.warning("search index glance failed", exc_info=True)
        error = Said("unreadable", exception=type(exc).__name__, detail=str(exc))
    try:
        rebuilding = engine.rebuilding()
    except Exception:  # an unreachable cluster: the error above says it
        rebuilding = False
    queue = PendingUpdate.objects.aggregate(n=Count("pk"), since=Min("queued_at"))
    index, _backend = indexing.index_and_backend()
    return IndexLine(
        documents=documents,
        expected=index.index_queryset().count(),
        pending=queue["n"],
        pending_since=queue["since"],
        updated_at=updated_at,
        rebuilding=rebuilding,
        error=error,
    )
