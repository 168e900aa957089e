"""Whoosh analyzers for the archive's three languages.

Whoosh pickles each field's analyzer into the index, so everything here lives at
module level and filters hold no unpicklable state: the pymorphy3 analyzer is a
lazily created module global. Changing what an analyzer emits needs
`manage.py rebuild_index` (README, "Search").
"""

import re
from functools import lru_cache

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang import stemmer_for_language, stopwords_for_language

from archive.languages import fold_azerbaijani, folded, morph_analyzer

# A word is letters/digits, optionally joined by hyphens or apostrophes:
# «информационно-коммуникационных», «F-строки», «Нью-Йорк», «O'Neil».
WORD_PATTERN = r"\w+(?:[-'’]\w+)*"

# «не» and «ни» change a sentence's meaning («не будет служить»), so they stay.
RUSSIAN_STOP_WORDS = frozenset(stopwords_for_language("ru")) - {"не", "ни", "нет", "без"}

_russian_stem = stemmer_for_language("ru")
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
    morph = morph_analyzer()
    if morph.word_is_known(word):
        lemmas = dict.fromkeys(p.normal_form.replace("ё", "е") for p in morph.parse(word))
        return tuple(lemmas)
    return (_russian_stem(word),)


class YoFilter(Filter):
    """ё → е: Russian writers use either, readers type е."""

    def __call__(self, tokens):
        for t in tokens:
            if "ё" in t.text:
                t.text = t.text.replace("ё", "е")
            yield t


class HyphenPartsFilter(Filter):
    """A hyphenated word is indexed whole and by its parts, at the same position.

    So «информационно-коммуникационных» is found by the whole word, by
    «коммуникационные» and by «информационно», and phrases stay intact.
    """

    def __call__(self, tokens):
        for t in tokens:
            yield t
            if "-" in t.text:
                whole = t.text
                for part in whole.split("-"):
                    if part:
                        t.text = part
                        yield t
                t.text = whole


class RussianLemmaFilter(Filter):
    """Replaces each token by its lemmas (several tokens at one position)."""

    def __call__(self, tokens):
        for t in tokens:
            original = t.text
            for lemma in russian_lemmas(original):
                t.text = lemma
                yield t
            t.text = original


class AzerbaijaniFoldFilter(Filter):
    def __call__(self, tokens):
        for t in tokens:
            t.text = fold_azerbaijani(t.text)
            yield t


def RussianAnalyzer():
    # Stop words go before the hyphen parts: StopFilter renumbers positions, which
    # would move the parts after their whole word and break phrases such as «ИКТ».
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | YoFilter()
        | StopFilter(stoplist=RUSSIAN_STOP_WORDS, minsize=1)
        | HyphenPartsFilter()
        | RussianLemmaFilter()
    )


def AzerbaijaniAnalyzer():
    # Azerbaijani is agglutinative and has no stemmer in Whoosh; folding lets
    # «Gəncə» match «gence», and hyphen parts let «BMT» match «BMT-nin».
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | AzerbaijaniFoldFilter()
        | HyphenPartsFilter()
    )


def EnglishAnalyzer():
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter()
        | HyphenPartsFilter()
        | StemFilter()
    )


def fold_russian(word: str) -> str:
    return word.lower().replace("ё", "е")


# Suggestions look titles up by the beginning of a word (ArticleIndex.title_starts): a
# word's first 2 to 5 letters, folded as readers type them, are each an index term, so
# two typed letters cost one term's postings, however many words begin with them.
TITLE_START_LETTERS = (2, 5)
_TITLE_WORD = re.compile(r"\w+")  # «кибер-атака»: «атака» begins a word too


def fold_title_word(word: str) -> str:
    return folded(word)


def split_title(text: str) -> list[str]:
    """Words as title beginnings are cut: «2024-08-01» is three words."""
    return _TITLE_WORD.findall(text or "")


def title_words(*titles) -> list[str]:
    # Folded whole, then split: one fold per title, not per word (the index build runs
    # this for every article).
    return [word for title in titles if title for word in split_title(folded(title))]


def title_starts(*titles) -> list[str]:
    """The index terms of the titles' word beginnings (TITLE_START_LETTERS long)."""
    low, high = TITLE_START_LETTERS
    return sorted(
        {word[:n] for word in title_words(*titles) for n in range(low, min(high, len(word)) + 1)}
    )


_QUERY_ANALYZERS = {}


def term_forms(lang: str, word: str) -> tuple[str, ...]:
    """The index terms one word of a query (or of a text being highlighted) stands
    for in the field of `lang`, by the same analysis as the index. A hyphenated
    word stands for itself as a whole, not for its parts."""
    if lang == "ru":
        folded = fold_russian(word)
        return () if folded in RUSSIAN_STOP_WORDS else russian_lemmas(folded)
    if lang not in _QUERY_ANALYZERS:
        _QUERY_ANALYZERS[lang] = AzerbaijaniAnalyzer() if lang == "az" else EnglishAnalyzer()
    tokens = [t.text for t in _QUERY_ANALYZERS[lang](word, mode="query")]
    return tuple(tokens[:1])
