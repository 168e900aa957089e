"""The site's icon, drawn by the project: a white «A» (Архив, Arxiv, Archive) on the
accent red of site.css, from one polygon that gives both the SVG and the bitmaps.

`manage.py draw_icons` writes the files (they are committed): favicon.ico (16, 32 and
48 px) and apple-touch-icon.png in archive/root/, which whitenoise serves at the site's
root (settings.WHITENOISE_ROOT); the SVG, the manifest's PNGs and the manifest itself
in archive/static/archive/icons/.
"""

import io
import json
from pathlib import Path

from PIL import Image, ImageDraw

RED = "#b3261e"  # site.css --archive-accent (light); white on it is 6.5:1
WHITE = "#ffffff"
GRID = 64  # the drawing's units: a 64 x 64 square
RADIUS = 12  # of the rounded square (browsers' tabs); touch icons are full squares
# The letter: its outline, then its counter (the triangle inside), in GRID units.
OUTLINE = [(14, 52), (27, 12), (37, 12), (50, 52), (41.5, 52), (38.6, 43), (25.4, 43), (22.5, 52)]
COUNTER = [(27.6, 36), (36.4, 36), (32, 21.5)]

APP_DIR = Path(__file__).resolve().parent
ROOT_DIR = APP_DIR / "root"  # settings.WHITENOISE_ROOT
STATIC_DIR = APP_DIR / "static" / "archive" / "icons"
ICO_SIZES = [(16, 16), (32, 32), (48, 48)]
SUPERSAMPLE = 8  # drawn this many times larger, then scaled down: smooth edges


def _points(points):
    return " ".join(f"{x:g} {y:g}" for x, y in points)


def svg():
    """The SVG icon, by hand: a rounded square and the letter, evenodd for the counter."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="{RADIUS}" fill="{RED}"/>'
        f'<path fill="{WHITE}" fill-rule="evenodd" '
        f'd="M{_points(OUTLINE)}Z M{_points(COUNTER)}Z"/></svg>\n'
    )


def draw(size, rounded=True, scale=1.0):
    """The icon as a `size` px RGBA image; `scale` shrinks the letter about the centre
    (a maskable icon keeps it inside the safe circle); unrounded: a full square."""
    big = size * SUPERSAMPLE
    unit = big / GRID
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=RADIUS * unit, fill=RED)
    else:
        pen.rectangle((0, 0, big, big), fill=RED)

    def place(points):
        half = GRID / 2
        return [((half + (x - half) * scale) * unit, (half + (y - half) * scale) * unit)
                for x, y in points]  # fmt: skip

    pen.polygon(place(OUTLINE), fill=WHITE)
    pen.polygon(place(COUNTER), fill=RED)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def png(size, **options):
    out = io.BytesIO()
    draw(size, **options).save(out, "PNG", optimize=True)
    return out.getvalue()


def ico():
    out = io.BytesIO()
    # Each size drawn for itself, not scaled down by the ICO writer.
    largest, *smaller = [draw(width) for width, _height in reversed(ICO_SIZES)]
    largest.save(out, "ICO", sizes=ICO_SIZES, append_images=smaller)
    return out.getvalue()


# The manifest per language: the name an installed site shows, and where it starts.
MANIFEST_NAMES = {
    "ru": ("Архив новостей", "Архив", "/"),
    "az": ("Xəbər arxivi", "Arxiv", "/az/"),
    "en": ("News archive", "Archive", "/en/"),
}


def manifest_name(lang):
    """The manifest's file name for a language (templates/includes/icons.html)."""
    return "site.webmanifest" if lang == "ru" else f"site.{lang}.webmanifest"


def manifest(lang="ru"):
    """The web manifest in `lang`; its icon URLs are relative to it (both in STATIC_DIR)."""
    icons = [
        {"src": "icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "icon-512.png", "sizes": "512x512", "type": "image/png"},
        {
            "src": "icon-maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": "icon.svg", "sizes": "any", "type": "image/svg+xml"},
    ]
    name, short_name, start_url = MANIFEST_NAMES[lang]
    data = {
        "name": name,
        "short_name": short_name,
        "lang": lang,
        "start_url": start_url,
        "display": "browser",
        "background_color": WHITE,
        "theme_color": RED,
        "icons": icons,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def files():
    """{path: bytes} of every icon file."""
    apple = png(180, rounded=False)  # iOS rounds the corners itself
    return {
        ROOT_DIR / "favicon.ico": ico(),
        ROOT_DIR / "apple-touch-icon.png": apple,
        STATIC_DIR / "apple-touch-icon.png": apple,
        STATIC_DIR / "icon.svg": svg().encode(),
        STATIC_DIR / "icon-192.png": png(192),
        STATIC_DIR / "icon-512.png": png(512),
        STATIC_DIR / "icon-maskable-512.png": png(512, rounded=False, scale=0.8),
        **{STATIC_DIR / manifest_name(lang): manifest(lang).encode() for lang in MANIFEST_NAMES},
    }
