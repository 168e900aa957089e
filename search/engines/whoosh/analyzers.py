"""The Whoosh analyzer chains of the archive's three languages (search.analysis says
what they emit). FastAnalyzer (backend) yields the same tokens in one pass and is what
the schema holds; the chains serve its rare untokenized calls and the tests' oracle.

Whoosh pickles analyzers into the index, so everything here lives at module level and
filters hold no unpicklable state.
"""

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)

from ...analysis import (
    RUSSIAN_STOP_WORDS,
    WORD_PATTERN,
    azerbaijani_word_terms,
    russian_lemmas,
)


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


class AzerbaijaniStemFilter(Filter):
    """Replaces each token by the folded word, its hyphen parts and every stem they may
    have (search.azerbaijani), at one position."""

    def __call__(self, tokens):
        for t in tokens:
            original = t.text
            for term in azerbaijani_word_terms(original):
                t.text = term
                yield t
            t.text = original


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
    # Whoosh has no Azerbaijani stemmer: folding lets «Gəncə» match «gence», the stems
    # «konvensiya» match «Konvensiyanı», hyphen parts «BMT» match «BMT-nin».
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | AzerbaijaniStemFilter()


def EnglishAnalyzer():
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter()
        | HyphenPartsFilter()
        | StemFilter()
    )
