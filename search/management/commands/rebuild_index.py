"""manage.py rebuild_index: haystack's command, made safe to run while the site serves.

haystack clears the index and then fills it, so readers see an empty or partial index
for the whole rebuild. Here a new generation is built aside and switched in
atomically (search.rebuild). Connections on another backend keep haystack's way.
"""

from django.core.management.base import CommandError
from haystack import connections
from haystack.management.commands import rebuild_index as haystack_rebuild
from tqdm import tqdm

from search import engines
from search.rebuild import rebuild


class Command(haystack_rebuild.Command):
    help = "Rebuild the search index aside from the database and switch to it atomically."

    def handle(self, **options):
        using = options["using"] or list(connections.connections_info)
        ours = [
            alias for alias in using if engines.current().serves(connections[alias].get_backend())
        ]
        others = [alias for alias in using if alias not in ours]
        if others:
            super().handle(**{**options, "using": others})
        for alias in ours:
            if alias != "default":
                raise CommandError("The archive's index is the 'default' connection.")
            self.rebuild(options)

    def rebuild(self, options):
        verbosity = options["verbosity"]
        bar = tqdm(unit=" articles", disable=verbosity < 2, mininterval=1)
        try:
            outcome = rebuild(batch_size=options["batchsize"], progress=bar.update)
        except engines.RebuildRunning as exc:
            raise CommandError(f"{exc}; try again when it has finished.") from None
        finally:
            bar.close()
        if outcome and verbosity:
            self.stdout.write(
                f"Indexed {outcome.documents} articles in {outcome.seconds:.1f} s into "
                f"{outcome.generation}; {outcome.caught_up} changes made meanwhile written after "
                "the switch."
            )
            self.stdout.write(f"Reconciliation: {outcome.reconcile_summary}")
