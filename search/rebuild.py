"""Rebuilding the index while the site serves: build aside, switch, catch up (any engine).

The engine builds a new index from the database beside the live one and switches
readers to it at once (Engine.build_aside_and_switch). Changes made during the build
stay queued (search.indexing keeps the rows while a rebuild runs) and are written to
the new index after the switch; a reconciliation then confirms ids and versions.
"""

import time

from . import engines, indexing
from .engines import RebuildOutcome as Outcome
from .messages import Said
from .models import IndexEvent
from .reconcile import reconcile


def rebuild(batch_size=None, progress=None, reason="rebuild", wait=0.0):
    """Build a new index from the database and make it live. Raises
    engines.RebuildRunning when another process is rebuilding."""
    engine = engines.current()
    started = time.monotonic()
    built = engine.build_aside_and_switch(batch_size, progress, wait)
    if built is None:
        return None
    documents, generation = built
    # The rows queued during the build (kept while the rebuild lock was held) go to
    # the new index now; the reconciliation checks the rest.
    caught_up, _failures = indexing.drain(everything=True)
    summary = reconcile(fix=True).summary()
    engine.prune()
    outcome = Outcome(documents, time.monotonic() - started, generation, caught_up, summary)
    IndexEvent.record(
        IndexEvent.Kind.REPAIR if reason == "repair" else IndexEvent.Kind.REBUILD,
        Said(
            "rebuilt",
            documents=documents,
            seconds=f"{outcome.seconds:.1f}",
            caught_up=caught_up,
            summary=summary,
        ),
    )
    return outcome
