"""Renditions: the library's pictures in the widths the pages need, made with Pillow.

Each picture is turned upright (EXIF orientation), converted to sRGB, stripped of every
metadata block (EXIF with its camera serial and GPS position, XMP, the colour profile
once applied) and scaled down, never up, to each of WIDTHS, in two formats:

- WebP for the pages' <picture> (a third smaller than JPEG at the same look, and shown
  by every browser since 2020);
- JPEG for everything that fetches one URL and may not know WebP: link previews
  (og:image), feed enclosures, JSON-LD, old browsers. Transparency is laid on white.

Files go to MEDIA_ROOT/renditions/<image id>/<digest>-<width>.<ext>. The digest covers
the original's bytes and the settings below, so a changed picture or setting gets new
URLs and the old ones may be cached forever. What was made is kept in Image.renditions,
width -> JPEG as the model says, with the WebP files and the sizes beside:

    {"320": "renditions/7/ab12…-320.jpg", "640": "…-640.jpg", …,
     "webp": {"320": "renditions/7/ab12…-320.webp", …},
     "meta": {"version": 1, "width": 3000, "height": 4000,   # upright size of the original
              "heights": {"320": 427, …}, "bytes": {"320": [18234, 11020], …}}}

Pages and feeds read only the renditions: originals keep the uploader's metadata and
need not be public (README, "The admin").
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps

from .cache import content_changed
from .images import load_image, open_image
from .models import Image

log = logging.getLogger(__name__)

VERSION = 1  # how renditions are drawn; a change here gives every picture new files
WIDTHS = (320, 640, 1024, 1600)
JPEG_QUALITY = 85
WEBP_QUALITY = 80
FOLDER = "renditions"


def widths():
    return tuple(getattr(settings, "ARCHIVE_IMAGE_WIDTHS", WIDTHS))


def widths_for(width):
    """The rendition widths for an original `width` px wide: the configured ones below
    it, and the original's own width when it is narrower than the widest (no upscaling)."""
    wanted = widths()
    chosen = [w for w in wanted if w < width]
    top = min(width, max(wanted))
    if top not in chosen:
        chosen.append(top)
    return chosen


def upright_srgb(picture):
    """A loaded picture turned by its EXIF orientation, in sRGB, as RGB or RGBA. Copies
    only where it must: a 48 Mpx picture is 190 MB a copy."""
    ImageOps.exif_transpose(picture, in_place=True)
    profile = picture.info.get("icc_profile")
    if profile and picture.mode in ("RGB", "RGBA", "CMYK", "L"):
        # The profile is dropped from the renditions, so its colours are applied first
        # (an Adobe RGB photo would look dull without it). A broken profile is ignored.
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if picture.mode == "RGBA" else "RGB"
            picture = ImageCms.profileToProfile(
                picture, source, ImageCms.createProfile("sRGB"), outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            log.warning("ignored a colour profile that could not be read")
    if picture.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit grey PNG
        picture = picture.point(lambda value: value / 256).convert("L")
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    wanted = "RGBA" if has_alpha else "RGB"
    return picture if picture.mode == wanted else picture.convert(wanted)


def _encode(picture, fmt):
    out = io.BytesIO()
    picture.info = {}  # nothing of the original's metadata may travel along
    if fmt == "jpeg":
        if picture.mode == "RGBA":
            flat = PILImage.new("RGB", picture.size, "white")
            flat.paste(picture, mask=picture.getchannel("A"))
            picture = flat
        picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        picture.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def _digest(data):
    recipe = f"{VERSION}:{widths()}:{JPEG_QUALITY}:{WEBP_QUALITY}".encode()
    return hashlib.sha256(recipe + data).hexdigest()[:12]


def _save(storage, name, data):
    # Names are content-addressed: the same name holds the same bytes. Replace rather
    # than let the storage invent "name_x7Kq.jpg" beside a file left by an older run.
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    return saved


def make_renditions(image: Image, save=True):
    """(Re)make `image`'s renditions from its original; old files no longer listed are
    deleted once the transaction commits. Raises ValidationError when the original
    fails the upload checks (archive/images.py)."""
    storage = image.file.storage
    with image.file.open("rb") as original:
        data = original.read()
    name = image.file.name
    picture = open_image(io.BytesIO(data), name)
    stored_size = picture.size
    # A JPEG decodes at the smallest scale still as big as the widest rendition: a
    # 24 Mpx photo at a quarter of its pixels.
    largest = max(widths_for(max(picture.size)))
    load_image(picture, name, (largest, largest))
    decoded_size = picture.size
    upright = upright_srgb(picture)
    orientation_turns = upright.size != decoded_size
    width, height = stored_size[::-1] if orientation_turns else stored_size
    digest = _digest(data)
    made = {"webp": {}, "meta": {"version": VERSION, "width": width, "height": height}}
    heights, sizes = {}, {}
    # Widest first, each from the one before: a 48 Mpx original is scaled down once.
    scaled = upright
    for target in sorted(widths_for(width), reverse=True):
        target_height = max(1, round(height * target / width))
        scaled = scaled.resize(
            (target, target_height), PILImage.Resampling.LANCZOS, reducing_gap=3.0
        )
        key, stem = str(target), f"{FOLDER}/{image.pk}/{digest}-{target}"
        jpeg, webp = _encode(scaled, "jpeg"), _encode(scaled, "webp")
        made[key] = _save(storage, f"{stem}.jpg", jpeg)
        made["webp"][key] = _save(storage, f"{stem}.webp", webp)
        heights[key], sizes[key] = target_height, [len(jpeg), len(webp)]
    made["meta"].update(heights=heights, bytes=sizes)
    old = rendition_files(image)
    image.renditions = made
    stale = old - rendition_files(image)
    if stale:
        transaction.on_commit(lambda: _delete_files(storage, stale))
    if save:
        Image.objects.filter(pk=image.pk).update(renditions=made)
        # update() sends no signal: cached pages showing the old files are dropped here.
        content_changed()
        transaction.on_commit(content_changed)
    return made


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    jpeg: str  # storage names
    webp: str | None
    jpeg_bytes: int | None
    webp_bytes: int | None


def renditions_of(image):
    """The image's renditions, narrowest first (none when they were never made)."""
    made = image.renditions or {}
    meta = made.get("meta", {})
    webp, heights, sizes = made.get("webp", {}), meta.get("heights", {}), meta.get("bytes", {})
    found = []
    for key, jpeg in made.items():
        if not (key.isdigit() and jpeg and key in heights):
            continue
        jpeg_bytes, webp_bytes = sizes.get(key, [None, None])
        found.append(Rendition(int(key), heights[key], jpeg, webp.get(key), jpeg_bytes, webp_bytes))
    return sorted(found, key=lambda r: r.width)


def upright_size(image):
    """(width, height) of the original as shown, after its EXIF orientation."""
    meta = (image.renditions or {}).get("meta", {})
    if "width" in meta:
        return meta["width"], meta["height"]
    return image.width, image.height


def rendition_files(image):
    found = set()
    for rendition in renditions_of(image):
        found.update(name for name in (rendition.jpeg, rendition.webp) if name)
    return found


def missing_files(image):
    """Rendition files the record lists but the storage lacks (or none made at all)."""
    files = rendition_files(image)
    if not files:
        return {"(none made)"}
    storage = image.file.storage
    return {name for name in files if not storage.exists(name)}


def _delete_files(storage, names):
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            log.warning("could not delete %s", name, exc_info=True)


@receiver(post_delete, sender=Image, dispatch_uid="archive-image-files")
def _delete_image_files(sender, instance, **kwargs):
    """An image deleted takes its original and its renditions along, once committed
    (a rolled-back delete keeps them)."""
    storage = instance.file.storage
    names = rendition_files(instance)
    if instance.file.name:
        names.add(instance.file.name)
    transaction.on_commit(lambda: _delete_files(storage, names))


def forget_replaced_original(image, previous_name):
    """After an editor uploaded a new file in place of `previous_name`: delete the old
    one once committed, unless another image still uses it."""
    if not previous_name or previous_name == image.file.name:
        return
    if Image.objects.filter(file=previous_name).exclude(pk=image.pk).exists():
        return
    storage = image.file.storage
    transaction.on_commit(lambda: _delete_files(storage, {previous_name}))
