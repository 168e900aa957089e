"""What a reader probably meant, for a query that finds little.

Tried in this order, the candidates priced by the index's document frequencies:
- the wrong keyboard layout, read over the whole typed text before it is parsed, so
  «rb,thghtcnegktybt» (the comma is «б») is one word, «киберпреступление»;
- Latin letters, word by word, under the common transliteration schemes
  (search.transliteration);
- a name in another case than the article's («Токаева» for «Токаев»), searched in both
  (search.names);
- the nearest word of the archive's vocabulary (a typo);
- a last word cut short («конвенци»), searched as the beginning of a word.
A cluster answers each engine call over the network: all the candidates are priced in
one call, the nearest words looked up in at most two and priced in one more.
"""

import re

from . import engines
from .analysis import fold_russian, term_forms
from .engines.distance import edit_distance
from .names import NAME, OTHER, UNKNOWN, is_abbreviation, looks_like_name, name_forms, reading
from .query import MAX_CLAUSES, Clause, ParsedQuery, clean_text, parse, word_list
from .transliteration import transliterations

# A known word is still replaced by a near one this many times more frequent: the
# archive's own texts have typos («искуственный» occurs), readers' queries more so.
MORE_FREQUENT = 10
# A last word in fewer articles than this is read as cut short (a beginning).
CUT_SHORT_BELOW = 3
CUT_SHORT_MIN_LETTERS = 5
NAME_FORMS = 2  # other cases of a name searched beside the typed one, at most
# Other cases are searched, not indexed: no rebuild, the analysis unchanged, and only a
# query that finds little pays (0.6 more terms priced per name on the corpus).

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


# ГОСТ 7.79-2000 system B marks ы э ъ ь with a backtick (y` e` `` `), which splits a
# word when it is parsed: read first as the transliteration's own y, e and apostrophe.
_GOST_MARKS = re.compile(r"(?<=[A-Za-z])(``|`)")


def _gost_reading(chunk):
    if not (chunk.isascii() and _GOST_MARKS.search(chunk)):
        return None
    return _GOST_MARKS.sub("'", chunk.replace("y`", "y").replace("e`", "e"))


# --- how words are shown ---------------------------------------------------------------


def _shown(word, typed=""):
    """A repaired lowercase word as a reader writes it: «ООН», «Баку», «Нью-Йорк»."""
    if not word.islower():
        return word
    if is_abbreviation(word):
        return word.upper()
    if typed[:1].isupper() or looks_like_name(word):
        return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
    return word


def _misread_name(word, capitalised):
    """Whether `word` may be a name the dictionary does not read as one: unknown to it,
    or (capitalised) known only as another word. A name it knows has its cases right
    («Лавровым» is «лавров»); reading it by endings would add «лавровый»."""
    return reading(word) == UNKNOWN or (capitalised and reading(word) == OTHER)


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


def _chunk_price(prices, text, latin=None):
    """An all-words query is as good as its rarest word; stop words count for nothing.
    With `latin` ({word: its Cyrillic spellings}), a Latin word is as good as its best."""
    counted = [
        max([prices[w], *(prices[s] for s in latin.get(w, ()))]) if latin else prices[w]
        for w in word_list(text)
        if _forms(w)
    ]
    return min(counted) if counted else None


# A key that is a Russian letter, typed next to a Latin letter: no Latin text has
# «pt,hs» or «;tkfntkmyj», so such a chunk needs only be more frequent relaid («зебры»).
_RUSSIAN_LETTER_KEY = re.compile(r"[A-Za-z][,;\[\]{}:<>`~]|[,;\[\]{}:<>`~][A-Za-z]")


def _repair_layout(chunks, prices, latin):
    """The chunks, each read on the Russian layout (or as ГОСТ's backtick letters) where
    that is far more frequent. A chunk that reads as stop words only («d» is «в») is
    read so too when another chunk was: they are searched for nothing."""
    out, stop_words = [], []
    for n, chunk in enumerate(chunks):
        choice = chunk
        before = _chunk_price(prices, chunk) or 0
        more = 1 if _RUSSIAN_LETTER_KEY.search(chunk) else MORE_FREQUENT
        readings = [(r, None) for r in _layout_readings(chunk)]
        if gost := _gost_reading(chunk):
            readings.append((gost, latin))
        for text, spelled in readings:
            after = _chunk_price(prices, text, spelled)
            if after is not None and after > before * more:
                choice = re.sub(r"\w+(?:-\w+)*", lambda m: _shown(m.group()), text)
                break
            if after is None and word_list(text) and not spelled:
                stop_words.append((n, text))
        out.append(choice)
    changed = out != chunks
    for n, text in stop_words if changed else ():
        out[n] = text
    return out, changed


def repairable_words(parsed):
    """The words a repair may change: those of the clauses that must match."""
    return list(dict.fromkeys(w for c in parsed.clauses() if not c.prefix for w in c.words))


def repair(typed: str, parsed: ParsedQuery | None = None) -> ParsedQuery | None:
    """The query the reader probably meant by `typed` (`parsed`, parsed), or None when no
    repair changes it. At most four engine calls, whatever the number of words."""
    text = clean_text(typed)[0]
    parsed = parsed if parsed is not None else parse(text)
    chunks = text.split(" ")
    relaid = [r for chunk in chunks for r in (*_layout_readings(chunk), _gost_reading(chunk)) if r]
    words = set(repairable_words(parsed)) | {w for r in relaid for w in word_list(r)}
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

    chunks, changed = _repair_layout(chunks, prices, latin)
    repaired = parse(" ".join(chunks)) if changed else parsed
    query_words = repairable_words(repaired)
    replaced = {w: s for w in query_words if (s := _spelling(w, latin.get(w, ()), prices))}
    if replaced:  # «v», «na»: searched for nothing, but what the reader meant
        for word in query_words:
            stop_word = next((s for s in latin.get(word, ()) if not _forms(s)), None)
            if word not in replaced and stop_word:
                replaced[word] = stop_word
    budget = _Budget(repaired)
    alternatives = budget.alternatives(
        {w: (w, names.get(w.lower(), ())) for w in query_words if w not in replaced}, prices
    )
    last = _last_word(repaired)
    # Words as typed only: one the layout repair made is already the index's own.
    typed_words = set(repairable_words(parsed))
    done = replaced.keys() | alternatives.keys()
    left = [w for w in query_words if w in typed_words and w not in done]
    near = nearest_terms(left)
    # A name typed in Latin letters may be in another case too («tokaev», «Токаева»): its
    # other cases are priced with the nearest terms, in the same call.
    spelled = {
        w: (s, name_forms(s.lower()))
        for w, s in replaced.items()
        if _misread_name(s, w[:1].isupper())
    }
    asked = {t for terms in near.values() for t in terms}
    asked |= {f for _s, forms in spelled.values() for f in forms}
    second = _Prices(asked)
    alternatives.update(budget.alternatives(spelled, second))
    for word, terms in near.items():  # nearest first, then most frequent
        term = next((t for t in terms if second[t] > prices[word] * MORE_FREQUENT), None)
        if term and not (word == last and _cut_short_of(word, term)):
            replaced[word] = term
    prefix = None
    as_typed = last in typed_words and last not in replaced and last not in alternatives
    if as_typed and prices[last] < CUT_SHORT_BELOW and _may_be_cut_short(last):
        prefix = _beginning(last)
    repaired = rebuilt(repaired, replaced, alternatives, prefix)
    return repaired if repaired.text != parsed.text else None


def _spelling(word, spellings, prices):
    """The Cyrillic spelling of a Latin word, shown, if one is far more frequent than
    the word: the cheapest of those about as frequent as the most frequent one
    («tokaev» is «токаев», though the stem of «токаевь» finds more)."""
    if not spellings or len(word) < 2:  # a lone letter only as a stop word (above)
        return None
    enough = max(max(prices[s] for s in spellings) / MORE_FREQUENT, prices[word] * MORE_FREQUENT)
    frequent = [s for s in spellings if prices[s] > enough]
    # A word of the dictionary before a stem's lookalike: «урожая», not «урожайа».
    chosen = next((s for s in frequent if reading(s) != UNKNOWN), frequent[0] if frequent else None)
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
            # Typed in small letters, a word the dictionary knows as another word is not
            # a name's case: «типична» is not a case of «типичн».
            lowercase = not word[:1].isupper()
            own = _forms(shown)
            chosen, seen = [], set()
            for form in forms:
                if len(chosen) >= min(NAME_FORMS, self.room):
                    break
                if lowercase and reading(form) == OTHER:
                    continue
                new = frozenset(_forms(form) - own)
                if new and new not in seen and prices.of_terms(new):
                    seen.add(new)
                    chosen.append(shown[:1] + form[1:])  # in the case shown: «Токаев»
            if chosen:
                found[word] = chosen
                self.room -= len(chosen)
        return found


def unknown_words(words):
    """The words (stop words aside) the index holds in none of their forms: one call."""
    prices = _Prices(words)
    return [word for word in words if _forms(word) and not prices[word]]


def nearest_terms(words):
    """{word: index terms near it}, in at most two engine calls for all words: Cyrillic
    ones in the Russian field, Latin ones in the English field."""
    engine = engines.current()
    near = {}
    for fieldname, cyrillic in (("text", True), ("text_en", False)):
        mine = [w for w in words if bool(_CYRILLIC.search(w.lower())) == cyrillic]
        if mine:
            near.update(engine.nearest_terms_many(mine, fieldname))
    return {word: terms for word, terms in near.items() if terms}


def _cut_short_of(word, term):
    """Whether a last word near `term` is more likely cut short than mistyped: the term
    begins with it («Гутерр», «гутерриш») or it with the term («отцовс», «отцов»), or it
    is two edits away («сообщ», «собр»)."""
    folded = fold_russian(word)
    return (
        term.startswith(folded) or folded.startswith(term) or edit_distance(folded, term) > 1
    ) and _may_be_cut_short(word)


def _may_be_cut_short(word):
    """Long enough, and not a word of the dictionary but perhaps a name: «преступлени»,
    «Абдулкерим» (of «Абдулкеримли»), not «улетают»."""
    return (
        len(word) >= CUT_SHORT_MIN_LETTERS
        and bool(_CYRILLIC.search(word.lower()))
        and reading(word) in (UNKNOWN, NAME)
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


def rebuilt(parsed, replaced, alternatives=None, prefix=None):
    """`parsed` with words replaced, other cases of names as alternatives, and its last
    word, if `prefix`, searched as that beginning."""
    alternatives = alternatives or {}
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
