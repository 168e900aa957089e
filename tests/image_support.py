"""Real picture files for the image tests, made in memory: photos with EXIF, PNG
"decompression bombs" written cheaply, animations, files cut short."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from archive.models import Image
from archive.renditions import make_renditions

ORIENTATION, GPS_IFD, MAKE = 0x0112, 0x8825, 0x010F


@pytest.fixture
def media_root(settings, tmp_path):
    """MEDIA_ROOT in a temporary directory (the storage follows the setting)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def media_path():
    return Path(settings.MEDIA_ROOT)


def photo(width=800, height=600, fmt="JPEG", orientation=None, gps=False, **save):
    """A picture whose left half is red and right half blue (so turning it shows), with
    EXIF (camera make, optional orientation and GPS position) when `orientation` or
    `gps` is given."""
    picture = PILImage.new("RGB", (width, height), (220, 30, 30))
    picture.paste((30, 60, 220), (width // 2, 0, width, height))
    exif = PILImage.Exif()
    if orientation or gps:
        exif[MAKE] = "ArchiveTestCam"
        if orientation:
            exif[ORIENTATION] = orientation
        if gps:
            exif[GPS_IFD] = {1: "N", 2: (40.0, 26.0, 46.0), 3: "E", 4: (49.0, 52.0, 2.0)}
        save["exif"] = exif.tobytes()
    out = io.BytesIO()
    picture.save(out, fmt, **save)
    return out.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_of_zeros(width, height):
    """A valid 1-bit grey PNG of `width` x `height`, all black, written row by row:
    30000 x 30000 (900 megapixels) takes ~110 KB and well under a second to make."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    packer = zlib.compressobj(9)
    parts = []
    rows_per_block = max(1, 4_000_000 // len(row))
    for start in range(0, height, rows_per_block):
        parts.append(packer.compress(row * min(rows_per_block, height - start)))
    parts.append(packer.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def animated(fmt, frames=3):
    pictures = [PILImage.new("RGB", (64, 64), (i * 80, 40, 40)) for i in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, fmt, save_all=True, append_images=pictures[1:], duration=100, loop=0)
    return out.getvalue()


def noise_png(nbytes):
    """A PNG of random pixels (incompressible) at least `nbytes` long."""
    import os

    side = int((nbytes / 3) ** 0.5) + 8
    picture = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    picture.save(out, "PNG", compress_level=0)
    return out.getvalue()


def library_image(data=None, name="photo.jpg", **fields):
    """An Image in the library with its renditions, as the admin leaves it."""
    stored = default_storage.save(f"images/test/{name}", ContentFile(data or photo()))
    values = {"alt_ru": "Красно-синий снимок", "credit": "Тестовое агентство", **fields}
    image = Image(**values)
    image.file = stored
    image.save()
    make_renditions(image)
    return image
