"""The seed articles' pictures, drawn by the project itself from the facts they report.

Each of the five seed articles (archive/fixtures/seed.json) gets the same timeline of the
UN Convention against Cybercrime, from resolution 74/247 (27 December 2019) to the
opening for signature in Hanoi (October 2025), on a true time scale, with its own step
marked. Dates and wording are those of the seed articles. The drawing is deterministic:
the same font gives the same PNG, byte for byte, on every machine.

The picture has words in it, so it is drawn in each language the archive has: the
Russian one is the article's lead image, and the Azerbaijani and English ones are its
lead image in those languages (Article.lead_image is translated; a language without a
picture of its own shows the Russian one).

Text is drawn in DejaVu Sans (Debian: fonts-dejavu-core), or Liberation Sans. Without
either the picture is drawn with Pillow's built-in font, which has neither Cyrillic nor
Azerbaijani letters: only the Russian version is drawn then, with English labels, and a
warning says which package to install.
"""

import io
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from .languages import LANGUAGE_CODES, ORIGINAL_LANGUAGE
from .models import Article, Image
from .renditions import make_renditions

log = logging.getLogger(__name__)

CREDIT = "Архив новостей (иллюстрация); данные: ООН"
# A picture's credit is one text (Image.credit); each language's version of the drawing
# is a picture of its own, credited in the language of its labels.
CREDITS = {
    "ru": CREDIT,
    "az": "Xəbər arxivi (illüstrasiya); məlumat: BMT",
    "en": "News archive (illustration); data: United Nations",
}
FONT_PACKAGE = "fonts-dejavu-core"
# (regular, bold) pairs with Cyrillic, most wanted first.
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
]  # fmt: skip


@dataclass(frozen=True)
class Milestone:
    slug: str  # the seed article it illustrates
    key: str  # the picture's file name
    day: date  # where it sits on the time axis
    when: dict  # the date as written (in alt texts), per language
    what: dict  # the step (in alt texts), per language
    drawn: dict  # what the picture says under the date, per language


MILESTONES = [
    Milestone(
        "generalnaya-assambleya-oon-uchredila-komitet-ad-hoc-po-razrabotke-konventsii",
        "resolution-2019",
        date(2019, 12, 27),
        {"ru": "27 декабря 2019 года", "az": "27 dekabr 2019-cu il", "en": "27 December 2019"},
        {
            "ru": "резолюция 74/247 учреждает комитет Ad Hoc",
            "az": "74/247 saylı qətnamə «Ad Hoc» Komitəsini təsis edir",
            "en": "resolution 74/247 establishes the Ad Hoc Committee",
        },
        {
            "ru": "Резолюция ГА ООН 74/247 учреждает комитет Ad Hoc",
            # «Ad Hoc» kept on one line (a no-break space: _wrap splits at spaces only).
            "az": "BMT-nin 74/247 saylı qətnaməsi «Ad\u00a0Hoc» Komitəsini təsis edir",
            "en": "UN General Assembly resolution 74/247 sets up the Ad Hoc Committee",
        },
    ),
    Milestone(
        "v-nyu-yorke-proshla-pervaya-peregovornaya-sessiya-komiteta-ad-hoc",
        "first-session-2022",
        date(2022, 3, 5),
        {
            "ru": "28 февраля – 11 марта 2022 года",
            "az": "28 fevral – 11 mart 2022-ci il",
            "en": "28 February – 11 March 2022",
        },
        {
            "ru": "первая переговорная сессия комитета в Нью-Йорке",
            "az": "komitənin Nyu-Yorkda ilk danışıqlar sessiyası",
            "en": "the committee's first negotiating session in New York",
        },
        {
            "ru": "Первая переговорная сессия комитета, Нью-Йорк",
            "az": "Komitənin ilk danışıqlar sessiyası, Nyu-York",
            "en": "First negotiating session of the committee, New York",
        },
    ),
    Milestone(
        "podgotovlen-i-prinyat-itogovyy-proekt-konventsii-oon-protiv-kiberprestupnosti",
        "final-draft-2024",
        date(2024, 8, 3),
        {
            "ru": "29 июля – 9 августа 2024 года",
            "az": "29 iyul – 9 avqust 2024-cü il",
            "en": "29 July – 9 August 2024",
        },
        {
            "ru": "на заключительной сессии принят итоговый проект конвенции",
            "az": "yekun sessiyada konvensiyanın yekun layihəsi qəbul edilib",
            "en": "the final draft of the convention adopted at the concluding session",
        },
        {
            "ru": "Итоговый проект конвенции принят на заключительной сессии",
            "az": "Konvensiyanın yekun layihəsi son sessiyada qəbul edilib",
            "en": "Final draft adopted at the concluding session",
        },
    ),
    Milestone(
        "generalnaya-assambleya-oon-prinyala-konventsiyu-protiv-kiberprestupnosti",
        "adoption-2024",
        date(2024, 12, 24),
        {"ru": "24 декабря 2024 года", "az": "24 dekabr 2024-cü il", "en": "24 December 2024"},
        {
            "ru": "Генеральная Ассамблея ООН принимает конвенцию",
            "az": "BMT Baş Assambleyası konvensiyanı qəbul edir",
            "en": "the UN General Assembly adopts the convention",
        },
        {
            "ru": "Генеральная Ассамблея ООН принимает конвенцию",
            "az": "BMT Baş Assambleyası konvensiyanı qəbul edir",
            "en": "UN General Assembly adopts the convention",
        },
    ),
    Milestone(
        "konventsiya-oon-protiv-kiberprestupnosti-otkryta-dlya-podpisaniya-v-khanoe",
        "signature-2025",
        date(2025, 10, 25),
        {"ru": "октябрь 2025 года", "az": "2025-ci ilin oktyabrı", "en": "October 2025"},
        {
            "ru": "конвенция открыта для подписания в Ханое",
            "az": "konvensiya Hanoyda imzaya açılır",
            "en": "the convention is opened for signature in Hanoi",
        },
        {
            "ru": "Конвенция открыта для подписания в Ханое",
            "az": "Konvensiya Hanoyda imzaya açılır",
            "en": "Convention opened for signature in Hanoi",
        },
    ),
]

ALT = {
    "ru": "Шкала времени: путь Конвенции ООН против киберпреступности с 2019 по 2025 год "
    "в пяти этапах; выделен этап: {when} — {what}.",
    "az": "Zaman şkalası: BMT-nin Kibercinayətkarlığa qarşı Konvensiyasının 2019–2025-ci "
    "illərdəki yolu beş mərhələdə; vurğulanan mərhələ: {when} — {what}.",
    "en": "Timeline of the UN Convention against Cybercrime from 2019 to 2025 in five "
    "steps; highlighted: {when} — {what}.",
}
CAPTION = {
    "ru": "Путь конвенции: от резолюции 74/247 (2019) до открытия для подписания в Ханое "
    "(2025). Выделен этап, о котором рассказывает статья.",
    "az": "Konvensiyanın yolu: 74/247 saylı qətnamədən (2019) Hanoyda imzaya açılmasına "
    "(2025) qədər. Məqalədə bəhs edilən mərhələ vurğulanıb.",
    "en": "The convention's path, from resolution 74/247 (2019) to its opening for "
    "signature in Hanoi (2025). The step this article reports is highlighted.",
}
# In the library each version's alt text says, in the other languages, which language
# its labels are in: an editor choosing a picture sees which one it is.
LABELS_IN = {
    "az": {"ru": "Надписи на азербайджанском языке.", "en": "Labels in Azerbaijani."},
    "en": {"ru": "Надписи на английском языке.", "az": "Yazılar ingilis dilindədir."},
}
DRAWN = {
    "ru": {
        "title": "Конвенция ООН против киберпреступности",
        "subtitle": "Путь от резолюции до подписания, 2019–2025",
        "footer": "Иллюстрация: Архив новостей · данные: ООН",
        "dates": [
            "27 декабря 2019",
            "28 февраля – 11 марта 2022",
            "29 июля – 9 августа 2024",
            "24 декабря 2024",
            "Октябрь 2025",
        ],
    },
    "az": {
        "title": "BMT-nin Kibercinayətkarlığa qarşı Konvensiyası",
        "subtitle": "Qətnamədən imzaya qədər yol, 2019–2025",
        "footer": "İllüstrasiya: Xəbər arxivi · məlumat: BMT",
        "dates": [
            "27 dekabr 2019",
            "28 fevral – 11 mart 2022",
            "29 iyul – 9 avqust 2024",
            "24 dekabr 2024",
            "Oktyabr 2025",
        ],
    },
    "en": {
        "title": "UN Convention against Cybercrime",
        "subtitle": "From resolution to signature, 2019–2025",
        "footer": "Illustration: News archive · data: United Nations",
        "dates": [
            "27 December 2019",
            "28 February – 11 March 2022",
            "29 July – 9 August 2024",
            "24 December 2024",
            "October 2025",
        ],
    },
}

# Drawn at twice the size and reduced, so lines and circles come out smooth.
WIDTH, HEIGHT, SCALE = 1600, 900, 2
AXIS_Y, AXIS_LEFT, AXIS_RIGHT = 325, 100, 1500
AXIS_START, AXIS_END = 2019, 2026
COLUMNS_TOP, COLUMN_WIDTH, COLUMNS_LEFT = 480, 288, 80
DATE_LINE, TEXT_GAP, TEXT_LINE = 36, 10, 34  # line heights and the gap between
# Where each connector turns from the axis towards its column: the third turns above the
# fourth, whose column lies under the third's path.
TURNS = [395, 395, 375, 420, 395]
INK, MUTED, LINE, ACCENT, TINT, PAPER = (
    "#1d2733", "#5b6776", "#c5ced8", "#0b63b0", "#e4eef8", "#f7f8fa",
)  # fmt: skip


def find_fonts(candidates=None):
    """(regular, bold) font paths with Cyrillic, or None."""
    for regular, bold in FONT_CANDIDATES if candidates is None else candidates:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    return None


def _fonts(paths):
    def font(size, bold=False):
        if paths is None:
            return ImageFont.load_default(size * SCALE)
        return ImageFont.truetype(paths[1] if bold else paths[0], size * SCALE)

    return font


def _x_for(day):
    year_start = date(day.year, 1, 1)
    fraction = (day - year_start).days / (date(day.year + 1, 1, 1) - year_start).days
    span = AXIS_RIGHT - AXIS_LEFT
    return AXIS_LEFT + span * (day.year + fraction - AXIS_START) / (AXIS_END - AXIS_START)


def _wrap(draw, text, font, width):
    """Lines of `text` no wider than `width` px (scaled), never breaking after a number
    («28 февраля –» / «11 марта 2022»)."""
    words = []
    for word in text.split(" "):
        if words and words[-1].isdigit():
            words[-1] += " " + word
        else:
            words.append(word)
    lines = []
    for word in words:
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width * SCALE:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def _plain(value):
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value.replace("–", "-")


def draw_timeline(marked: int, fonts=None, language=ORIGINAL_LANGUAGE) -> bytes:
    """The timeline as PNG bytes, with MILESTONES[marked] highlighted, its words in
    `language` (in English without `fonts`: Pillow's own font has only Latin letters)."""
    language = language if fonts else "en"
    words = DRAWN[language]
    drawn = {index: milestone.drawn[language] for index, milestone in enumerate(MILESTONES)}
    if fonts is None:  # Pillow's own font has no dashes either
        words = {key: _plain(value) for key, value in words.items()}
        drawn = {index: _plain(text) for index, text in drawn.items()}
    font = _fonts(fonts)
    s = SCALE
    canvas = PILImage.new("RGB", (WIDTH * s, HEIGHT * s), PAPER)
    draw = ImageDraw.Draw(canvas)

    draw.text((80 * s, 58 * s), words["title"], font=font(50, bold=True), fill=INK)
    draw.text((80 * s, 130 * s), words["subtitle"], font=font(30), fill=MUTED)

    # The axis: years between ticks, and the part already travelled in the accent colour.
    draw.line([(AXIS_LEFT * s, AXIS_Y * s), (AXIS_RIGHT * s, AXIS_Y * s)], fill=LINE, width=6 * s)
    for year in range(AXIS_START, AXIS_END + 1):
        x = _x_for(date(year, 1, 1)) * s
        draw.line([(x, (AXIS_Y - 14) * s), (x, (AXIS_Y + 14) * s)], fill=LINE, width=3 * s)
        if year < AXIS_END:
            middle = _x_for(date(year, 7, 2)) * s
            draw.text(
                (middle, (AXIS_Y - 30) * s), str(year), font=font(26), fill=MUTED, anchor="ms"
            )
    first, current = _x_for(MILESTONES[0].day) * s, _x_for(MILESTONES[marked].day) * s
    draw.line([(first, AXIS_Y * s), (current, AXIS_Y * s)], fill=ACCENT, width=6 * s)

    # Each step's column: its date, then what happened, wrapped to the column's width.
    date_font, width = font(27, bold=True), COLUMN_WIDTH - 40
    columns = []
    for index in range(len(MILESTONES)):
        text_font = font(25, bold=index == marked)
        columns.append(
            (
                _wrap(draw, words["dates"][index], date_font, width),
                text_font,
                _wrap(draw, drawn[index], text_font, width),
            )
        )
    tallest = max(
        len(dates) * DATE_LINE + TEXT_GAP + len(lines) * TEXT_LINE for dates, _f, lines in columns
    )
    bottom = COLUMNS_TOP + 8 + tallest + 16

    for index, milestone in enumerate(MILESTONES):
        is_marked = index == marked
        x = _x_for(milestone.day) * s
        left = (COLUMNS_LEFT + COLUMN_WIDTH * index) * s
        centre = left + COLUMN_WIDTH * s / 2
        turn = TURNS[index] * s
        colour = ACCENT if is_marked else "#8a96a3"
        if is_marked:
            draw.rounded_rectangle(
                [left + 6 * s, (COLUMNS_TOP - 22) * s, left + (COLUMN_WIDTH - 6) * s, bottom * s],
                radius=14 * s,
                fill=TINT,
            )
        path = [(x, AXIS_Y * s), (x, turn), (centre, turn), (centre, (COLUMNS_TOP - 22) * s)]
        draw.line(path, fill=colour, width=(4 if is_marked else 2) * s, joint="curve")
        radius = (18 if is_marked else 11) * s
        draw.ellipse(
            [x - radius, AXIS_Y * s - radius, x + radius, AXIS_Y * s + radius],
            fill=colour,
            outline="white",
            width=4 * s,
        )
        dates, text_font, lines = columns[index]
        y = (COLUMNS_TOP + 8) * s
        for line in dates:
            draw.text((left + 20 * s, y), line, font=date_font, fill=ACCENT if is_marked else INK)
            y += DATE_LINE * s
        y += TEXT_GAP * s
        for line in lines:
            draw.text((left + 20 * s, y), line, font=text_font, fill=INK if is_marked else MUTED)
            y += TEXT_LINE * s

    draw.text((80 * s, 850 * s), words["footer"], font=font(22), fill=MUTED, anchor="ls")
    picture = canvas.resize((WIDTH, HEIGHT), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()


def texts(milestone, language=ORIGINAL_LANGUAGE):
    """alt_ru, alt_az, ..., caption_en of a milestone's picture with its words in
    `language`."""
    values = {}
    for code in LANGUAGE_CODES:
        parts = {"when": milestone.when[code], "what": milestone.what[code]}
        note = LABELS_IN.get(language, {}).get(code)
        values[f"alt_{code}"] = ALT[code].format(**parts) + (f" {note}" if note else "")
        values[f"caption_{code}"] = CAPTION[code]
    return values


def file_name(milestone, language=ORIGINAL_LANGUAGE):
    suffix = "" if language == ORIGINAL_LANGUAGE else f"-{language}"
    return f"images/seed/{milestone.key}{suffix}.png"


def ensure_seed_images():
    """Give each seed article its timeline picture in every language, where missing;
    returns how many pictures were drawn. The Russian one becomes the article's lead
    image, the others its lead image in their language, when the article has none
    there: a picture already in the library is kept (an editor may have changed its
    texts, or taken it off the article on purpose); one whose file or renditions are
    gone is drawn again. Without a font for their letters only the Russian one is drawn
    (with English labels)."""
    fonts = find_fonts()
    # The original first: the other versions follow it onto the article.
    languages = [ORIGINAL_LANGUAGE, *(c for c in LANGUAGE_CODES if c != ORIGINAL_LANGUAGE)]
    if fonts is None:
        log.warning(
            "No font with Cyrillic letters (install %s): the seed pictures are drawn "
            "with English labels, and in Russian only.",
            FONT_PACKAGE,
        )
        languages = [ORIGINAL_LANGUAGE]
    drawn = 0
    for index, milestone in enumerate(MILESTONES):
        article = Article.objects.filter(slug=milestone.slug).first()
        if article is None:
            continue
        original = None
        for language in languages:
            image, created, made = _ensure_picture(index, milestone, fonts, language)
            drawn += made
            if language == ORIGINAL_LANGUAGE:
                original = image
                follows = True
            else:  # not on an article whose Russian picture is another, or none
                follows = article.lead_image_ru_id == original.pk
            field = f"lead_image_{language}"
            if created and follows and getattr(article, f"{field}_id") is None:
                setattr(article, field, image)
                article.save(update_fields=[field])
    return drawn


def _ensure_picture(index, milestone, fonts, language):
    """(the library's image of `milestone` in `language`, whether it was created now,
    whether it was drawn now)."""
    name = file_name(milestone, language)
    image = Image.objects.filter(file=name).first()
    if image is not None and default_storage.exists(name) and image.renditions:
        return image, False, False
    data = draw_timeline(index, fonts, language)
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    created = image is None
    with transaction.atomic():
        if created:
            image = Image(credit=CREDITS[language], **texts(milestone, language))
        image.file = saved
        image.save()
        make_renditions(image)
    return image, created, True
