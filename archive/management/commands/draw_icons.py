"""manage.py draw_icons: (re)write the site's icons from archive/icons.py."""

from django.core.management.base import BaseCommand

from archive import icons


class Command(BaseCommand):
    help = "Draw the favicon, touch icons, SVG icon and web manifest (archive/icons.py)."

    def handle(self, **options):
        for path, data in icons.files().items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.stdout.write(f"{path.relative_to(icons.APP_DIR.parent)}: {len(data)} bytes")
