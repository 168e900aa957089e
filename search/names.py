"""Names as the Russian dictionary reads them, and their cases by Russian declension.

pymorphy3 misses or misreads many names: «Токаев» is to it the genitive plural of
«токай», «Маска» is «маска», an unknown «Меликов» is stemmed to «мелик» but «Меликова»
to «меликов». So one case of a name may not find another in the index; query repairs
(search.repairs) search a name's other cases too, from `name_forms()`.
"""

import re
from functools import lru_cache

from .analysis import morph_analyzer

NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn"}
UNKNOWN, NAME, OTHER = "unknown", "name", "other"  # what the dictionary reads a word as
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")


@lru_cache(maxsize=20_000)
def reading(word: str) -> str:
    """UNKNOWN to the dictionary, a NAME to it (of a person, place or organisation) in
    any of its parses, or only an OTHER word."""
    lower = word.lower()
    morph = morph_analyzer()
    if not morph.word_is_known(lower):
        return UNKNOWN
    return NAME if any(NAME_TAGS & p.tag.grammemes for p in morph.parse(lower)) else OTHER


def looks_like_name(word: str) -> bool:
    """A name in one of the dictionary's two likeliest parses: written capitalised."""
    return any(NAME_TAGS & p.tag.grammemes for p in morph_analyzer().parse(word.lower())[:2])


def is_abbreviation(word: str) -> bool:
    """An abbreviation as written, «оон», not one inflected («гуме», of «ГУМ»)."""
    first = morph_analyzer().parse(word.lower())[0]
    return "Abbr" in first.tag.grammemes and first.normal_form == word.lower()


# Russian declension of names by ending, the nominative first; one word may end as
# several paradigms do («Токаева»: «Токаев», or a feminine «Токаева»).
_NAME_PARADIGMS = (
    ("ов", "ова", "ову", "овым", "ове", "овой", "овы", "овых"),
    ("ев", "ева", "еву", "евым", "еве", "евой", "евы", "евых"),
    ("ёв", "ёва", "ёву", "ёвым", "ёве", "ёвой", "ёвы", "ёвых"),
    ("ин", "ина", "ину", "иным", "ине", "иной", "ины", "иных"),
    ("ын", "ына", "ыну", "ыным", "ыне", "ыной", "ыны", "ыных"),
    ("ий", "ия", "ию", "ием", "ии"),
    ("ь", "я", "ю", "ем", "е"),
    ("й", "я", "ю", "ем", "е"),
    ("", "а", "у", "ом", "е"),  # Маск, Байден, Гутерриш (ом is ем after ж ш ч щ ц)
    ("а", "ы", "е", "у", "ой"),  # ы is и after г к х ж ш ч щ, ой is ей after ж ш ч щ ц
    ("я", "и", "е", "ю", "ей"),
)
_HUSHING = "жшчщц"
_VELAR_OR_HUSHING = "гкхжшчщ"
_VOWELS = "аеёиоуыэюяй"


def _spelled(stem, ending):
    """Russian spelling rules for an ending after the stem's last letter."""
    last = stem[-1:].lower()
    if last in _HUSHING and ending in ("ом", "ой"):
        ending = "е" + ending[1:]
    if last in _VELAR_OR_HUSHING and ending == "ы":
        ending = "и"
    return stem + ending


@lru_cache(maxsize=4096)
def name_forms(word: str) -> tuple[str, ...]:
    """The other cases of `word` read as a Russian or foreign name, each paradigm's
    nominative first: «Токаева» -> «Токаев», «Токаеву», ...; none for short words."""
    if len(word) < 4 or not _CYRILLIC_WORD.fullmatch(word):
        return ()
    lower = word.lower()
    nominatives, others = [], []
    for paradigm in _NAME_PARADIGMS:
        for ending in paradigm:
            if not lower.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)]
            if len(stem) < 3 or (not paradigm[0] and stem[-1:].lower() in _VOWELS):
                continue
            forms = [_spelled(stem, e) for e in paradigm]
            nominatives.append(forms[0])
            others.extend(forms[1:])
    return tuple(f for f in dict.fromkeys(nominatives + others) if f.lower() != lower)
