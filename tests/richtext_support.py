"""Shared by the rich-text body tests (test_richtext, test_browser_richtext)."""

import io

import html5lib
from django.core.files.base import ContentFile
from PIL import Image as PillowImage

from archive.models import Image

# Old bodies as they reach the database today: agency paragraphs with line breaks
# between them (RSS imports), a plain-text import (paragraphs_to_html), a demo body.
OLD_BODIES = {
    "rss": '<p>Первый абзац ленты.</p>\n<p>Второй, со <a href="https://apa.az/x" '
    'rel="noopener noreferrer nofollow">ссылкой</a>.</p>\n',
    "plain": "<p>Первый абзац &lt;b&gt;.</p><p>Второй<br>с переносом</p>",
    "demo": "<p>Комитет обсудил проект. Делегации согласовали текст.</p><p>Сессия закрыта.</p>",
}


def make_image(alt_ru="Зал заседаний", color=(30, 90, 160), size=(640, 400), **fields):
    """A library Image with a real PNG file (MEDIA_ROOT must be a temporary directory)."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, color).save(buffer, "PNG")
    image = Image(alt_ru=alt_ru, credit=fields.pop("credit", "Архив"), **fields)
    image.file = ContentFile(buffer.getvalue(), name="picture.png")  # sets width, height
    image.save()
    return image


def form_data(page_html, form_id="article_form"):
    """What a browser submits for the form: every field's value as rendered, textarea
    line breaks sent as CRLF (as browsers do), the "save and continue" button."""
    doc = html5lib.parse(page_html, namespaceHTMLElements=False)
    form = next(f for f in doc.iter("form") if f.get("id") == form_id)
    data = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for element in form.iter():
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio"):
                if element.get("checked") is not None:
                    add(name, element.get("value", "on"))
                continue
            add(name, element.get("value", ""))
        elif element.tag == "textarea":
            add(name, (element.text or "").replace("\n", "\r\n"))
        elif element.tag == "select":
            for option in element.iter("option"):
                if option.get("selected") is not None:
                    add(name, option.get("value", option.text or ""))
    data["_continue"] = ["1"]
    return data
