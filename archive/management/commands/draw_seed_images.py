"""manage.py draw_seed_images: the seed articles' pictures (archive/illustrations.py),
drawn and attached where missing. setup_demo runs it; after `loaddata seed` run it
yourself."""

from django.core.management.base import BaseCommand

from archive.illustrations import ensure_seed_images


class Command(BaseCommand):
    help = "Draw the seed articles' timeline pictures where they are missing."

    def handle(self, verbosity, **options):
        drawn = ensure_seed_images()
        if verbosity:
            self.stdout.write(f"Drew {drawn} seed pictures.")
