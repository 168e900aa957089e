"""manage.py make_renditions: (re)make the library's renditions from the originals."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from archive.models import Image
from archive.renditions import make_renditions, missing_files, renditions_of


class Command(BaseCommand):
    help = (
        "Make every library picture's renditions again (after a change of widths or "
        "quality, or a lost media folder); --missing: only where files are missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="only these images")
        parser.add_argument(
            "--missing", action="store_true", help="only images with rendition files missing"
        )

    def handle(self, ids, missing, verbosity, **options):
        images = Image.objects.order_by("pk")
        if ids:
            images = images.filter(pk__in=ids)
        made = failed = skipped = 0
        for image in images.iterator(chunk_size=200):
            if missing and not missing_files(image):
                skipped += 1
                continue
            try:
                make_renditions(image)
            except (ValidationError, OSError) as exc:
                failed += 1
                reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
                self.stderr.write(f"image {image.pk} ({image.file.name}): {reason}")
                continue
            made += 1
            if verbosity > 1:
                self.stdout.write(f"image {image.pk}: {len(renditions_of(image))} widths")
        self.stdout.write(
            f"Renditions made for {made} images; {skipped} complete, {failed} failed."
        )
        if failed:
            raise SystemExit(1)
