"""The stems an Azerbaijani word form can have: a rule-based, dictionary-free stemmer.

Azerbaijani stacks suffixes on a noun in a fixed order: stem, plural (-lar/-lər),
possessive (-ı/-sı, -ımız, -ınız, -ları), case (-ın/-nın, -a/-ya/-na, -ı/-nı, -da/-nda,
-dan/-ndan), then the relative -kı after a locative (-dakı) and the predicative -dır.
`stems` strips them right to left in that order: «Konvensiyasının» loses -nın, then -sı.

Without a dictionary the end of a stem is often a guess. «Azərbaycanın» is Azərbaycan +
-ın, and reads as «Azərbayca» + -nın just as well; «konvensiya» may be a stem, or
«konvensi» + the dative -ya; «Gəncə» is the city, and gənc + -ə. So `stems` keeps every
reading the grammar allows: the word itself, then each stem left by stripping a chain
of suffixes. The index holds them all at the word's position (as the Russian analysis
holds every plausible lemma) and a query word stands for all of its own: a text's word
matches when the two share one, and the true stem is among both. A form the reader
typed exactly shares every reading, so it scores highest. One canonical stem per word
would need cuts deep enough to make both readings meet, and those merge words that
differ in one letter («İran» and «İraq», «Slovakiya» and «Sloveniya»).

The words are folded first (ə→e, ı→i, ö→o, ü→u, ş→s, ç→c, ğ→g: archive.languages):
readers type «konvensiyani» and «Baki» as often as the real letters, and a query must
reach the terms its text reached whichever way it was typed, which stemming the
unfolded word could not promise. Folding keeps a vowel's roundness (ı, i → i; o, ö → o;
u, ü → u) and the a/ə contrast, so the harmony that chooses -lar or -lər, -ı or -u,
is still checked wherever the folded stem shows it.

Not stripped: verb endings, derivational suffixes (-lı, -sız, -çı, -lıq), the clitic
-la/-lə (with), the first and second person singular possessives (-ım, -ın: rare in
news, and «adam», «hakim» end so). A stem ending in k or q softens before a vowel
(təhlükəsizlik → təhlükəsizliyi, əməkdaşlıq → əməkdaşlığı): the reading with k or q
back is kept too. Vowels that drop inside a stem (fikir → fikri) are not restored.
"""

import re
from functools import lru_cache

VOWELS = frozenset("aeiou")  # the folded vowels
# Letters a stem keeps when a suffix beginning with a consonant goes (-da, -lar): after a
# consonant two («ildə» → «il»), after a vowel three («yeni» is not «ye» + -ni).
MIN_STEM = 2
MIN_VOWEL_STEM = 3
# Letters a stem keeps when a suffix beginning with a vowel goes (-ı, -a, -ın): «Bakı»
# is not «bak» + -ı, nor «kimi» «kim» + -i, so «gözü» does not find «göz» either.
MIN_BEFORE_VOWEL_SUFFIX = 4
# The predicative -dır also ends words («müdir», «çadır», «təqdir»).
MIN_BEFORE_PREDICATIVE = 4
# Readings a word may have at most: the longest chains of real forms give eight
# («ratifikasiyadakı»), and a made-up word must not add more terms than they do.
MAX_READINGS = 8

# The suffixes, in slots from the outermost to the plural. In a template A is a/ə and I
# is ı/i/u/ü, as folded; `after` says how the stem must end: in a vowel, in a
# consonant, in the -ı/-sı of the third person possessive (which takes -na, -nda,
# -ndan, -ndakı) or anyhow.
_SLOTS = (
    ("predicative", [("dIr", "any")]),
    ("relative", [("dAkI", "any"), ("ndAkI", "possessive")]),
    (
        "case",
        [
            ("nIn", "vowel"),  # genitive
            ("In", "consonant"),
            ("nI", "vowel"),  # accusative
            ("I", "consonant"),
            ("yA", "vowel"),  # dative
            ("nA", "possessive"),
            ("A", "consonant"),
            ("dA", "any"),  # locative
            ("ndA", "possessive"),
            ("dAn", "any"),  # ablative
            ("ndAn", "possessive"),
        ],
    ),
    (
        "possessive",
        [
            ("sI", "vowel"),  # his, her, its
            ("I", "consonant"),
            ("mIz", "vowel"),  # our
            ("ImIz", "consonant"),
            ("nIz", "vowel"),  # your
            ("InIz", "consonant"),
            ("lArI", "any"),  # their
        ],
    ),
    ("plural", [("lAr", "any")]),
)
# After a hyphen an abbreviation or a number takes its suffixes as it is read aloud
# («BMT-nin», «2019-cu», «29-dan», «9-dək»); ordinals and -dək stand there only.
_AFTER_HYPHEN = ("cI", "ncI", "IncI", "dAk")


def _spellings(template, vowel):
    """The folded spellings of a suffix template after a stem whose last folded vowel
    is `vowel` (None: it has none). Folded «i» is ı or i and «o», «u» may be front or
    back, so after them a template can be spelled both ways."""
    backs = {"a": (True,), "e": (False,)}.get(vowel, (True, False))
    rounded = vowel in ("o", "u")
    spellings = set()
    for back in backs:
        out, is_rounded = [], rounded
        for ch in template:
            if ch == "A":
                out.append("a" if back else "e")
                is_rounded = False  # an I after -a/-ə is ı/i
            elif ch == "I":
                # the -kı of -dakı does not round
                out.append("u" if is_rounded and out[-1:] != ["k"] else "i")
            else:
                out.append(ch)
        spellings.add("".join(out))
    return spellings


_ANY_VOWEL = (*sorted(VOWELS), None)


def _rows():
    """(suffix, slot, after, the stem vowels it may follow), longest first."""
    rows = {}
    for vowel in _ANY_VOWEL:
        for slot, (_name, templates) in enumerate(_SLOTS):
            for template, after in templates:
                for suffix in _spellings(template, vowel):
                    rows.setdefault((suffix, slot, after), set()).add(vowel)
    return sorted(
        ((suffix, slot, after, frozenset(v)) for (suffix, slot, after), v in rows.items()),
        key=lambda row: (-len(row[0]), row[1], row[0]),
    )


_ROWS = _rows()
_HYPHEN_SUFFIXES = frozenset(
    [row[0] for row in _ROWS]
    + [s for template in _AFTER_HYPHEN for v in _ANY_VOWEL for s in _spellings(template, v)]
)
_LETTERS = re.compile(r"[a-z]+")
_SOFTENED = {"y": "k", "g": "q"}


def _last_vowel(word):
    for ch in reversed(word):
        if ch in VOWELS:
            return ch
    return None


def _fits(stem, suffix, after):
    """Whether `stem` may take `suffix`: how it ends, and enough of it left."""
    if _last_vowel(stem) is None:
        return False
    ends_in_vowel = stem[-1] in VOWELS
    if after == "vowel" and not ends_in_vowel:
        return False
    if after == "consonant" and ends_in_vowel:
        return False
    if after == "possessive" and stem[-1] not in ("i", "u"):
        return False
    if suffix[0] in VOWELS:
        return len(stem) >= MIN_BEFORE_VOWEL_SUFFIX
    if suffix in ("dir", "dur"):
        return len(stem) >= MIN_BEFORE_PREDICATIVE
    return len(stem) >= (MIN_VOWEL_STEM if ends_in_vowel else MIN_STEM)


def _readings(word, slot, found):
    """Adds to `found` each stem of `word` left by suffixes of `slot` and nearer the
    stem: a slot is used once, never after one nearer the stem."""
    for suffix, suffix_slot, after, vowels in _ROWS:
        if suffix_slot < slot or not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        if _last_vowel(stem) not in vowels or not _fits(stem, suffix, after):
            continue
        found.setdefault(stem)
        if suffix[0] in VOWELS and stem[-1] in _SOFTENED and stem[-2] in VOWELS:
            found.setdefault(stem[:-1] + _SOFTENED[stem[-1]])
        _readings(stem, suffix_slot + 1, found)


@lru_cache(maxsize=100_000)
def stems(word: str) -> tuple[str, ...]:
    """The word (lowercased and folded, see search.analysis) first, then every stem it
    can be read as: «konvensiyasini» → konvensiyasi, konvensiya, konvensiyas…

    A word with anything but the letters of folded Azerbaijani (digits, other scripts)
    is only itself. After a hyphen, a part that is all suffix is cut with the hyphen
    («bmt-nin» → «bmt»); otherwise the last part of a hyphenated word is read
    («nyu-yorkda» → «nyu-york»).
    """
    head, hyphen, tail = word.rpartition("-")
    if hyphen:
        if not head or not tail:
            return (word,)
        if is_suffix(tail):
            return (word, head)
        return tuple(f"{head}-{stem}" for stem in stems(tail))
    if not _LETTERS.fullmatch(word):
        return (word,)
    found = {word: None}
    _readings(word, 0, found)
    return tuple(found)[:MAX_READINGS]


def is_suffix(part: str) -> bool:
    """Whether a hyphenated word's last part is only a suffix («nin» of «BMT-nin»)."""
    return part in _HYPHEN_SUFFIXES
