"""manage.py check_index: is the search index usable? --repair rebuilds it if not.

Meant for the start of the site (`make run`, a production start script): an index left
unusable by a crash is rebuilt from the database before readers arrive.
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from search import health


class Command(BaseCommand):
    help = "Check that the search index opens and reads; --repair rebuilds it from the database."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Rebuild when unusable.")

    def handle(self, repair, verbosity, **options):
        state = health.inspect()
        if state.usable:
            self.stdout.write(
                f"Search index usable: {state.documents} documents in {state.segments} "
                f"segment(s), {filesizeformat(state.size_bytes)}, {state.pending} pending "
                f"updates ({state.live})."
            )
            return
        if not repair:
            raise CommandError(
                f"The search index is unusable: {state.error}. "
                "Run `manage.py check_index --repair` to rebuild it from the database."
            )
        outcome = health.repair()
        if outcome is None:
            self.stdout.write(f"No index yet and nothing to index ({state.error}).")
        else:
            self.stdout.write(
                f"The search index was unusable ({state.error}); rebuilt from the database: "
                f"{outcome.documents} articles in {outcome.seconds:.1f} s."
            )
