"""Content committed outside a test's transaction (module fixtures build it once), and
the database given back exactly as it was found afterwards."""

from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection


def snapshot():
    """Every row of the database, for `restore`."""
    return connection.creation.serialize_db_to_string()


def restore(rows):
    """Every table holds exactly `rows` again.

    A flush alone would also wipe what migrations seeded (the synonym groups), and every
    later test of the session would search without them; deleting the models one knows
    of leaves behind the rows of models added since (stories, images)."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(rows)
    # Rows came back with their own ids; PostgreSQL's sequences must move past them.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    cache.clear()
