"""What a reader probably meant, for a query that finds little.

Tried in this order, all priced by the index in one call (`_Prices`):
- the wrong keyboard layout, read over the whole typed text before it is parsed, so
  «rb,thghtcnegktybt» (the comma is «б») is one word, «киберпреступление»;
- Latin letters, word by word, under the common transliteration schemes;
- a name in another case than the article's («Токаева» for «Токаев»), searched in both;
- the nearest word of the archive's vocabulary (a typo);
- a last word cut short («конвенци»), searched as the beginning of a word.
"""

import heapq
import re
from functools import lru_cache

from . import engines
from .analysis import fold_russian, morph_analyzer, term_forms
from .query import MAX_CLAUSES, Clause, ParsedQuery, clean_text, parse, word_list

# A known word is still replaced by a near one this many times more frequent: the
# archive's own texts have typos («искуственный» occurs), readers' queries more so.
MORE_FREQUENT = 10
# A last word in fewer articles than this is read as cut short (a beginning).
CUT_SHORT_BELOW = 3
CUT_SHORT_MIN_LETTERS = 5

# --- the Russian keyboard layout -------------------------------------------------------

# Each key of the Latin (QWERTY) layout and what it types on the Russian (ЙЦУКЕН) one:
# letters, the punctuation keys that are Russian letters, and the keys whose shifted
# symbol differs («/» is «.», «?» is «,», Shift+2 is «"»); the others type the same.
_LATIN_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,./`" + 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?~@#$^&|'
_RUSSIAN_KEYS = "йцукенгшщзхъфывапролджэячсмитьбю.ё" + 'ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,Ё"№;:?/'
_LAYOUT = str.maketrans(_LATIN_KEYS, _RUSSIAN_KEYS)
_LATIN_LETTER = re.compile("[A-Za-z]")


def on_russian_layout(text: str) -> str:
    """The keys of `text` as the Russian layout reads them: «rjydtywbz» is «конвенция»."""
    return text.translate(_LAYOUT)


def _layout_readings(chunk):
    """What one whitespace-separated chunk may have meant on the Russian layout: read
    whole, and with its outer «"» kept as quotes (on the Latin layout «"» is «Э»)."""
    if not (chunk.isascii() and _LATIN_LETTER.search(chunk)):
        return []
    readings = [on_russian_layout(chunk)]
    inner = chunk.strip('"')
    if inner != chunk and inner:
        quotes = ('"' if chunk.startswith('"') else "", '"' if chunk.endswith('"') else "")
        readings.append(quotes[0] + on_russian_layout(inner) + quotes[1])
    return readings


# --- transliteration -------------------------------------------------------------------

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
    "ia": (("ия", 0), ("я", 1)),
    "ie": (("ие", 0), ("ъе", 1), ("ье", 1)),
    "ii": (("ии", 0), ("ий", 1)),
    "ij": (("ий", 1),),
    "iu": (("иу", 0), ("ю", 1)),
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
    "ts": (("ц", 0), ("тс", 1)),
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
_CONSONANTS = "бвджзлмнпрстфчшщ"  # a soft sign may follow them at the end
# A word's first «y» is «й» (York), its first «e» as often «э» (ekonomika); its last
# «y» is also «-ий» (Zelensky), and a soft sign the scheme dropped comes back after a
# consonant (kiberprestupnost).
_AT_START = {"y": (("й", 0), ("ы", 2)), "e": (("е", 0), ("э", 0))}
_END = "#"
_SPELLINGS["y" + _END] = (("ы", 0), ("й", 1), ("ий", 1))
_LONGEST = max(len(latin) for latin in _SPELLINGS)
TRANSLITERATIONS = 16  # Cyrillic spellings priced per Latin word, the cheapest first
ACRONYM_LETTERS = 5  # «USA» is not «уса»: short capitals are read as an acronym
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


@lru_cache(maxsize=4096)
def transliterations(word: str) -> tuple[str, ...]:
    """The TRANSLITERATIONS likeliest Cyrillic spellings of a Latin word, lowercase.
    An acronym («USA») only as an abbreviation the dictionary knows («NATO» «нато»);
    words with digits, single letters and Cyrillic words have none."""
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
    spellings = tuple(s for _c, s in spelled if len(s) > 1)
    if word.isupper() and len(word) <= ACRONYM_LETTERS:
        return tuple(s for s in spellings if _is_abbreviation(s))
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
                    if i + length == len(text) - 1 and cyrillic[-1:] in _CONSONANTS:
                        _keep(found, cyrillic + "ь", cost + 1)
                    _keep(found, cyrillic + rest, cost + rest_cost)
        best[i] = _cheapest(found)
    return best[0]


def _cheapest(found):
    return heapq.nsmallest(TRANSLITERATIONS, ((cost, s) for s, cost in found.items()))


def _keep(found, spelling, cost):
    if cost < found.get(spelling, cost + 1):
        found[spelling] = cost


# --- names in another case -------------------------------------------------------------

# Russian declension of names by ending, the nominative first. The dictionary misses or
# misreads many names («Токаев» as «токай», «Маска» as «маска», an unknown «Меликов» cut
# to «мелик» but «Меликова» to «меликов»), so one case may not find another.
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
NAME_FORMS = 2  # other cases searched beside the typed one, at most, per word


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


_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")
_NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn"}


def _misread_name(word, capitalised):
    """Whether `word` may be a name the dictionary does not read as one: unknown to it,
    or (capitalised) known only as another word. A name it knows has its cases right
    («Лавровым» is «лавров»); reading it by endings would add «лавровый»."""
    lower = word.lower()
    morph = morph_analyzer()
    if not morph.word_is_known(lower):
        return True
    return capitalised and not any(_NAME_TAGS & p.tag.grammemes for p in morph.parse(lower))


# --- how words are shown ---------------------------------------------------------------


def _is_abbreviation(word):
    return "Abbr" in morph_analyzer().parse(word)[0].tag.grammemes


def _shown(word, typed=""):
    """A repaired lowercase word as a reader writes it: «ООН», «Баку», «Нью-Йорк»."""
    if not word.islower():
        return word
    parses = morph_analyzer().parse(word)
    if "Abbr" in parses[0].tag.grammemes:
        return word.upper()
    if typed[:1].isupper() or any(_NAME_TAGS & p.tag.grammemes for p in parses[:2]):
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
    return word


# --- the repair ------------------------------------------------------------------------


_CYRILLIC = re.compile("[а-яё]")


def _forms(word):
    """The index terms a query word stands for: a Cyrillic word only in the Russian
    field (the others are in Latin script), a Latin one in all three."""
    if _CYRILLIC.search(word.lower()):
        return set(term_forms("ru", word))
    return {f for lang in ("ru", "az", "en") for f in term_forms(lang, word)}


class _Prices:
    """Documents holding each word, in any of its forms and languages (summed), for
    many words in one engine call (on a cluster each call is a round trip); none for
    no words."""

    def __init__(self, words):
        asked = {f for w in words for f in _forms(w)}
        self.terms = engines.current().document_frequencies(asked) if asked else {}

    def __getitem__(self, word):
        return self.of_terms(_forms(word))

    def of_terms(self, terms):
        return sum(self.terms.get(t, 0) for t in terms)


def _chunk_price(prices, text):
    """An all-words query is as good as its rarest word; stop words count for nothing."""
    counted = [prices[w] for w in word_list(text) if _forms(w)]
    return min(counted) if counted else None


def _repair_layout(chunks, prices):
    """The chunks, each read on the Russian layout where that is far more frequent."""
    out, changed = [], False
    for chunk in chunks:
        choice = chunk
        before = _chunk_price(prices, chunk) or 0
        for reading in _layout_readings(chunk):
            after = _chunk_price(prices, reading)
            # «d» is «в»: a stop word, searched for nothing, is still what was meant.
            stop_words = after is None and bool(word_list(reading))
            if (after is not None and after > before * MORE_FREQUENT) or (
                stop_words and not before
            ):
                choice = re.sub(r"\w+(?:-\w+)*", lambda m: _shown(m.group()), reading)
                changed = True
                break
        out.append(choice)
    return out, changed


def _words(parsed):
    """The words a repair may change: those of the clauses that must match."""
    return list(dict.fromkeys(w for c in parsed.clauses() if not c.prefix for w in c.words))


def repair(typed: str, parsed: ParsedQuery | None = None) -> ParsedQuery | None:
    """The query the reader probably meant by `typed` (`parsed`, parsed), or None when no
    repair changes it. At most four engine calls, whatever the number of words."""
    text = clean_text(typed)[0]
    parsed = parsed if parsed is not None else parse(text)
    chunks = text.split(" ")
    readings = [r for chunk in chunks for r in _layout_readings(chunk)]
    words = set(_words(parsed)) | {w for r in readings for w in word_list(r)}
    latin = {w: transliterations(w) for w in words}
    names = {
        w.lower(): name_forms(w.lower())
        for w in words
        if not latin[w] and _misread_name(w, w[:1].isupper())
    }
    prices = _Prices(
        words
        | {c for spellings in latin.values() for c in spellings}
        | {f for forms in names.values() for f in forms}
    )

    chunks, relaid = _repair_layout(chunks, prices)
    repaired = parse(" ".join(chunks)) if relaid else parsed
    query_words = _words(repaired)
    replaced = {w: s for w in query_words if (s := _spelling(w, latin.get(w, ()), prices))}
    budget = _Budget(repaired)
    alternatives = budget.alternatives(
        {w: (w, names.get(w.lower(), ())) for w in query_words if w not in replaced}, prices
    )
    last = _last_word(repaired)
    # Words as typed only: one the layout repair made is already the index's own.
    typed_words = set(_words(parsed))
    done = replaced.keys() | alternatives.keys()
    left = [w for w in query_words if w in typed_words and w not in done]
    near = _nearest_terms(left)
    # A name typed in Latin letters may be in another case too («tokaev», «Токаева»): its
    # other cases are priced with the nearest terms, in the same call.
    spelled = {w: (s, name_forms(s.lower())) for w, s in replaced.items() if _misread_name(s, True)}
    asked = {t for terms in near.values() for t in terms}
    asked |= {f for _s, forms in spelled.values() for f in forms}
    second = _Prices(asked)
    alternatives.update(budget.alternatives(spelled, second))
    for word, terms in near.items():  # nearest first, then most frequent
        term = next((t for t in terms if second[t] > prices[word] * MORE_FREQUENT), None)
        if term and not (word == last and term.startswith(fold_russian(word))):
            replaced[word] = term
    prefix = None
    as_typed = last in typed_words and last not in replaced and last not in alternatives
    if as_typed and prices[last] < CUT_SHORT_BELOW and _may_be_cut_short(last):
        prefix = _beginning(last)
    repaired = _rebuilt(repaired, replaced, alternatives, prefix)
    return repaired if repaired.text != parsed.text else None


def _spelling(word, spellings, prices):
    """The Cyrillic spelling of a Latin word, shown, if one is far more frequent than
    the word: the cheapest of those about as frequent as the most frequent one
    («tokaev» is «токаев», though the stem of «токаевь» finds more)."""
    if not spellings:
        return None
    enough = max(max(prices[s] for s in spellings) / MORE_FREQUENT, prices[word] * MORE_FREQUENT)
    chosen = next((s for s in spellings if prices[s] > enough), None)
    return _shown(chosen, word) if chosen else None


class _Budget:
    """Other cases of names, as alternatives, within the clauses a query may have."""

    def __init__(self, parsed):
        self.room = MAX_CLAUSES - len(parsed.clauses()) - len(parsed.excluded)
        self.words = {c.words[0] for c in parsed.clauses() if len(c.words) == 1 and not c.prefix}

    def alternatives(self, candidates, prices):
        """{word: its other cases the index knows}, from {word: (as shown, its forms)}."""
        found = {}
        for word, (shown, forms) in candidates.items():
            if word not in self.words:
                continue
            own = _forms(shown)
            chosen, seen = [], set()
            for form in forms:
                if len(chosen) >= min(NAME_FORMS, self.room):
                    break
                new = frozenset(_forms(form) - own)
                if new and new not in seen and prices.of_terms(new):
                    seen.add(new)
                    chosen.append(shown[:1] + form[1:])  # in the case shown: «Токаев»
            if chosen:
                found[word] = chosen
                self.room -= len(chosen)
        return found


def _nearest_terms(words):
    """{word: index terms near it}, in at most two engine calls for all words: Cyrillic
    ones in the Russian field, Latin ones in the English field."""
    engine = engines.current()
    near = {}
    for fieldname, cyrillic in (("text", True), ("text_en", False)):
        mine = [w for w in words if bool(_CYRILLIC.search(w.lower())) == cyrillic]
        if mine:
            near.update(engine.nearest_terms_many(mine, fieldname))
    return {word: terms for word, terms in near.items() if terms}


def _may_be_cut_short(word):
    """Long enough, and not a word of the dictionary but perhaps a name: «преступлени»,
    «Абдулкерим» (of «Абдулкеримли»), not «улетают»."""
    if len(word) < CUT_SHORT_MIN_LETTERS:
        return False
    lower = word.lower()
    morph = morph_analyzer()
    return not morph.word_is_known(lower) or any(
        {"Name", "Surn", "Patr"} & p.tag.grammemes for p in morph.parse(lower)
    )


def _last_word(parsed):
    if not parsed.groups:
        return None
    group = parsed.groups[-1]
    if len(group) != 1 or group[0].prefix or len(group[0].words) != 1:
        return None
    return group[0].words[0]


def _beginning(word):
    """The beginning a word cut short stands for: as much of it as every index term of
    the whole word shares («преступлени» -> «преступлен», the term of its stem)."""
    folded = fold_russian(word)
    length = len(folded)
    for term in term_forms("ru", word) or (folded,):
        shared = 0
        while shared < min(len(term), length) and term[shared] == folded[shared]:
            shared += 1
        length = min(length, shared)
    return word[:length] if length >= CUT_SHORT_MIN_LETTERS - 1 else None


def _rebuilt(parsed, replaced, alternatives, prefix):
    """`parsed` with words replaced, other cases of names as alternatives, and its last
    word, if `prefix`, searched as that beginning."""
    groups = []
    for group in parsed.groups:
        new_group = []
        for clause in group:
            words = tuple(replaced.get(w, w) for w in clause.words)
            new_group.append(Clause(words, clause.prefix))
            if len(clause.words) == 1 and not clause.prefix:
                new_group.extend(Clause((f,)) for f in alternatives.get(clause.words[0], ()))
        groups.append(new_group)
    if prefix:
        groups[-1] = [Clause((prefix,), prefix=True)]
    return ParsedQuery(groups, parsed.excluded, parsed.truncated)
