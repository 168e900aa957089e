"""Uploads checked by their bytes (archive/images.py) and the renditions made from them
(archive/renditions.py), on real files made in memory."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from PIL import Image as PILImage
from PIL import ImageFile, PngImagePlugin

from archive.images import check_image
from archive.models import Image
from archive.renditions import make_renditions, renditions_of

from .image_support import (
    GPS_IFD,
    MAKE,
    animated,
    library_image,
    media_path,
    media_root,  # noqa: F401 (a fixture)
    noise_png,
    photo,
    png_of_zeros,
)

pytestmark = pytest.mark.usefixtures("media_root")


def refusal(data, name):
    """The Russian message an editor reads for this file, or None when it passes."""
    with translation.override("ru"):
        try:
            check_image(SimpleUploadedFile(name, data), name)
        except ValidationError as exc:
            return exc.code, " ".join(exc.messages)
    return None


def inflated_length(png):
    """How many bytes a PNG's data inflates to, counted a megabyte at a time."""
    start = png.index(b"IDAT") + 4
    length = int.from_bytes(png[start - 8 : start - 4], "big")
    inflater, data, total = zlib.decompressobj(), png[start : start + length], 0
    while data:
        total += len(inflater.decompress(data, 2**20))
        data = inflater.unconsumed_tail
    return total


@pytest.fixture
def decoded(monkeypatch):
    """Every picture Pillow decodes while the test runs (size and format)."""
    seen = []
    load = ImageFile.ImageFile.load

    def spy(self):
        seen.append((self.format, self.size))
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return seen


# The checks ---------------------------------------------------------------------------


def test_jpeg_png_and_webp_pass():
    for fmt in ("JPEG", "PNG", "WEBP"):
        checked = check_image(io.BytesIO(photo(fmt=fmt)), f"photo.{fmt.lower()}")
        assert (checked.format, checked.width, checked.height) == (fmt, 800, 600)


def test_a_30000_pixel_square_png_is_refused_from_its_header_without_decoding(decoded):
    bomb = png_of_zeros(30000, 30000)
    assert len(bomb) < 200_000  # 900 megapixels in a small file: a decompression bomb
    # A real PNG (read by the plugin alone: Image.open itself refuses it) whose data
    # inflates to the 112 MB its header promises.
    assert PngImagePlugin.PngImageFile(io.BytesIO(bomb)).size == (30000, 30000)
    assert inflated_length(bomb) == 30000 * (1 + 30000 // 8)
    code, message = refusal(bomb, "bomb.png")
    assert code == "bomb"
    assert message.startswith("bomb.png: в заголовке файла указано намного больше")
    assert "50,0 Мп" in message  # the limit, in Russian
    assert decoded == []


def test_a_picture_over_the_pixel_limit_but_under_pillows_is_refused_with_its_size(decoded):
    # 56 Mpx: Pillow itself would decode it (it warns from 89 Mpx); our limit is 50.
    code, message = refusal(png_of_zeros(8000, 7000), "scan.png")
    assert code == "too_many_pixels"
    assert "scan.png" in message and "8000 × 7000" in message
    assert "56,0 Мп" in message and "не больше 50,0 Мп" in message
    assert decoded == []


def test_a_side_over_the_limit_is_refused(decoded):
    code, message = refusal(png_of_zeros(13000, 40), "panorama.png")
    assert code == "too_long_side"
    assert "panorama.png" in message and "13000 × 40" in message and "12000" in message
    assert decoded == []


def test_the_limits_are_settings(settings):
    settings.ARCHIVE_IMAGE_MAX_PIXELS = 200_000
    settings.ARCHIVE_IMAGE_MAX_SIDE = 500
    settings.ARCHIVE_IMAGE_MAX_BYTES = 50_000
    assert refusal(photo(400, 300), "small.jpg") is None
    assert refusal(photo(600, 100), "wide.jpg")[0] == "too_long_side"
    assert refusal(photo(500, 500), "square.jpg")[0] == "too_many_pixels"
    code, message = refusal(noise_png(60_000), "noise.png")
    assert code == "too_big" and "48,8\xa0КБ" in message


def test_a_text_file_renamed_jpg_is_refused():
    code, message = refusal("Это не картинка.\n".encode() * 50, "photo.jpg")
    assert code == "not_image"
    assert message.startswith("photo.jpg — не изображение JPEG, PNG или WebP")


def test_other_picture_formats_are_named():
    gif = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(gif, "GIF")
    code, message = refusal(gif.getvalue(), "logo.jpg")
    assert code == "other_format" and "logo.jpg" in message and "GIF" in message
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'
    assert refusal(svg, "icon.png")[0] == "other_format"


def test_a_file_over_ten_mebibytes_is_refused_before_it_is_opened(decoded):
    big = noise_png(10 * 2**20 + 1)
    assert len(big) > 10 * 2**20
    code, message = refusal(big, "huge.png")
    assert code == "too_big"
    assert message.startswith("huge.png: файл весит 10,1\xa0МБ")
    assert message.endswith("не больше 10,0\xa0МБ.")
    assert decoded == []


@pytest.mark.parametrize(
    "fmt, options", [("JPEG", {}), ("JPEG", {"progressive": True}), ("PNG", {}), ("WEBP", {})]
)
@pytest.mark.parametrize("kept", [0.5, 0.95])
def test_a_file_cut_short_is_refused_as_damaged(fmt, options, kept):
    # Noise, so that every part of the file holds pixels (a flat picture is mostly header).
    noise = PILImage.open(io.BytesIO(noise_png(300_000))).convert("RGB")
    out = io.BytesIO()
    noise.save(out, fmt, **options)
    whole = out.getvalue()
    assert refusal(whole, f"whole.{fmt.lower()}") is None
    code, message = refusal(whole[: int(len(whole) * kept)], f"cut.{fmt.lower()}")
    assert code == "damaged"
    shown = {"WEBP": "WebP"}.get(fmt, fmt)
    assert message.startswith(f"cut.{fmt.lower()} повреждён или обрезан: данные {shown} ")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animations_are_refused(fmt):
    code, message = refusal(animated(fmt), f"moving.{fmt.lower()}")
    assert code == "animated"
    assert "moving." in message and "3 кадра" in message


def test_settings_defaults():
    from django.conf import settings

    assert settings.ARCHIVE_IMAGE_MAX_BYTES == 10 * 2**20
    assert settings.ARCHIVE_IMAGE_MAX_PIXELS == 50_000_000
    assert settings.ARCHIVE_IMAGE_MAX_SIDE == 12_000


# Renditions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_renditions_in_each_width_below_the_original_never_wider():
    media = media_path()
    image = library_image(photo(1200, 800))
    made = renditions_of(image)
    assert [(r.width, r.height) for r in made] == [(320, 213), (640, 427), (1024, 683), (1200, 800)]
    for rendition in made:
        for name, fmt in ((rendition.jpeg, "JPEG"), (rendition.webp, "WEBP")):
            assert name.startswith(f"renditions/{image.pk}/")
            with PILImage.open(media / name) as picture:
                assert picture.format == fmt
                assert picture.size == (rendition.width, rendition.height)
        assert (media / rendition.jpeg).stat().st_size == rendition.jpeg_bytes
    small = library_image(photo(200, 100), name="small.jpg")
    assert [(r.width, r.height) for r in renditions_of(small)] == [(200, 100)]


@pytest.mark.django_db
def test_renditions_are_upright_and_carry_no_metadata():
    media = media_path()
    # Stored 800 x 400, left half red; orientation 6: shown turned 90° clockwise, so the
    # red half is on top. With a camera make and a GPS position that must not travel.
    data = photo(800, 400, orientation=6, gps=True)
    with PILImage.open(io.BytesIO(data)) as original:
        assert original.getexif()[MAKE] == "ArchiveTestCam"
        assert GPS_IFD in original.getexif()
    image = library_image(data)
    assert image.renditions["meta"]["width"] == 400 and image.renditions["meta"]["height"] == 800
    for rendition in renditions_of(image):
        assert rendition.width < rendition.height
        for name in (rendition.jpeg, rendition.webp):
            raw = (media / name).read_bytes()
            assert b"Exif" not in raw and b"ArchiveTestCam" not in raw
            with PILImage.open(media / name) as picture:
                assert not picture.getexif()
                assert "icc_profile" not in picture.info and "xmp" not in picture.info
                rgb = picture.convert("RGB")
                top = rgb.getpixel((picture.width // 2, picture.height // 5))
                bottom = rgb.getpixel((picture.width // 2, picture.height * 4 // 5))
                assert top[0] > 180 > top[2] and bottom[2] > 180 > bottom[0]


@pytest.mark.django_db
def test_transparency_is_kept_in_webp_and_laid_on_white_in_jpeg():
    media = media_path()
    out = io.BytesIO()
    PILImage.new("RGBA", (400, 200), (0, 0, 0, 0)).save(out, "PNG")
    image = library_image(out.getvalue(), name="clear.png")
    first = renditions_of(image)[0]
    with PILImage.open(media / first.webp) as webp:
        assert webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0
    with PILImage.open(media / first.jpeg) as jpeg:
        assert min(jpeg.convert("RGB").getpixel((5, 5))) > 245


@pytest.mark.django_db(transaction=True)
def test_remaking_replaces_files_and_deleting_an_image_deletes_them_all():
    media = media_path()
    image = library_image(photo(700, 500))
    first = {r.jpeg for r in renditions_of(image)} | {r.webp for r in renditions_of(image)}
    original = media / image.file.name
    assert original.exists() and all((media / n).exists() for n in first)

    with override_settings(ARCHIVE_IMAGE_WIDTHS=(300, 600)):
        make_renditions(image)
    second = {r.jpeg for r in renditions_of(image)} | {r.webp for r in renditions_of(image)}
    assert [r.width for r in renditions_of(image)] == [300, 600]  # 600: the widest asked
    assert not any((media / n).exists() for n in first - second)
    assert all((media / n).exists() for n in second)

    with transaction.atomic():
        Image.objects.get(pk=image.pk).delete()
        assert original.exists()  # until the commit
    assert not original.exists()
    assert not any((media / n).exists() for n in second)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_delete_keeps_the_files():
    media = media_path()
    image = library_image()
    with pytest.raises(RuntimeError), transaction.atomic():
        image.delete()
        raise RuntimeError
    assert (media / image.file.name).exists()
    assert all((media / r.jpeg).exists() for r in renditions_of(image))


@pytest.mark.django_db
def test_make_renditions_command_rebuilds_what_is_missing(capsys):
    image = library_image(photo(900, 600))
    lost = renditions_of(image)[0].webp
    default_storage.delete(lost)
    call_command("make_renditions", "--missing")
    assert "Renditions made for 1 images; 0 complete, 0 failed." in capsys.readouterr().out
    image.refresh_from_db()
    assert all(default_storage.exists(r.webp) for r in renditions_of(image))
    call_command("make_renditions", "--missing")
    assert "for 0 images; 1 complete" in capsys.readouterr().out
    call_command("make_renditions")
    assert "for 1 images" in capsys.readouterr().out


@pytest.mark.django_db
def test_make_renditions_command_reports_a_damaged_original(capsys):
    media = media_path()
    image = library_image(photo(900, 600))
    path = media / image.file.name
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(SystemExit):
        call_command("make_renditions")
    captured = capsys.readouterr()
    assert f"image {image.pk}" in captured.err and "1 failed" in captured.out
