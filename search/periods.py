"""A date filter in words, as a reader says it: «2024 год», «с 1 по 15 августа 2024 г.»,
«2024-cü il», «August 1–15, 2024».

Written per language like Django's locale formats, not as gettext strings: each language
orders the parts differently and needs forms a format string cannot pick (the Russian
genitive, the Azerbaijani ordinal suffix that follows the sound of the number). A
language without its own phrasing here is given the English one.
"""

from datetime import date, timedelta

from django.utils.translation import get_language

_RU_MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
_RU_MONTHS_OF = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
_AZ_MONTHS = (
    "yanvar", "fevral", "mart", "aprel", "may", "iyun",
    "iyul", "avqust", "sentyabr", "oktyabr", "noyabr", "dekabr",
)  # fmt: skip
_AZ_MONTHS_OF = (  # «2024-cü ilin avqustu»: the month as the year's
    "yanvarı", "fevralı", "martı", "apreli", "mayı", "iyunu",
    "iyulu", "avqustu", "sentyabrı", "oktyabrı", "noyabrı", "dekabrı",
)  # fmt: skip
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# The Azerbaijani ordinal suffix follows the last vowel of the number's last spoken word:
# 2024 ends in «dörd» (-cü), 2020 in «iyirmi» (-ci), 2010 in «on» (-cu), 1990 in «doxsan»
# (-cı). Units, then tens, then hundreds («yüz»), then thousands («min»).
_AZ_UNITS = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
_AZ_TENS = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def az_ordinal(number: int) -> str:
    """«2024-cü», «2020-ci», «2010-cu», «1990-cı»."""
    if number % 10:
        suffix = _AZ_UNITS[number % 10]
    elif number % 100:
        suffix = _AZ_TENS[number // 10 % 10]
    elif number % 1000:
        suffix = "cü"  # yüz
    else:
        suffix = "ci"  # min
    return f"{number}-{suffix}"


def _whole_years(start, end):
    return start and end and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)


def _whole_month(start, end):
    return (
        start
        and end
        and (start.year, start.month) == (end.year, end.month)
        and start.day == 1
        and (end + timedelta(days=1)).day == 1
    )


class _Russian:
    def years(self, first, last):
        return f"{first} год" if first == last else f"{first}–{last} годы"

    def month(self, day):
        return f"{_RU_MONTHS[day.month - 1]} {day.year} г."

    def day(self, day, year=True):
        words = f"{day.day} {_RU_MONTHS_OF[day.month - 1]}"
        return f"{words} {day.year} г." if year else words

    def span(self, start, end):
        if start == end:
            return self.day(start)
        if start.year != end.year:
            return f"с {self.day(start)} по {self.day(end)}"
        if start.month != end.month:
            return f"с {self.day(start, year=False)} по {self.day(end)}"
        return f"с {start.day} по {self.day(end)}"

    def since(self, start):
        return f"с {self.day(start)}"

    def until(self, end):
        return f"по {self.day(end)}"


class _Azerbaijani:
    def years(self, first, last):
        return f"{az_ordinal(first)} il" if first == last else f"{first}–{az_ordinal(last)} illər"

    def month(self, day):
        return f"{az_ordinal(day.year)} ilin {_AZ_MONTHS_OF[day.month - 1]}"

    def day(self, day, year=True):
        words = f"{day.day} {_AZ_MONTHS[day.month - 1]}"
        return f"{words} {az_ordinal(day.year)} il" if year else words

    def span(self, start, end):
        if start == end:
            return self.day(start)
        if start.year != end.year:
            return f"{self.day(start)} – {self.day(end)}"
        if start.month != end.month:
            return f"{self.day(start, year=False)} – {self.day(end)}"
        return f"{start.day}–{self.day(end)}"

    def since(self, start):
        return f"{self.day(start)} tarixindən"

    def until(self, end):
        return f"{self.day(end)} tarixinədək"


class _English:
    def years(self, first, last):
        return str(first) if first == last else f"{first}–{last}"

    def month(self, day):
        return f"{_EN_MONTHS[day.month - 1]} {day.year}"

    def day(self, day, year=True):
        words = f"{_EN_MONTHS[day.month - 1]} {day.day}"
        return f"{words}, {day.year}" if year else words

    def span(self, start, end):
        if start == end:
            return self.day(start)
        if start.year != end.year:
            return f"{self.day(start)} – {self.day(end)}"
        if start.month != end.month:
            return f"{self.day(start, year=False)} – {self.day(end)}"
        return f"{self.day(start, year=False)}–{end.day}, {end.year}"

    def since(self, start):
        return f"from {self.day(start)}"

    def until(self, end):
        return f"until {self.day(end)}"


_PHRASES = {"ru": _Russian(), "az": _Azerbaijani(), "en": _English()}


def period(start: date | None, end: date | None, language: str | None = None) -> str:
    """The dates from `start` to `end` (either may be None: open) in words."""
    say = _PHRASES.get(language or get_language(), _PHRASES["en"])
    if _whole_years(start, end):
        return say.years(start.year, end.year)
    if _whole_month(start, end):
        return say.month(start)
    if start and end:
        return say.span(start, end)
    return say.since(start) if start else say.until(end) if end else ""
