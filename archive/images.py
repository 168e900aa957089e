"""What an uploaded picture must be before the library keeps it: checked by its bytes,
never by its name, and refused with a message naming the file and the limit it broke.

Accepted: JPEG, PNG and WebP, the three formats every browser, feed reader and link
preview shows (GIF is animation, TIFF, HEIC and SVG are not shown everywhere, and SVG
can carry script). The checks run cheapest first, so a hostile file costs little:

1. the size in bytes (ARCHIVE_IMAGE_MAX_BYTES), before anything is read;
2. the header only (Image.open is lazy): the format, then width and height against
   ARCHIVE_IMAGE_MAX_SIDE and ARCHIVE_IMAGE_MAX_PIXELS, so a 30000 x 30000 "decompression
   bomb" is refused from its first bytes and never decoded (Pillow's own bomb warning and
   error are caught as well);
3. animation: an animated PNG or WebP is refused (renditions would keep one frame);
4. a full decode, which finds files cut short or damaged.
"""

import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from PIL import Image, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")
# A JPEG with several pictures in it (MPO: phone cameras add a depth or HDR map) is
# opened by Pillow as MPO; its first picture is the photo, so it is taken as a JPEG.
MIME_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp"}

# Defaults of the settings of the same name (archive/settings.py reads the environment).
# 50 megapixels is more than agency photos have (24-45); decoding one takes up to 200 MB.
MAX_BYTES = 10 * 2**20
MAX_PIXELS = 50_000_000
MAX_SIDE = 12_000

# Formats editors upload by mistake, recognised by their first bytes only (no decoder
# for them is ever run), so the message can say what the file is.
OTHER_FORMATS = [
    (0, b"GIF8", "GIF"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (0, b"BM", "BMP"),
    (0, b"%PDF", "PDF"),
    (4, b"ftypheic", "HEIC"),
    (4, b"ftypheix", "HEIC"),
    (4, b"ftypmif1", "HEIF"),
    (4, b"ftypavif", "AVIF"),
]

MESSAGES = {
    "too_big": _("%(name)s is %(size)s; pictures up to %(limit)s can be uploaded."),
    "not_image": _(
        "%(name)s is not a JPEG, PNG or WebP picture (its contents were checked, not its "
        "name). Save it in one of these formats and upload it again."
    ),
    "other_format": _(
        "%(name)s is a %(format)s file; only JPEG, PNG and WebP pictures can be uploaded. "
        "Save it as JPEG or PNG and upload it again."
    ),
    "too_many_pixels": _(
        "%(name)s is %(width)s × %(height)s px (%(megapixels)s megapixels); pictures up "
        "to %(limit)s megapixels can be uploaded. Reduce it and upload it again."
    ),
    "bomb": _(
        "%(name)s declares far more than %(limit)s megapixels in its header; it was not "
        "opened (such a file can exhaust the server's memory)."
    ),
    "too_long_side": _(
        "%(name)s is %(width)s × %(height)s px; a side may be at most %(limit)s px. "
        "Reduce it and upload it again."
    ),
    "animated": ngettext_lazy(
        "%(name)s is animated (%(frames)s frame); upload a still picture.",
        "%(name)s is animated (%(frames)s frames); upload a still picture.",
        "frames",
    ),
    "damaged": _(
        "%(name)s is damaged or cut short: its %(format)s data cannot be read to the end. "
        "Save or export the picture again and upload it."
    ),
}


@dataclass
class CheckedImage:
    format: str  # as Pillow names it: JPEG, MPO, PNG, WEBP
    width: int  # as stored, before the EXIF orientation turns it
    height: int

    @property
    def mime_type(self):
        return MIME_TYPES[self.format]

    @property
    def extension(self):
        return EXTENSIONS[self.format]


def limits():
    return {
        "bytes": getattr(settings, "ARCHIVE_IMAGE_MAX_BYTES", MAX_BYTES),
        "pixels": getattr(settings, "ARCHIVE_IMAGE_MAX_PIXELS", MAX_PIXELS),
        "side": getattr(settings, "ARCHIVE_IMAGE_MAX_SIDE", MAX_SIDE),
    }


def _refuse(code, name, **params):
    raise ValidationError(MESSAGES[code], code=code, params={"name": name, **params})


def _megapixels(pixels):
    return number_format(round(pixels / 1_000_000, 1), decimal_pos=1)


def _accepted_signature(head):
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _other_format(head):
    for offset, signature, name in OTHER_FORMATS:
        if head[offset : offset + len(signature)] == signature:
            return name
    if head.lstrip()[:5] in (b"<?xml", b"<svg ") or b"<svg" in head:
        return "SVG"
    return None


def open_image(fileobj, name):
    """The picture in `fileobj` opened (header only) after the byte, format, pixel and
    animation checks; a ValidationError with the editor's message otherwise."""
    limit = limits()
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    if size > limit["bytes"]:
        _refuse("too_big", name, size=filesizeformat(size), limit=filesizeformat(limit["bytes"]))
    fileobj.seek(0)
    head = fileobj.read(64)
    fileobj.seek(0)
    try:
        # Pillow warns past MAX_IMAGE_PIXELS (89 Mpx) and raises past twice that, from
        # the header; both are refusals here (our own limit is lower still).
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(fileobj, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse("bomb", name, limit=_megapixels(limit["pixels"]))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        claimed = _accepted_signature(head)
        if claimed:  # it starts as one of ours: a WebP cut short fails here already
            _refuse("damaged", name, format=claimed)
        other = _other_format(head)
        if other:
            _refuse("other_format", name, format=other)
        _refuse("not_image", name)
    width, height = image.size
    if max(width, height) > limit["side"]:
        _refuse("too_long_side", name, width=width, height=height, limit=limit["side"])
    if width * height > limit["pixels"]:
        _refuse(
            "too_many_pixels",
            name,
            width=width,
            height=height,
            megapixels=_megapixels(width * height),
            limit=_megapixels(limit["pixels"]),
        )
    frames = getattr(image, "n_frames", 1)
    if frames > 1 and image.format != "MPO":
        _refuse("animated", name, frames=frames)
    return image


def load_image(image, name, box=None):
    """Decode an opened picture, at least `box` (w, h) big for a JPEG (libjpeg decodes at
    1/2 .. 1/8 scale, reading every byte all the same, so a file cut short still fails);
    a picture that cannot be read to the end is refused with the "damaged" message."""
    fmt = image.format
    try:
        if box and fmt in ("JPEG", "MPO"):
            image.draft(None, box)
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        _refuse("damaged", name, format={"MPO": "JPEG", "WEBP": "WebP"}.get(fmt, fmt))
    return image


def check_image(fileobj, name):
    """Every check, the full decode included; the CheckedImage when the picture passes."""
    image = open_image(fileobj, name)
    checked = CheckedImage(image.format, *image.size)
    try:
        load_image(image, name, (max(1, image.width // 8), max(1, image.height // 8)))
    finally:
        # Not image.close(): it would close the upload too. The pixels go with `image`.
        fileobj.seek(0)
    return checked


def name_for(name, checked):
    """The upload's file name with the extension of what it really is (photo.png that
    is a JPEG is kept as photo.jpg)."""
    path = PurePath(name or "image")
    return path.stem + checked.extension
