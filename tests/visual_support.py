"""Screenshots compared with the previous run's: capture a page once everything on it has
loaded, compare it with its baseline with Pillow, and draw where it changed.

Baselines live outside git, in test-output/visual/baseline/ (or ARCHIVE_VISUAL_BASELINE):
a run compares with the last accepted look on the same machine, the first run records it,
and ARCHIVE_ACCEPT_SCREENSHOTS=1 makes this run's look the new baseline (README, "Reading
the archive", says why they are not committed).
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops

from .browser import SCREENSHOTS

OUTPUT = Path(__file__).resolve().parent.parent / "test-output" / "visual"
BASELINE = Path(os.environ.get("ARCHIVE_VISUAL_BASELINE") or OUTPUT / "baseline")
DIFFS = OUTPUT / "diff"
# A pixel has changed when one of its channels moved by more than THRESHOLD (of 255): less
# is anti-aliasing. A page has changed when more than TOLERANCE of its pixels did, or its
# size did: a layout regression moves thousands; the same page renders identically.
THRESHOLD = 32
TOLERANCE = 0.0005
VIEWPORTS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]

READY = """async () => {
  // Pictures below the fold are lazy: ask for them all, then wait for every one.
  document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; });
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  return [...document.images].filter(img => !img.complete || !img.naturalWidth)
    .map(img => img.currentSrc || img.src);
}"""


def capture(page, url, name):
    """Open `url` and save a full-page screenshot as SCREENSHOTS/<name>.png once its
    pictures and fonts have loaded, without animations or a blinking caret."""
    response = page.goto(url, wait_until="networkidle")
    broken = page.evaluate(READY)
    assert broken == [], f"{url}: pictures that did not load: {broken}"
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    return response, path


@dataclass
class Comparison:
    name: str
    outcome: str  # "recorded", "accepted", "same" or "changed"
    detail: str = ""


def compare_with_baseline(name, current, browser_version, baselines=BASELINE, diffs=DIFFS):
    """Compare the screenshot `current` with baselines/<name>.png; record it when there is
    none, replace it when ARCHIVE_ACCEPT_SCREENSHOTS=1; draw diffs/<name>.png when it
    changed."""
    baseline = baselines / f"{name}.png"
    accept = os.environ.get("ARCHIVE_ACCEPT_SCREENSHOTS") == "1"
    if accept or not baseline.exists():
        baselines.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(current, baseline)
        (baselines / f"{name}.browser").write_text(browser_version)
        return Comparison(name, "accepted" if accept else "recorded")
    old = Image.open(baseline).convert("RGB")
    new = Image.open(current).convert("RGB")
    changed, box, mask = changed_pixels(old, new)
    share = changed / (new.width * new.height)
    if old.size == new.size and share <= TOLERANCE:
        return Comparison(name, "same", f"{changed} px")
    diffs.mkdir(parents=True, exist_ok=True)
    draw_diff(old, new, mask).save(diffs / f"{name}.png")
    recorded_with = (baselines / f"{name}.browser").read_text()
    detail = (
        f"{changed} px ({share:.2%}) changed in {box}; size {old.size} -> {new.size}"
        f"; diff: {diffs / f'{name}.png'}"
    )
    if recorded_with != browser_version:
        detail += f"; baseline taken with Chromium {recorded_with}, this is {browser_version}"
    return Comparison(name, "changed", detail)


def _padded(picture, size):
    """`picture` on a canvas of `size`, the new area magenta (so it counts as changed)."""
    if picture.size == size:
        return picture
    canvas = Image.new("RGB", size, (255, 0, 255))
    canvas.paste(picture, (0, 0))
    return canvas


def changed_pixels(old, new):
    """(how many pixels changed, their bounding box, a mask of them) over the larger size."""
    size = (max(old.width, new.width), max(old.height, new.height))
    difference = ImageChops.difference(_padded(old, size), _padded(new, size))
    strongest = ImageChops.lighter(
        ImageChops.lighter(*difference.split()[:2]), difference.split()[2]
    )
    mask = strongest.point(lambda value: 255 if value > THRESHOLD else 0)
    return mask.histogram()[255], mask.getbbox(), mask


def draw_diff(old, new, mask):
    """Baseline, this run, and this run faded with the changed pixels in red, side by side."""
    size = mask.size
    faded = Image.blend(_padded(new, size), Image.new("RGB", size, "white"), 0.7)
    faded.paste((220, 0, 0), mask=mask)
    sheet = Image.new("RGB", (size[0] * 3 + 40, size[1]), "white")
    for n, picture in enumerate((_padded(old, size), _padded(new, size), faded)):
        sheet.paste(picture, (n * (size[0] + 20), 0))
    return sheet
