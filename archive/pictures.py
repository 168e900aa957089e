"""What pages, feeds and JSON-LD take from a library picture: srcsets for <picture>,
and the one JPEG URL for whatever fetches a single file (link previews, feed readers,
search engines). Only renditions are ever linked, never the original."""

from dataclasses import dataclass

from django.utils.feedgenerator import Enclosure

from .renditions import renditions_of

# The rendition for link previews (Open Graph, Twitter, JSON-LD): the widest, up to
# 1600 px (Facebook asks for 1200 or more). Feeds take a lighter one.
SHARE_WIDTH = 1600
FEED_WIDTH = 1024
FEED_THUMBNAIL_WIDTH = 640


# How wide each layout shows a picture, for the `sizes` attribute (the browser picks the
# rendition before it knows the CSS). Pico's container is a fixed width per breakpoint, the
# columns in it are site.css's (.front, .tiles, .rubric-blocks, .article-layout); measured
# in Chromium at each breakpoint (tests/test_browser_design.py checks them at 390 and
# 1280 px). Media queries count rem from 16 px whatever the page's font size: pixels here.
SIZES = {
    "article": "(min-width: 1536px) 1081px, (min-width: 1280px) 831px, "
    "(min-width: 1024px) 602px, (min-width: 768px) 700px, (min-width: 576px) 510px, "
    "calc(100vw - 32px)",
    "card": "(max-width: 575px) 80px, 144px",  # site.css: 5rem on a phone, else 8rem
    # The home's lead story: the column beside the headlines from 1024 px (site.css .front).
    "lead": "(min-width: 1536px) 1072px, (min-width: 1280px) 822px, (min-width: 1024px) 593px, "
    "(min-width: 768px) 700px, (min-width: 576px) 510px, calc(100vw - 32px)",
    # A tile: the home's main block (two columns), a rubric block (three), an article's
    # aside; the widest of them at each width. Beside the text (6.5rem) on a phone.
    "tile": "(min-width: 1536px) 518px, (min-width: 1280px) 393px, (min-width: 1024px) 306px, "
    "(min-width: 768px) 333px, (min-width: 576px) 243px, 104px",
}


@dataclass(frozen=True)
class Picture:
    src: str  # the JPEG an <img> falls back to
    width: int  # of that rendition: the <img>'s width and height attributes
    height: int
    jpeg_srcset: str
    webp_srcset: str


def widest_up_to(image, width):
    """The widest rendition no wider than `width` (or the narrowest there is); None."""
    found = renditions_of(image)
    if not found:
        return None
    fitting = [r for r in found if r.width <= width]
    return fitting[-1] if fitting else found[0]


def picture(image, default_width=1024):
    """Srcsets for the page; None for an image whose renditions were never made."""
    found = renditions_of(image) if image is not None else []
    if not found:
        return None
    url = image.file.storage.url
    fallback = widest_up_to(image, default_width)
    return Picture(
        src=url(fallback.jpeg),
        width=fallback.width,
        height=fallback.height,
        jpeg_srcset=", ".join(f"{url(r.jpeg)} {r.width}w" for r in found),
        webp_srcset=", ".join(f"{url(r.webp)} {r.width}w" for r in found if r.webp),
    )


def shared(image, request, width=SHARE_WIDTH):
    """{"url" (absolute), "width", "height", "bytes", "type"} of the JPEG for machines."""
    rendition = widest_up_to(image, width) if image is not None else None
    if rendition is None:
        return None
    return {
        "url": request.build_absolute_uri(image.file.storage.url(rendition.jpeg)),
        "width": rendition.width,
        "height": rendition.height,
        "bytes": rendition.jpeg_bytes,
        "type": "image/jpeg",
    }


def image_object(image, request):
    """schema.org ImageObject for an article's JSON-LD `image`."""
    jpeg = shared(image, request)
    if jpeg is None:
        return None
    data = {
        "@type": "ImageObject",
        "url": jpeg["url"],
        "contentUrl": jpeg["url"],
        "width": jpeg["width"],
        "height": jpeg["height"],
        "encodingFormat": jpeg["type"],
    }
    if image.caption or image.alt:
        data["caption"] = image.caption or image.alt
    if image.credit:
        data["creditText"] = image.credit
    return data


def image_enclosures(image):
    """[Enclosure] of an article's lead image for a feed (its URL made absolute later)."""
    rendition = widest_up_to(image, FEED_WIDTH)
    if rendition is None:
        return []
    length = str(rendition.jpeg_bytes or 0)  # 0: unknown, as RSS allows
    return [Enclosure(image.file.storage.url(rendition.jpeg), length, "image/jpeg")]


def image_thumbnail(image):
    """Media RSS <media:thumbnail> attributes, the URL still relative; None."""
    rendition = widest_up_to(image, FEED_THUMBNAIL_WIDTH)
    if rendition is None:
        return None
    return {
        "url": image.file.storage.url(rendition.jpeg),
        "width": str(rendition.width),
        "height": str(rendition.height),
    }
