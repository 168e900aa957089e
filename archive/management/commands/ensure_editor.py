from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from archive.demo_account import DEMO_PASSWORD, DEMO_USERNAME


class Command(BaseCommand):
    help = (
        "Local development only: create the 'editor' admin account if no superuser exists "
        "(it cannot log in with DEBUG off, and `check --deploy` fails while it exists)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=DEMO_USERNAME)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, username, password, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create a known-password account with DEBUG off; "
                "use `manage.py createsuperuser` in production."
            )
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists already; nothing created.")
            return
        users.create_superuser(username, f"{username}@localhost", password)
        self.stdout.write(f"Admin account for /admin/: {username} / {password}")
