"""The archive's text analysis for its three languages, in Python, whatever the engine.

Every engine receives the same terms for documents and queries: Russian lemmas
(pymorphy3, Snowball for unknown words), folded Azerbaijani with the stems each word
may have (search.azerbaijani), stemmed English. The
Whoosh analyzer chains that index them live in search.engines.whoosh.analyzers.
Changing what the analysis emits needs `manage.py rebuild_index` (README, "Search").
"""

import re
from functools import lru_cache

from archive.languages import (  # noqa: F401  (WORD_PATTERN, morph_analyzer: used from here)
    WORD_PATTERN,
    dictionary_lemmas,
    fold_azerbaijani,
    folded,
    morph_analyzer,
)

from .azerbaijani import is_suffix
from .azerbaijani import stems as azerbaijani_stems
from .engines import (
    ENGLISH_MIN_LETTERS,
    ENGLISH_STOP_WORDS,
    RUSSIAN_STOP_LIST,
    english_stem,
    russian_stem,
)

# The terms this module emits, as a number: bump it whenever a change alters them, and
# every index built before is found out of date (engines' health) and rebuilt.
ANALYSIS_VERSION = 3  # 3: Azerbaijani stems (search.azerbaijani)


# «не» and «ни» change a sentence's meaning («не будет служить»), so they stay.
RUSSIAN_STOP_WORDS = RUSSIAN_STOP_LIST - {"не", "ни", "нет", "без"}

_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=200_000)
def russian_lemmas(word: str) -> tuple[str, ...]:
    """Every plausible dictionary form of a lowercased word, ё folded to е.

    Ambiguous forms keep all their lemmas («мансуров» is a surname and a form of
    «мансур»; «стали» is «стать» and «сталь»), so either reading finds the text.
    Words the dictionary does not know fall back to the Snowball stem, on both
    the indexing and the query side, so they still match across endings.
    """
    if not _CYRILLIC.search(word):
        return (word,)
    return dictionary_lemmas(word) or (russian_stem(word),)


def fold_russian(word: str) -> str:
    # A query word's (prefixes, repairs): «İnter*» is «inter», not «i̇nter» (see term_forms).
    return word.lower().replace("i̇", "i").replace("ё", "е")


# Suggestions look titles up by the beginning of a word (ArticleIndex.title_starts): a
# word's first 2 to 5 letters, folded as readers type them, are each an index term, so
# two typed letters cost one term's postings, however many words begin with them.
TITLE_START_LETTERS = (2, 5)
TITLE_START_WORDS = 16
_TITLE_WORD = re.compile(r"\w+")  # «кибер-атака»: «атака» begins a word too


def split_title(text: str) -> list[str]:
    """Words as title beginnings are cut: «2024-08-01» is three words."""
    return _TITLE_WORD.findall(text or "")


def title_words(*titles) -> list[str]:
    # Folded whole, then split: one fold per title, not per word (the index build runs
    # this for every article).
    return [word for title in titles if title for word in split_title(folded(title))]


def title_starts(*titles) -> list[str]:
    """The index terms of the titles' word beginnings (TITLE_START_LETTERS long), of the
    first TITLE_START_WORDS words of each title: an imported post whose "title" is a
    paragraph would otherwise add hundreds of terms (the corpus index grew by a fifth)."""
    low, high = TITLE_START_LETTERS
    words = [w for title in titles for w in title_words(title)[:TITLE_START_WORDS]]
    return sorted({word[:n] for word in words for n in range(low, min(high, len(word)) + 1)})


_WORD = re.compile(WORD_PATTERN)


# --- the index terms of a text, word by word (every engine indexes these) -------------


def _hyphen_parts(word):
    return [word, *(part for part in word.split("-") if part)] if "-" in word else [word]


# What one word found in a text becomes, for each language: the index terms at the
# word's position (in order, repeats kept), or None for a stop word. Cached: a 300-word
# article repeats most of its words.
@lru_cache(maxsize=100_000)
def russian_word_terms(word):
    word = word.lower().replace("ё", "е")
    if word in RUSSIAN_STOP_WORDS:
        return None
    return tuple(lemma for part in _hyphen_parts(word) for lemma in russian_lemmas(part))


def _azerbaijani_parts(word):
    # «BMT-nin»: the suffix after the hyphen is no part of its own, «bmt» is.
    parts = _hyphen_parts(word)
    return parts[:-1] if len(parts) > 2 and is_suffix(parts[-1]) else parts


@lru_cache(maxsize=100_000)
def azerbaijani_word_terms(word):
    word = fold_azerbaijani(word.lower())
    return tuple(
        dict.fromkeys(stem for part in _azerbaijani_parts(word) for stem in azerbaijani_stems(part))
    )


@lru_cache(maxsize=100_000)
def english_word_terms(word):
    word = word.lower()
    if len(word) < ENGLISH_MIN_LETTERS or word in ENGLISH_STOP_WORDS:
        return None
    # The whole word is stemmed, then split («on-the-fly» -> «on-the-fli», «on», «the»,
    # «fli»): Whoosh's chain splits the token once its stemmer has run.
    whole = english_stem(word)
    return (whole, *(english_stem(part) for part in _hyphen_parts(whole)[1:]))


WORD_TERMS = {"ru": russian_word_terms, "az": azerbaijani_word_terms, "en": english_word_terms}


def positioned_terms(lang: str, text: str) -> list[tuple[str, ...]]:
    """The index terms of `text`, one tuple per position: stop words leave no gap (the
    positions after them move up, so «конвенции против киберпреступности» is a phrase of
    two), and a word with several lemmas or hyphen parts stands at one position."""
    terms_of = WORD_TERMS[lang]
    return [terms for word in _WORD.findall(text or "") if (terms := terms_of(word))]


# One position's terms joined by this, positions by spaces: engines that analyze text
# themselves receive it pre-analyzed (search.engines.opensearch splits it back).
SAME_POSITION = "|"


def pre_analyzed(lang: str, text: str) -> str:
    return " ".join(SAME_POSITION.join(terms) for terms in positioned_terms(lang, text))


def term_forms(lang: str, word: str) -> tuple[str, ...]:
    """The index terms one word of a query (or of a text being highlighted) stands
    for in the field of `lang`, by the same analysis as the index. A hyphenated
    word stands for itself as a whole, not for its parts."""
    forms = _term_forms(lang, word)
    if "İ" in word and lang != "az":
        # Russian and English lower «İ» to «i̇» (i and a combining dot), a term no text
        # written «Internet» holds: an Azerbaijani keyboard's «İnternet» found nothing.
        forms = tuple(dict.fromkeys((*_term_forms(lang, word.replace("İ", "I")), *forms)))
    return forms


def _term_forms(lang: str, word: str) -> tuple[str, ...]:
    if lang == "ru":
        folded = word.lower().replace("ё", "е")  # as the index lowers it: «İ» is «i̇»
        return () if folded in RUSSIAN_STOP_WORDS else russian_lemmas(folded)
    # The first word the language's chain keeps (engines.whoosh.analyzers), whole.
    for match in _WORD.finditer(word):
        token = match.group().lower()
        if lang == "az":
            return azerbaijani_stems(fold_azerbaijani(token))
        if len(token) >= ENGLISH_MIN_LETTERS and token not in ENGLISH_STOP_WORDS:
            return (english_stem(token),)
    return ()
