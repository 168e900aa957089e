"""Is the index usable? And, when it is not, rebuild it from the database (any engine).

The engine reads its whole index (Engine.health: search.engines.whoosh.health says
what Whoosh's is checked for); an index that is unusable, or missing while the
database has articles to show, is rebuilt (search.rebuild) by `check_index --repair`
at every start, and in the background for a reader who found it broken.
"""

import logging
import threading

from django.conf import settings
from django.db import connection

from . import engines, indexing

log = logging.getLogger(__name__)


def inspect():
    """Open the live index and read all of it; and count the queued writes."""
    from .models import PendingUpdate

    health = engines.current().health()
    health.pending = PendingUpdate.objects.count()
    return health


def needs_rebuild(health):
    """Unusable, or missing while the database has articles to show."""
    if health.usable:
        return False
    if health.exists:
        return True
    index, _backend = indexing.index_and_backend()
    return index.index_queryset().exists()


def repair(wait=0.0, failing=None):
    """Rebuild the index from the database when it needs it. Returns the rebuild's
    outcome, or None when the index was fine. `failing`, when given, repeats the read
    a reader saw fail and returns its error, or None: the check reads ids and weights,
    and a damaged positions block (phrases) shows only to the read that needs it."""
    from .rebuild import rebuild

    health = inspect()
    if not needs_rebuild(health) and failing is not None and (error := failing()):
        health.usable, health.error = False, error
    if not needs_rebuild(health):
        return None
    log.warning("search index unusable (%s): rebuilding from the database", health.error)
    return rebuild(reason="repair", wait=wait)


_repairing = threading.Lock()


def repair_in_background(failing=None):
    """For a reader who found the index unusable: rebuild it in a thread of this
    process (one at a time here; the rebuild lock keeps other processes out)."""
    if not getattr(settings, "SEARCH_AUTO_REPAIR", True) or not _repairing.acquire(blocking=False):
        return

    def run():
        try:
            repair(failing=failing)
        except engines.RebuildRunning:
            pass  # another process is on it
        except Exception:
            log.exception("search index repair failed")
        finally:
            connection.close()
            _repairing.release()

    threading.Thread(target=run, name="index-repair", daemon=True).start()
