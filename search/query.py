"""What is done to a reader's query before the engine sees it.

`parse()` turns the text into clauses (words, "phrases", -exclusions, OR groups)
without ever failing: unbalanced quotes, lone operators, `field:` syntax, control
characters and emoji are read as plain words or dropped. `to_whoosh()` builds the
engine query over the three language fields, expanding editors' synonyms.
Repairs for queries that find little live in search.repairs.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from .analysis import WORD_PATTERN, fold_russian, term_forms

MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 12
# Phrases are checked word by word in the index's positions: at most two a query, of at
# most eight words (more quoted words are searched in any order).
MAX_PHRASES = 2
MAX_PHRASE_WORDS = 8
# «ко*» may begin thousands of words; the engine searches only the most frequent
# (the engine bounds prefixes), so a two-letter prefix costs what a longer one does.
MIN_PREFIX = 2

LANGUAGE_FIELDS = {"ru": "text", "az": "text_az", "en": "text_en"}
# The index fields (search_indexes.ArticleIndex) a reader can narrow a search by.
FILTER_FIELDS = ("rubric", "tags", "persons", "organisations", "places", "source")

_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def searchable_in(lang: str, clause: "Clause") -> bool:
    """Whether a clause can be in `lang`'s text: the Azerbaijani and English texts are in
    Latin script, so a word in Cyrillic is looked for in the Russian text only."""
    return lang == "ru" or not any(_CYRILLIC.search(w) for w in clause.words)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(WORD_PATTERN)


@dataclass(frozen=True)
class Clause:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False  # «кибер*»

    @property
    def text(self):
        joined = " ".join(self.words)
        if len(self.words) > 1:
            return f'"{joined}"'
        return joined + ("*" if self.prefix else "")


@dataclass
class ParsedQuery:
    groups: list[list[Clause]] = field(default_factory=list)  # all groups must match
    excluded: list[Clause] = field(default_factory=list)
    truncated: bool = False  # longer than MAX_QUERY_LENGTH, or too many clauses
    # Any group may match instead of all, ranked by how many do: the fallback when
    # no article holds every word (readers type words the text does not use).
    match_any: bool = False

    def __bool__(self):
        return bool(self.groups)

    @property
    def text(self):
        parts = [" OR ".join(c.text for c in group) for group in self.groups]
        parts += [f"-{c.text}" for c in self.excluded]
        return " ".join(parts)

    def clauses(self):
        return [c for group in self.groups for c in group]


def clean_text(text: str) -> tuple[str, bool]:
    """Drop control and format characters (NUL, bidi marks), collapse spaces, cap length."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH], True
    return text, False


def _clauses_from(raw: str, quoted: bool, phrases_left: int) -> list[Clause]:
    words = tuple(_WORD.findall(raw))
    if not words:
        return []
    if quoted and len(words) > 1 and phrases_left > 0:
        return [Clause(words[:MAX_PHRASE_WORDS])]
    if quoted:  # past MAX_PHRASES: its words, in any order
        return [Clause((w,)) for w in words]
    prefix = raw.rstrip().endswith("*") and len(words[-1]) >= MIN_PREFIX
    clauses = [Clause((w,)) for w in words[:-1]]
    return clauses + [Clause((words[-1],), prefix=prefix)]


def parse(text: str) -> ParsedQuery:
    text, truncated = clean_text(text)
    parsed = ParsedQuery(truncated=truncated)
    tokens = list(_TOKEN.finditer(text))
    pending_or = negate_next = False
    for match in tokens:
        minus, phrase, bare = match.groups()
        if bare in ("OR", "|", "ИЛИ"):
            pending_or = bool(parsed.groups)
            continue
        if bare in ("AND", "И", "&&", "+"):
            continue
        if bare in ("NOT", "НЕ") and not phrase:
            negate_next = True
            continue
        quoted = phrase is not None
        raw = phrase if quoted else bare
        exclude = bool(minus) or negate_next
        if not quoted and raw.startswith("-") and len(raw) > 1:
            exclude, raw = True, raw[1:]
        phrases = sum(len(c.words) > 1 for c in [*parsed.clauses(), *parsed.excluded])
        clauses = _clauses_from(raw, quoted, MAX_PHRASES - phrases)
        negate_next = False
        if not clauses:
            continue
        if exclude:
            parsed.excluded.extend(clauses)
        elif pending_or:
            parsed.groups[-1].append(clauses[0])
            parsed.groups.extend([c] for c in clauses[1:])
        else:
            parsed.groups.extend([c] for c in clauses)
        pending_or = False
    _cap_clauses(parsed)
    return parsed


def _cap_clauses(parsed):
    """At most MAX_CLAUSES clauses in all, counting every alternative of an OR group
    (twenty-five words joined by OR are one group of twenty-five)."""
    left, groups = MAX_CLAUSES, []
    for group in parsed.groups:
        if left <= 0:
            break
        groups.append(group[:left])
        left -= len(groups[-1])
    excluded = parsed.excluded[: max(0, left)]
    if groups != parsed.groups or excluded != parsed.excluded:
        parsed.truncated = True
    parsed.groups, parsed.excluded = groups, excluded


def join_synonym_phrases(groups, synonyms, longest=4):
    """Unquoted words that together form a synonym («Организация Объединённых Наций»)
    become one phrase clause, so the group's other terms (ООН, UN, BMT) apply."""
    out, i = [], 0
    while i < len(groups):
        for n in range(min(longest, len(groups) - i), 1, -1):
            run = groups[i : i + n]
            if all(len(g) == 1 and len(g[0].words) == 1 and not g[0].prefix for g in run):
                words = tuple(g[0].words[0] for g in run)
                if synonym_key(words) in synonyms:
                    out.append([Clause(words)])
                    i += n
                    break
        else:
            out.append(groups[i])
            i += 1
    return out


def synonym_key(words) -> str:
    """Lemma-based key, so «ООН», «Конвенции» and «конвенция» find their groups."""
    return " ".join((term_forms("ru", w) or (fold_russian(w),))[0] for w in words)


def word_list(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text))


def synonyms_for(clause: Clause, synonyms) -> list[Clause]:
    if clause.prefix:
        return []
    terms = synonyms.get(synonym_key(clause.words), ())
    return [Clause(words) for term in terms if (words := word_list(term))]
