"""A front page as `make run` fills it, for the design tests: the seed articles with their
drawn pictures, demo articles in five rubrics, and pictures for some of them (abstract
drawings, each labelled as an illustration), so the lead, the tiles and the rubric
blocks show pictures as a real front would."""

import io

from django.core.management import call_command
from PIL import Image as PILImage
from PIL import ImageDraw

from archive.cache import content_changed
from archive.illustrations import ensure_seed_images
from archive.models import Article, Rubric

from .image_support import library_image

DEMO_ARTICLES = 60


def drawing(seed, width=1024, height=576):
    """A JPEG of soft bands and circles in a hue of its own (deterministic for `seed`)."""
    hue = (seed * 47) % 360
    picture = PILImage.new("HSV", (width, height))
    pen = ImageDraw.Draw(picture)
    base = hue * 255 // 360
    for row in range(0, height, 8):
        pen.rectangle((0, row, width, row + 8), fill=(base, 90, 120 + row * 100 // height))
    for i in range(5):
        x = (seed * 131 + i * 211) % width
        y = (seed * 71 + i * 97) % height
        r = 40 + (seed * 13 + i * 29) % 120
        tone = (hue + 40 * i) % 360 * 255 // 360
        pen.ellipse((x - r, y - r, x + r, y + r), fill=(tone, 140, 230))
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def illustrate(article, seed):
    image = library_image(
        drawing(seed),
        name=f"demo-{seed}.jpg",
        alt_ru="Абстрактный рисунок",
        caption_ru="Иллюстрация к демонстрационной статье",
        credit="Архив новостей (демо)",
    )
    Article.objects.filter(pk=article.pk).update(lead_image=image)


def demo_front():
    """Seed + demo articles; pictures for the newest of each rubric and a few more."""
    call_command("loaddata", "seed", verbosity=0)
    ensure_seed_images()
    call_command("generate_articles", count=DEMO_ARTICLES, seed=1, no_index=True, verbosity=0)
    illustrate_some()


def illustrate_some():
    published = Article.objects.published()
    seed = 0
    for rubric in Rubric.objects.all():
        for article in published.filter(rubric=rubric, lead_image=None)[:2]:
            seed += 1
            illustrate(article, seed)
    for article in published.filter(lead_image=None)[:3]:
        seed += 1
        illustrate(article, seed)
    content_changed()  # updates send no signals
