"""Snippets that mark the word forms that matched, whatever their ending.

Whoosh's highlighter (and haystack's) re-analyzes text with the field analyzer and
emits one token per lemma, which doubles marks when a word has two lemmas. This
one walks the words of the stored text once, asks `term_forms` what each word
stands for, and marks it when that meets the query's matched terms. Everything is
escaped; only our <mark> tags are markup. Work is bounded by MAX_TEXT (only the
first MAX_TEXT characters of a stored text are read; the index stores fewer) and
is linear in it, and a snippet is at most `width` characters plus its marks.
"""

import re
from functools import lru_cache
from html import escape

from .analysis import WORD_PATTERN, term_forms

MAX_TEXT = 20_000
_WORD = re.compile(WORD_PATTERN)


def snippet(text: str, terms: set, lang: str, width: int = 240, marked=None) -> str:
    """An HTML-escaped excerpt of `text` around its first matches, matches in <mark>.
    `marked` ({word: whether it matches}) may be shared by the snippets of one search (the
    same `terms` and `lang`): a page's twenty texts repeat most of their words."""
    text = (text or "")[:MAX_TEXT]
    if not text:
        return ""
    spans = []
    if terms:
        marked = {} if marked is None else marked
        for m in _WORD.finditer(text):
            word = m.group()
            hit = marked.get(word)
            if hit is None:
                hit = marked[word] = not terms.isdisjoint(_forms(lang, word))
            if hit:
                spans.append((m.start(), m.end()))
    start = _window_start(text, spans, width)
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start + width // 2 else end
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix


@lru_cache(maxsize=100_000)  # a snippet looks up every word of the text
def _forms(lang, word):
    """A word's index terms; a hyphenated word's parts count too, as in the index
    («коммуникационные» marks «информационно-коммуникационных»)."""
    forms = term_forms(lang, word)
    if "-" in word:
        forms += tuple(f for part in word.split("-") if part for f in term_forms(lang, part))
    return forms


def _window_start(text, spans, width):
    """Start of the window holding the most matches, at a word boundary."""
    if not spans:
        return 0
    # Two pointers over the spans (in text order): spans[i:j] end within the window
    # starting at spans[i]. Linear: a text of nothing but matches has thousands.
    best, best_count = spans[0][0], 0
    reach = width * 0.8
    j = 0
    for i, (s, _e) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][1] <= s + reach:
            j += 1
        if j - i > best_count:
            best, best_count = s, j - i
    start = max(0, best - width // 5)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    return start
