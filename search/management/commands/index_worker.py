"""manage.py index_worker: write queued index updates as they come (production).

With SEARCH_INDEX_WRITES=worker the web processes only queue their changes; this one
process is then the index's only regular writer, so editors never wait for its lock.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from search import indexing


class Command(BaseCommand):
    help = "Write queued search index updates until stopped (SIGTERM or Ctrl-C)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls.")
        parser.add_argument("--once", action="store_true", help="Drain the queue once and exit.")

    def handle(self, interval, once, verbosity, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            close_old_connections()
            written, failures = indexing.drain()
            if written and verbosity > 1:
                self.stdout.write(f"{written} articles written to the index")
            if once or stopping:
                if once:
                    self.stdout.write(f"{written} queued updates written, {failures} failed.")
                return
            try:
                time.sleep(interval * (8 if failures else 1))
            except KeyboardInterrupt:
                return
