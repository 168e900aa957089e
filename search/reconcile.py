"""Reconciliation: make the index hold exactly the published articles, as saved.

The queue (search.indexing) keeps the index in step change by change; this compares
the whole of it with the database, for what no change announced: an index restored
from a backup, rows edited with SQL or `QuerySet.update()`, a generation rebuilt
while editors saved. It reads two columns of the index (ids and versions), so it
costs about a second per 100,000 articles when there is nothing to fix.
"""

import time
from dataclasses import dataclass, field

from . import engines, indexing
from .messages import Said
from .models import IndexEvent
from .search_indexes import version_of

SHOWN = 10  # ids named in the report, per kind


@dataclass
class Report:
    published: int = 0
    indexed_before: int = 0
    queued_written: int = 0
    missing: list = field(default_factory=list)  # published, not in the index
    stale: list = field(default_factory=list)  # in the index as an older version
    extra: list = field(default_factory=list)  # in the index, not published (any more)
    indexed_after: int = 0
    seconds: float = 0.0
    fixed: bool = False

    @property
    def drift(self):
        return len(self.missing) + len(self.stale) + len(self.extra)

    def summary(self):
        def ids(pks):
            shown = ", ".join(str(pk) for pk in pks[:SHOWN])
            return f" ({shown}{', ...' if len(pks) > SHOWN else ''})" if pks else ""

        return Said(
            "reconciled-fixed" if self.fixed else "reconciled-found",
            published=self.published,
            before=self.indexed_before,
            after=self.indexed_after,
            missing=len(self.missing),
            missing_ids=ids(self.missing),
            stale=len(self.stale),
            stale_ids=ids(self.stale),
            extra=len(self.extra),
            extra_ids=ids(self.extra),
            queued=self.queued_written,
            seconds=f"{self.seconds:.1f}",
        )


def reconcile(fix=True, lock_wait=indexing.BACKGROUND_LOCK_WAIT):
    started = time.monotonic()
    report = Report(fixed=fix)
    index, _backend = indexing.index_and_backend()
    if fix:
        report.queued_written, _failures = indexing.drain(lock_wait, everything=True)
    in_index = engines.current().indexed_versions()
    in_db = {
        pk: version_of(updated_at)
        for pk, updated_at in index.index_queryset()
        .prefetch_related(None)
        .values_list("pk", "updated_at")
        .iterator(chunk_size=5000)
    }
    report.published, report.indexed_before = len(in_db), len(in_index)
    report.missing = sorted(in_db.keys() - in_index.keys())
    report.extra = sorted(in_index.keys() - in_db.keys())
    report.stale = sorted(pk for pk in in_db.keys() & in_index.keys() if in_db[pk] != in_index[pk])
    if fix and report.drift:
        # apply() re-reads each article under the writer lock: an article published or
        # unpublished since the comparison above is written as it is now.
        indexing.write(report.missing + report.stale + report.extra, lock_wait)
    report.indexed_after = (
        len(engines.current().indexed_versions()) if fix else report.indexed_before
    )
    report.seconds = time.monotonic() - started
    if fix:
        IndexEvent.record(IndexEvent.Kind.RECONCILE, report.summary())
    return report
