"""manage.py benchmark_renditions: what an upload costs the web worker that checks it and
makes its renditions, for a 24 Mpx JPEG photo and a 48 Mpx PNG.

The pictures are made first, in a process of their own (`--make DIR`); each is then
checked and rendered in a fresh process (`--one FILE`), which reports the seconds and how
far its peak memory rose. (On Linux a process inherits its parent's peak through fork and
exec: the parent stays small.) Files go to a temporary
directory; nothing is written to the database or to MEDIA_ROOT.
"""

import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.test import override_settings
from PIL import Image as PILImage

from archive.images import check_image
from archive.models import Image
from archive.renditions import make_renditions, renditions_of


def _photo(path):
    # A gradient with noise: compresses like a photo (6 MiB at quality 90).
    base = PILImage.linear_gradient("L").resize((6000, 4000)).convert("RGB")
    noise = PILImage.effect_noise((6000, 4000), 20).convert("RGB")
    PILImage.blend(base, noise, 0.3).save(path, "JPEG", quality=90)


def _flat_png(path):
    PILImage.new("RGB", (8000, 6000), (200, 200, 200)).save(path, "PNG")


PICTURES = [("photo-24mpx.jpg", _photo), ("flat-48mpx.png", _flat_png)]


class Command(BaseCommand):
    help = "Seconds and peak memory to check an upload and make its renditions."

    def add_arguments(self, parser):
        parser.add_argument("--one", help="measure this file only (in this process)")
        parser.add_argument("--make", help="only draw the test pictures into this folder")

    def handle(self, one, make, **options):
        if one:
            return self.measure(Path(one))
        if make:
            for name, draw in PICTURES:
                draw(Path(make) / name)
            return
        command = [sys.executable, sys.argv[0], "benchmark_renditions"]
        with tempfile.TemporaryDirectory(prefix="archive-bench-renditions-") as folder:
            subprocess.run([*command, "--make", folder], check=True)
            for name, _draw in PICTURES:
                subprocess.run([*command, "--one", str(Path(folder) / name)], check=True)

    def measure(self, path):
        data = path.read_bytes()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            start = time.perf_counter()
            check_image(io.BytesIO(data), path.name)
            checked = time.perf_counter() - start
            image = Image(pk=1)
            image.file = default_storage.save(f"images/{path.name}", ContentFile(data))
            start = time.perf_counter()
            make_renditions(image, save=False)
            made = time.perf_counter() - start
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak) / 1024
        sizes = sum((r.jpeg_bytes or 0) + (r.webp_bytes or 0) for r in renditions_of(image))
        self.stdout.write(
            f"{path.name} ({len(data) / 2**20:.1f} MiB): checked in {checked:.2f} s, "
            f"{len(renditions_of(image)) * 2} renditions ({sizes / 1024:.0f} KB) in "
            f"{made:.2f} s; peak memory +{grown:.0f} MB"
        )
