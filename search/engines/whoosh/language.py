"""Language data the archive's own analysis (search.analysis) takes from Whoosh: its
Snowball Russian and Porter English stemmers and its stop lists. Plain Python with no
index behind them; every engine receives the tokens they make (DESIGN, "Search engines
behind one boundary"), so they are reached through search.engines, not from here.
"""

from whoosh.analysis import STOP_WORDS
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.lang.porter import stem as english_stem

RUSSIAN_STOP_LIST = frozenset(stopwords_for_language("ru"))
# Whoosh's StopFilter() as the English chain uses it: its list, and words of 2+ letters.
ENGLISH_STOP_WORDS = frozenset(STOP_WORDS)
ENGLISH_MIN_LETTERS = 2
russian_stem = stemmer_for_language("ru")

__all__ = [
    "ENGLISH_MIN_LETTERS",
    "ENGLISH_STOP_WORDS",
    "RUSSIAN_STOP_LIST",
    "english_stem",
    "russian_stem",
]
