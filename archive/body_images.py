"""Width and height for the library images a body shows (<img data-file="id">), so the
page keeps their space while they load instead of shifting the text under the reader.

Set on save from the Image's own size, scaled to the widest the article shows a body
image (BODY_IMAGE_WIDTH); a size the editor gave is kept, as is an image
whose file is no longer in the library.

When an editor replaces a library image's file, its old renditions are deleted: every
body showing it is pointed at the new file (follow_replaced_file), its size with it.
"""

import re
from html import escape

from django.db.models import Q

from .languages import LANGUAGE_CODES

# The widest a body image is shown (article.article's 52rem): the picker offers the
# smallest rendition at least this wide (admin/richtext.py).
BODY_IMAGE_WIDTH = 832

# Bodies are sanitized first (archive.sanitize): attributes are double-quoted, lower case,
# with " < > escaped in values, and width/height are digits. An alt text may still end in
# «height=»: the digit after the quote tells a real size from it.
_IMG = re.compile(r"<img\b[^>]*>")
_FILE = re.compile(r'\sdata-file="([0-9]{1,12})"')
_SIZED = re.compile(r'\s(?:width|height)="[0-9]')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def shown_size(width, height, limit=BODY_IMAGE_WIDTH):
    """(width, height) an image of this size takes in the text column, its shape kept."""
    if width <= limit:
        return width, height
    return limit, max(1, round(height * limit / width))


def size_body_images(html, images):
    """`html` with width and height on each unsized library image it shows. `images`:
    the Image model (a parameter so this module does not import the models)."""
    if 'data-file="' not in html:
        return html
    wanted = {
        int(found.group(1))
        for tag in _IMG.findall(html)
        if not _SIZED.search(tag) and (found := _FILE.search(tag))
    }
    if not wanted:
        return html
    sizes = {
        pk: shown_size(width, height)
        for pk, width, height in images.objects.filter(pk__in=wanted, width__gt=0).values_list(
            "pk", "width", "height"
        )
    }

    def sized(match):
        tag = match.group(0)
        found = _FILE.search(tag)
        if _SIZED.search(tag) or not found or int(found.group(1)) not in sizes:
            return tag
        width, height = sizes[int(found.group(1))]
        end = "/>" if tag.endswith("/>") else ">"
        return f'{tag[: -len(end)].rstrip()} width="{width}" height="{height}"{end}'

    return _IMG.sub(sized, html)


def follow_file(html, pk, url, old_size, new_size):
    """`html` with every <img data-file="pk"> showing `url`. The size this module gave
    it from the old file (`old_size`, the file's width and height) becomes the new file's;
    a width the editor chose is kept, with the height of the new shape."""
    old_shown, new_shown = shown_size(*old_size), shown_size(*new_size)

    def followed(match):
        # Sanitized: every attribute is name="value", and no value holds a quote.
        attributes = dict(_ATTRIBUTE.findall(match.group(0)))
        if attributes.get("data-file") != str(pk):
            return match.group(0)
        width, height = new_shown
        given = (attributes.get("width"), attributes.get("height"))
        if given[0] and given != tuple(str(n) for n in old_shown):
            width = int(given[0])
            height = max(1, round(width * new_size[1] / new_size[0]))
        attributes.update(src=escape(url), width=str(width), height=str(height))
        return "<img " + " ".join(f'{name}="{value}"' for name, value in attributes.items()) + ">"

    return _IMG.sub(followed, html)


BODY_FIELDS = [f"body_{code}" for code in LANGUAGE_CODES]


def shown_in(html):
    """The ids of the library images a body shows."""
    return {int(found.group(1)) for tag in _IMG.findall(html or "") if (found := _FILE.search(tag))}


def articles_showing(image_pks, articles, *fields):
    """(article pk, {body field: body}, *fields) of the articles (the Article model)
    whose body shows one of `image_pks` in any language. One pass over the bodies that
    show any library image: as fast for one image as for a hundred selected ones."""
    wanted, any_image = set(image_pks), Q()
    for field in BODY_FIELDS:
        any_image |= Q(**{f"{field}__contains": 'data-file="'})
    rows = articles.objects.filter(any_image).values_list("pk", *BODY_FIELDS, *fields)
    for pk, *values in rows.iterator(chunk_size=500):
        bodies = dict(zip(BODY_FIELDS, values[: len(BODY_FIELDS)], strict=True))
        showing = {f: body for f, body in bodies.items() if shown_in(body) & wanted}
        if showing:
            yield pk, showing, *values[len(BODY_FIELDS) :]


def follow_replaced_file(image, old_size, url, articles):
    """Point the bodies of `articles` (the Article model) that show library image
    `image` at its new file, `url`; returns how many articles changed. A plain update:
    the text, its translation stamps and the search index are unchanged."""
    if not (image.width and old_size[0]):
        return 0
    new_size = (image.width, image.height)
    changed = [
        (
            pk,
            {f: follow_file(body, image.pk, url, old_size, new_size) for f, body in bodies.items()},
        )
        for pk, bodies in articles_showing([image.pk], articles)
    ]
    for pk, bodies in changed:
        articles.objects.filter(pk=pk).update(**bodies)
    return len(changed)
