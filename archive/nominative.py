"""Names found in a Russian text, put back into the nominative case for a tag:
«Гасаном Мансуровым» -> «Гасан Мансуров», «Нью-Йорке» -> «Нью-Йорк», «Генеральной
Ассамблеи» -> «Генеральная Ассамблея»; «ООН», Latin words and what the dictionary does
not know stay as written.

pymorphy3 (archive.languages.morph_analyzer) reads each word; the words of one name are
read together, so a case they all can be in is chosen («Мансуров» alone is also the
genitive plural of «Мансур», but not beside «Гасаном»).
"""

import re

from .languages import morph_analyzer

PERSON_GRAMMEMES = {"Name", "Surn", "Patr"}
# Any of these in a parse makes a word a proper name to the dictionary.
PROPER_GRAMMEMES = PERSON_GRAMMEMES | {"Geox", "Orgn", "Abbr", "Trad"}
ADJECTIVES = {"ADJF", "PRTF"}
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC_WORD.fullmatch(word))


def is_abbreviation(word: str) -> bool:
    """Written in capitals: «ООН», «МИД», «NATO» (not inflected, never lowercased)."""
    return len(word) > 1 and word.isupper()


def is_common_word(word: str) -> bool:
    """A Russian word the dictionary knows, and only as a common word («Комитетом»,
    «Службы», the agency's «ВИДЕО»): alone, it names nothing a tag could stand for."""
    if not is_cyrillic(word):
        return False
    morph = morph_analyzer()
    lower = word.lower()
    if not morph.word_is_known(lower):
        return False
    return not any(PROPER_GRAMMEMES & p.tag.grammemes for p in morph.parse(lower))


def cased_like(new: str, written: str) -> str:
    """`new` (lowercase, from the dictionary) with the capitals `written` had."""
    if is_abbreviation(written):
        return new.upper()
    new_parts, written_parts = new.split("-"), written.split("-")
    if len(new_parts) != len(written_parts):
        return new.capitalize() if written[:1].isupper() else new
    return "-".join(
        n.capitalize() if w[:1].isupper() else n
        for n, w in zip(new_parts, written_parts, strict=True)
    )


def _inflected(parse, written):
    form = parse.inflect({"nomn"})
    return cased_like(form.word, written) if form else written


def _hinted(hints, index):
    """The (case, gender) the morphology model read for a word in its sentence, if any."""
    return (hints[index] if hints and index < len(hints) else None) or (None, None)


def person(words: list[str], hints=None) -> list[str]:
    """A person's name, word by word, in the nominative: the words are put in one case
    and gender they all can have: the one the morphology model read in the sentence
    (`hints`, a (case, gender) per word), else the nominative if possible."""
    morph = morph_analyzer()
    options = [
        [
            p
            for p in morph.parse(w.lower())
            if PERSON_GRAMMEMES & p.tag.grammemes and p.tag.number != "plur"
        ]
        if is_cyrillic(w)
        else []
        for w in words
    ]
    known = [parses for parses in options if parses]
    if not known:
        return list(words)
    cases = set.intersection(*({p.tag.case for p in parses} for parses in known))
    read = [_hinted(hints, i) for i in range(len(words))]
    in_context = [case for case, _gender in read if case in cases]
    case = None
    if in_context:
        case = max(in_context, key=in_context.count)  # the first, on a tie
    elif "nomn" in cases:
        case = "nomn"
    elif cases:
        case = max(cases, key=lambda c: sum(p.score for ps in known for p in ps if p.tag.case == c))
    if case == "nomn":
        return list(words)
    genders = set()
    if case:
        in_case = [{p.tag.gender for p in ps if p.tag.case == case} for ps in known]
        genders = set.intersection(*in_case)
        read_genders = {gender for _case, gender in read} & genders
        genders = read_genders or genders
        options = [
            [p for p in ps if p.tag.case == case and (not genders or p.tag.gender in genders)]
            for ps in options
        ]
    # Without a common case («Мехрибан Алиевой»: the dictionary has no woman's name
    # «Мехрибан»), each word on its own: one that can be a nominative stays.
    result = []
    for word, parses in zip(words, options, strict=True):
        if not parses or any(p.tag.case == "nomn" for p in parses):
            result.append(word)
        else:
            result.append(_inflected(max(parses, key=lambda p: p.score), word))
    return result


def _head_order(parse, proper):
    tag = parse.tag
    return (tag.number == "plur", not (proper & tag.grammemes), tag.case != "nomn", -parse.score)


def _agrees(adjective, head):
    a, h = adjective.tag, head.tag
    same = a.case == h.case and a.number == h.number
    return same and (h.number == "plur" or a.gender == h.gender)


def phrase(words: list[str], place: bool = False) -> list[str]:
    """An organisation's or place's name in the nominative: its head noun (the first
    noun) and the adjectives before it; what follows the head («... государственной
    безопасности», «ООН») is a complement and stays as written. The head is read in
    the singular where it can be, and in the nominative where that is one reading."""
    if not words or not is_cyrillic(words[0]) or is_abbreviation(words[0]):
        return list(words)
    morph = morph_analyzer()
    parses = [morph.parse(w.lower()) if is_cyrillic(w) else [] for w in words]
    head = next((i for i, ps in enumerate(parses) if ps and ps[0].tag.POS not in ADJECTIVES), None)
    if head is None or is_abbreviation(words[head]):
        return list(words)
    proper = {"Geox"} if place else {"Orgn", "Geox"}
    nouns = [p for p in parses[head] if p.tag.POS == "NOUN"]
    nouns.sort(key=lambda p: _head_order(p, proper))
    for noun in nouns:
        agreeing = [
            next((a for a in parses[i] if a.tag.POS in ADJECTIVES and _agrees(a, noun)), None)
            for i in range(head)
        ]
        if None in agreeing:
            continue
        if noun.tag.case == "nomn":
            return list(words)
        changed = [_inflected(a, words[i]) for i, a in enumerate(agreeing)]
        return changed + [_inflected(noun, words[head])] + list(words[head + 1 :])
    return list(words)
