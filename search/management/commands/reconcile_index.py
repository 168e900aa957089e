"""manage.py reconcile_index: make the index hold exactly the published articles."""

from django.core.management.base import BaseCommand, CommandError

from search import health
from search.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Write queued index updates, then compare the index with the database (ids and "
        "versions) and fix what differs; --check only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; exit with status 1 when the index has drifted.",
        )

    def handle(self, check, verbosity, **options):
        state = health.inspect()
        if not state.usable:
            if check:
                raise CommandError(f"The search index is unusable: {state.error}")
            outcome = health.repair()
            if outcome is not None:
                self.stdout.write(
                    f"The index was unusable ({state.error}); rebuilt: {outcome.documents} "
                    f"articles in {outcome.seconds:.1f} s."
                )
                return
        report = reconcile(fix=not check)
        self.stdout.write(report.summary())
        if check and report.drift:
            raise CommandError(f"The search index has drifted: {report.drift} articles differ.")
