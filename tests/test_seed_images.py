"""The seed articles' pictures, drawn by the project (archive/illustrations.py)."""

import io
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Q
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from archive import illustrations
from archive.illustrations import (
    CREDIT,
    CREDITS,
    DRAWN,
    MILESTONES,
    draw_timeline,
    find_fonts,
    texts,
)
from archive.models import Article, Image
from archive.renditions import renditions_of

from .image_support import library_image, media_path, media_root  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)


def test_the_milestones_are_the_seed_articles_dates():
    # Dates as the seed articles report them (archive/fixtures/seed.json).
    assert [m.day for m in MILESTONES] == [
        date(2019, 12, 27),  # resolution 74/247
        date(2022, 3, 5),  # middle of the first session, 28 February - 11 March 2022
        date(2024, 8, 3),  # middle of the concluding session, 29 July - 9 August 2024
        date(2024, 12, 24),  # adoption by the General Assembly
        date(2025, 10, 25),  # opening for signature in Hanoi
    ]


def test_each_seed_article_gets_its_own_credited_picture_in_three_languages(seeded):
    assert illustrations.ensure_seed_images() == 15
    for index, milestone in enumerate(MILESTONES):
        article = Article.objects.get(slug=milestone.slug)
        for language in ("ru", "az", "en"):
            # Each language's lead image is the picture with its words in that language.
            image = getattr(article, f"lead_image_{language}")
            suffix = "" if language == "ru" else f"-{language}"
            assert image.file.name == f"images/seed/{milestone.key}{suffix}.png"
            assert image.credit == CREDITS[language]
            assert CREDITS["ru"] == CREDIT == "Архив новостей (иллюстрация); данные: ООН"
            for code in ("ru", "az", "en"):
                assert milestone.when[code] in getattr(image, f"alt_{code}")
                assert "74/247" in getattr(image, f"caption_{code}")
            assert [r.width for r in renditions_of(image)] == [320, 640, 1024, 1600]
            stored = default_storage.open(image.file.name).read()
            # the same bytes every time
            assert stored == draw_timeline(index, find_fonts(), language)
        # The library tells the versions apart: an alt text names the labels' language
        # where it is not the alt text's own.
        assert article.lead_image_ru.alt_en == texts(milestone)["alt_en"]
        assert article.lead_image_az.alt_ru.endswith("Надписи на азербайджанском языке.")
        assert article.lead_image_az.alt_en.endswith("Labels in Azerbaijani.")
        assert article.lead_image_en.alt_az.endswith("Yazılar ingilis dilindədir.")
        assert article.lead_image_az.alt_az == texts(milestone)["alt_az"]
    assert Image.objects.count() == 15


def test_the_versions_say_the_same_in_their_own_language():
    fonts = find_fonts()
    for language, words in DRAWN.items():
        assert len(words["dates"]) == len(MILESTONES)
        assert all(language in milestone.drawn for milestone in MILESTONES)
    assert "Kibercinayətkarlığa" in DRAWN["az"]["title"]
    versions = {code: draw_timeline(3, fonts, code) for code in ("ru", "az", "en")}
    assert len(set(versions.values())) == 3
    for code, data in versions.items():
        assert PILImage.open(io.BytesIO(data)).size == (1600, 900)
        assert draw_timeline(3, fonts, code) == data  # deterministic in every language


def test_a_second_run_draws_nothing_and_respects_an_editor(seeded):
    illustrations.ensure_seed_images()
    first = Article.objects.get(slug=MILESTONES[0].slug)
    first.lead_image_ru = None
    first.lead_image_az = None
    first.save()
    assert illustrations.ensure_seed_images() == 0
    first.refresh_from_db()
    # taken off on purpose: not put back
    assert first.lead_image_ru is None and first.lead_image_az is None
    assert first.lead_image_en.file.name == f"images/seed/{MILESTONES[0].key}-en.png"


def test_new_versions_follow_the_russian_picture_only(seeded):
    # A database illustrated before the versions existed: the Russian pictures only, one
    # of them replaced by an editor's own photo.
    illustrations.ensure_seed_images()
    Image.objects.filter(Q(file__endswith="-az.png") | Q(file__endswith="-en.png")).delete()
    assert Image.objects.count() == 5
    assert not Article.objects.exclude(lead_image_az=None).exists()
    replaced = Article.objects.get(slug=MILESTONES[1].slug)
    replaced.lead_image_ru = library_image(name="own.jpg", alt_ru="Снимок редакции")
    replaced.save()
    assert illustrations.ensure_seed_images() == 10
    for milestone in MILESTONES:
        article = Article.objects.get(slug=milestone.slug)
        if article.pk == replaced.pk:  # the versions of a picture the article does not show
            assert article.lead_image_az is None and article.lead_image_en is None
        else:
            assert article.lead_image_az.file.name == f"images/seed/{milestone.key}-az.png"
            assert article.lead_image_en.file.name == f"images/seed/{milestone.key}-en.png"


def test_a_lost_file_is_drawn_again(seeded):
    illustrations.ensure_seed_images()
    image = Image.objects.get(file=f"images/seed/{MILESTONES[2].key}.png")
    (media_path() / image.file.name).unlink()
    assert illustrations.ensure_seed_images() == 1
    assert (media_path() / image.file.name).is_file()
    assert Image.objects.count() == 15


def test_the_picture_is_a_16_by_9_png_with_its_milestone_marked():
    fonts = find_fonts()
    pictures = [PILImage.open(io.BytesIO(draw_timeline(i, fonts))) for i in range(5)]
    assert {(p.format, p.size) for p in pictures} == {("PNG", (1600, 900))}
    # The marked step's dot is drawn big and in the accent colour, on the axis.
    for index, picture in enumerate(pictures):
        x = round(illustrations._x_for(MILESTONES[index].day))
        assert picture.getpixel((x, illustrations.AXIS_Y)) == (11, 99, 176)  # ACCENT
        other = round(illustrations._x_for(MILESTONES[(index + 2) % 5].day))
        assert picture.getpixel((other, illustrations.AXIS_Y)) != (11, 99, 176)


def test_the_font_found_draws_every_letter_of_the_pictures():
    fonts = find_fonts()
    assert fonts is not None, f"install {illustrations.FONT_PACKAGE} (README, 'The admin')"
    for path in fonts:
        font = ImageFont.truetype(path, 40)

        def drawn(letter, font=font):
            canvas = PILImage.new("L", (60, 60))
            ImageDraw.Draw(canvas).text((5, 5), letter, font=font, fill=255)
            return canvas.tobytes()

        missing = drawn("\U0010fffd")  # what the font draws where it has no glyph
        text = ""
        for code, words in DRAWN.items():  # Cyrillic, and Azerbaijani's ə, ğ, ı, İ, ş ...
            text += words["title"] + words["subtitle"] + words["footer"] + "".join(words["dates"])
            text += "".join(m.drawn[code] for m in MILESTONES)
        letters = {c for c in text if c.isalpha() and not c.isascii()}
        assert len(letters) > 25 and set("əğışçüİ") <= letters
        assert [letter for letter in sorted(letters) if drawn(letter) == missing] == []


def test_without_a_cyrillic_font_the_picture_is_drawn_in_english(seeded, monkeypatch):
    assert find_fonts([("/nonexistent/a.ttf", "/nonexistent/b.ttf")]) is None
    real = find_fonts()
    monkeypatch.setattr(illustrations, "FONT_CANDIDATES", [])
    # The Russian picture only, in English: versions would all be the same English one.
    assert illustrations.ensure_seed_images() == 5
    assert not Article.objects.exclude(lead_image_az=None).exists()
    image = Image.objects.get(file=f"images/seed/{MILESTONES[4].key}.png")
    stored = PILImage.open(default_storage.open(image.file.name))
    assert stored.size == (1600, 900)
    assert default_storage.open(image.file.name).read() == draw_timeline(4, None)
    assert draw_timeline(4, None) != draw_timeline(4, real)


def test_setup_demo_draws_them(seeded, search_index):
    call_command("setup_demo", demo_articles=0, verbosity=0)
    for code in ("ru", "az", "en"):
        assert Article.objects.filter(**{f"lead_image_{code}__isnull": False}).count() == 5
