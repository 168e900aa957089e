"""Russian words typed in Latin letters, back to Cyrillic.

A reader without a Russian keyboard spells by some scheme, or by none: `transliterations()`
gives a Latin word's likeliest Cyrillic spellings, cheapest first, from a table of Latin
spellings of Russian letters with a cost each; the index decides which is meant
(search.repairs).
"""

import heapq
import re
from functools import lru_cache

from .names import is_abbreviation

# Latin spellings of Russian letters, with a cost: 0 for the usual reading, more for
# rarer ones. Together they cover BGN/PCGN (й y, ь ʹ often dropped), ГОСТ 7.79-2000
# system B (й j, х x, ц cz, щ shh, ё yo), the passport scheme of ICAO Doc 9303 (й i,
# ъ ie, ю iu, я ia, ь dropped) and what readers improvise (h, w, c, ja, ju, sch, tz).
_SPELLINGS = {
    "a": (("а", 0),),
    "b": (("б", 0),),
    "c": (("ц", 0), ("к", 1)),
    "d": (("д", 0),),
    "e": (("е", 0), ("э", 1)),
    "f": (("ф", 0),),
    "g": (("г", 0),),
    "h": (("х", 0), ("г", 1)),
    "i": (("и", 0), ("й", 1)),
    "j": (("й", 0), ("ж", 1), ("дж", 1)),
    "k": (("к", 0),),
    "l": (("л", 0),),
    "m": (("м", 0),),
    "n": (("н", 0),),
    "o": (("о", 0),),
    "p": (("п", 0),),
    "q": (("к", 0),),
    "r": (("р", 0),),
    "s": (("с", 0),),
    "t": (("т", 0),),
    "u": (("у", 0),),
    "v": (("в", 0),),
    "w": (("в", 0), ("ш", 2)),
    "x": (("кс", 0), ("х", 1)),
    "y": (("ы", 0), ("й", 1), ("и", 2)),
    "z": (("з", 0),),
    "'": (("ь", 0), ("ъ", 1), ("", 1)),
    "’": (("ь", 0), ("ъ", 1), ("", 1)),
    "-": (("-", 0),),
    "ai": (("ай", 0), ("аи", 1)),
    "ay": (("ай", 0),),
    "ch": (("ч", 0),),
    "ck": (("к", 0),),
    "cz": (("ц", 0),),
    "ei": (("ей", 0), ("еи", 1)),
    "ey": (("ей", 0),),
    "ia": (("иа", 0), ("ия", 1), ("я", 1), ("ья", 1)),
    "ie": (("ие", 0), ("ъе", 1), ("ье", 1)),
    "ii": (("ии", 0), ("ий", 1)),
    "ij": (("ий", 1),),
    "io": (("ио", 0), ("йо", 1)),
    "iu": (("иу", 0), ("ю", 1), ("ью", 1)),
    "iy": (("ий", 0),),
    "ja": (("я", 0),),
    "je": (("е", 1), ("йе", 1)),
    "jo": (("ё", 0), ("йо", 1)),
    "ju": (("ю", 0),),
    "kh": (("х", 0),),
    "oi": (("ой", 0), ("ои", 1)),
    "oy": (("ой", 0),),
    "ph": (("ф", 1),),
    "sch": (("щ", 0), ("сч", 1)),
    "sh": (("ш", 0),),
    "shch": (("щ", 0),),
    "shh": (("щ", 0),),
    "ts": (("ц", 0), ("тс", 1), ("тьс", 1)),
    "tz": (("ц", 1),),
    "ui": (("уи", 0), ("уй", 1)),
    "uy": (("уй", 0),),
    "ya": (("я", 0), ("ья", 1)),
    "ye": (("е", 0), ("ье", 1), ("ъе", 2)),
    "yi": (("ый", 1),),
    "yo": (("ё", 0), ("йо", 1), ("ьо", 2)),
    "yu": (("ю", 0), ("ью", 1)),
    "yy": (("ый", 0), ("ий", 1)),
    "zh": (("ж", 0),),
}
_SOFTENED = "бвджзлмнпрстфчшщ"  # a dropped soft sign may follow them
_LATIN_CONSONANT = re.compile("[bcdfghjklmnpqrstvwxz]")
# A word's first «y» is «й» (York), its first «e» as often «э» (ekonomika); its last
# «y» is also «-ий» (Zelensky), and a soft sign the scheme dropped comes back after a
# consonant (kiberprestupnost).
_AT_START = {"y": (("й", 0), ("ы", 2)), "e": (("е", 0), ("э", 0))}
_END = "#"
_SPELLINGS["y" + _END] = (("ы", 0), ("й", 1), ("ий", 1))
_LONGEST = max(len(latin) for latin in _SPELLINGS)
TRANSLITERATIONS = 16  # Cyrillic spellings priced per Latin word, the cheapest first
ACRONYM_LETTERS = 5  # «USA» is not «уса»: short capitals are read as an acronym
_LATIN_WORD = re.compile(r"[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?")


@lru_cache(maxsize=4096)
def transliterations(word: str) -> tuple[str, ...]:
    """The TRANSLITERATIONS likeliest Cyrillic spellings of a Latin word, lowercase.
    An acronym («USA») only as an abbreviation the dictionary knows («NATO» «нато»);
    words with digits and Cyrillic words have none."""
    if not _LATIN_WORD.fullmatch(word):
        return ()
    # A hyphenated word part by part (Nyu-York): each part has its own start and end.
    spelled = [(0, "")]
    for part in word.lower().split("-"):
        joined = {}
        for cost, before in spelled:
            for part_cost, after in _spelled_part(part):
                _keep(joined, f"{before}-{after}" if before else after, cost + part_cost)
        spelled = _cheapest(joined)
    spellings = tuple(s for _c, s in spelled)
    if word.isupper() and len(word) <= ACRONYM_LETTERS:
        return tuple(s for s in spellings if is_abbreviation(s))
    return spellings


def _spelled_part(part):
    """The cheapest Cyrillic spellings of a Latin word without hyphens, (cost, text)."""
    text = part + _END
    # best[i]: the cheapest spellings of text[i:]; the cheapest of a word end in the
    # cheapest of their suffixes, so keeping TRANSLITERATIONS of each is enough.
    best = [[] for _ in text] + [[(0, "")]]
    best[len(text) - 1] = [(0, "")]  # the end mark alone
    for i in range(len(text) - 2, -1, -1):
        found = {}
        keys = [text[i : i + n] for n in range(1, _LONGEST + 1) if text[i : i + n] in _SPELLINGS]
        for latin in keys:
            readings = _AT_START.get(latin, ()) if i == 0 else ()
            # Letter by letter where a longer key matches costs one more: «kh» is «х»
            # before it is «кх».
            split = len(latin) < len(keys[-1])
            for cyrillic, cost in readings or _SPELLINGS[latin]:
                cost += split
                length = len(latin)
                for rest_cost, rest in best[i + length]:
                    if cyrillic[-1:] in _SOFTENED and (soft := _soft_sign(text, i + length)):
                        _keep(found, cyrillic + "ь" + rest, cost + rest_cost + soft)
                    _keep(found, cyrillic + rest, cost + rest_cost)
        best[i] = _cheapest(found)
    return best[0]


def _soft_sign(text, after):
    """The cost of a soft sign the scheme dropped, here, or 0 where none stands: before
    a consonant or at the end (dolshe, kiberprestupnost), rarer before «e» «i» (seme)."""
    if after == len(text) - 1 or _LATIN_CONSONANT.match(text, after):
        return 1
    return 2 if text[after] in "ei" else 0


def _cheapest(found):
    return heapq.nsmallest(TRANSLITERATIONS, ((cost, s) for s, cost in found.items()))


def _keep(found, spelling, cost):
    if cost < found.get(spelling, cost + 1):
        found[spelling] = cost
