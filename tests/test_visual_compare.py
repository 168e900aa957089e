"""The screenshot comparison of tests/visual_support.py on pictures made here: the same
picture passes, anti-aliasing-sized noise passes, a moved block or a longer page fails
with a diff drawn, a first run records, ARCHIVE_ACCEPT_SCREENSHOTS=1 accepts."""

import pytest
from PIL import Image, ImageDraw

from .visual_support import compare_with_baseline


def page_picture(path, block_top=100, height=600, noise=0):
    picture = Image.new("RGB", (300, height), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((20, block_top, 280, block_top + 80), fill=(30, 90, 160))
    draw.text((20, 20), "Последние новости", fill=(20, 20, 20))
    if noise:  # a few pixels a shade off, as sub-pixel anti-aliasing would leave
        for x in range(0, 40, 4):
            r, g, b = picture.getpixel((x, 300))
            picture.putpixel((x, 300), (r - noise, g - noise, b - noise))
    picture.save(path)
    return path


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    monkeypatch.delenv("ARCHIVE_ACCEPT_SCREENSHOTS", raising=False)
    return tmp_path / "baseline", tmp_path / "diff"


def compare(path, dirs):
    return compare_with_baseline("home", path, "156.0", *dirs)


def test_a_first_run_records_and_the_same_look_passes(tmp_path, dirs):
    assert compare(page_picture(tmp_path / "a.png"), dirs).outcome == "recorded"
    assert (dirs[0] / "home.png").exists()
    assert compare(page_picture(tmp_path / "b.png"), dirs).outcome == "same"
    assert compare(page_picture(tmp_path / "c.png", noise=20), dirs).outcome == "same"
    assert not dirs[1].exists()


def test_a_moved_block_fails_with_a_diff(tmp_path, dirs):
    compare(page_picture(tmp_path / "a.png"), dirs)
    found = compare(page_picture(tmp_path / "b.png", block_top=130), dirs)
    assert found.outcome == "changed"
    assert "changed in (20, 100, 281, 211)" in found.detail
    diff = Image.open(dirs[1] / "home.png")
    assert diff.size == (300 * 3 + 40, 600)
    assert diff.getpixel((2 * 320 + 150, 105)) == (220, 0, 0)  # the block's old top
    assert diff.getpixel((2 * 320 + 150, 400)) != (220, 0, 0)  # unchanged white


def test_a_longer_page_fails_and_a_new_browser_is_named(tmp_path, dirs):
    compare(page_picture(tmp_path / "a.png"), dirs)
    found = compare_with_baseline(
        "home", page_picture(tmp_path / "b.png", height=640), "157.0", *dirs
    )
    assert found.outcome == "changed"
    assert "size (300, 600) -> (300, 640)" in found.detail
    assert "baseline taken with Chromium 156.0, this is 157.0" in found.detail


def test_accepting_makes_the_new_look_the_baseline(tmp_path, dirs, monkeypatch):
    compare(page_picture(tmp_path / "a.png"), dirs)
    moved = page_picture(tmp_path / "b.png", block_top=130)
    monkeypatch.setenv("ARCHIVE_ACCEPT_SCREENSHOTS", "1")
    assert compare(moved, dirs).outcome == "accepted"
    monkeypatch.delenv("ARCHIVE_ACCEPT_SCREENSHOTS")
    assert compare(page_picture(tmp_path / "c.png", block_top=130), dirs).outcome == "same"
