"""Editor assist: the people, organisations and places named in an article's Russian
text, offered as tags, an existing tag where one has the name.

natasha's news NER model (slovnet over navec embeddings, shipped inside the package)
finds the names; archive.nominative puts them in the nominative; archive.tag_names
looks each up among the tags by every language's name, word by word by lemma, and finds
the tags named in the text that the model missed. The model loads once per process,
on first use (`models()`).
"""

import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from . import nominative
from .languages import dictionary_lemmas
from .models import Source, Tag
from .slugs import transliterate_slug
from .tag_names import (
    WORD,
    current_index,
    find_tag_id,
    name_key,
    same_name,
    tags_named_in,
    words_of,
)

KINDS = {"PER": Tag.Kind.PERSON, "ORG": Tag.Kind.ORGANISATION, "LOC": Tag.Kind.PLACE}
# Bodies whose Russian name includes the word before their quoted name: «комитет «Ad
# Hoc»» is «Комитет «Ad Hoc»». A company's is its quoted name alone («Роснефть»).
NAMED_BODIES = {"комитет", "комиссия", "совет", "фонд", "партия", "движение", "форум"}
MAX_NAME_WORDS = 10

_lock = threading.Lock()
_models = None
# How long loading took and how much it added to the process (read by assist_quality).
load_stats = {}
# Universal Dependencies' cases and genders, as pymorphy3 names them.
UD_GRAMMEMES = {
    "Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct",
    "Masc": "masc", "Fem": "femn", "Neut": "neut",
}  # fmt: skip


class Models(NamedTuple):
    ner: object  # natasha.NewsNERTagger: names, from the whole text
    morph: object  # natasha.NewsMorphTagger: each word's case and gender in its sentence


def resident_bytes() -> int:
    """This process's resident memory now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def models() -> Models:
    """natasha's NER and morphology taggers, loaded once per process. Their inference is
    plain numpy with no state between calls, so threads share them; only loading locks."""
    global _models
    if _models is None:
        with _lock:
            if _models is None:
                before, started = resident_bytes(), time.perf_counter()
                from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger

                embedding = NewsEmbedding()  # shared by both
                loaded = Models(NewsNERTagger(embedding), NewsMorphTagger(embedding))
                load_stats.update(
                    seconds=time.perf_counter() - started,
                    added_bytes=resident_bytes() - before,
                )
                _models = loaded
    return _models


def grammar_in_context(text: str, spans=None) -> dict[int, tuple[str | None, str | None]]:
    """{where a word starts: (its case, its gender)} as the morphology model reads them
    in their sentence: «Орхана» after «Встреча Гасана Мансурова и» is a man's name in the
    genitive, which the dictionary alone cannot tell from a woman's in the nominative.
    Only the sentences that hold one of `spans` ((start, stop) pairs), if given: the
    model takes three times the NER model's time over a whole text."""
    from razdel import sentenize, tokenize

    sentences = [
        (s.start, list(tokenize(s.text)))
        for s in sentenize(text)
        if spans is None or any(start < s.stop and s.start < stop for start, stop in spans)
    ]
    markups = models().morph.map([[t.text for t in tokens] for _start, tokens in sentences])
    found = {}
    for (start, tokens), markup in zip(sentences, markups, strict=True):
        for token, tagged in zip(tokens, markup.tokens, strict=True):
            feats = tagged.feats or {}
            found[start + token.start] = (
                UD_GRAMMEMES.get(feats.get("Case")),
                UD_GRAMMEMES.get(feats.get("Gender")),
            )
    return found


@dataclass
class Mention:
    kind: str
    start: int
    stop: int
    written: str  # as in the text
    name: str  # in the nominative
    alternatives: tuple[str, ...] = ()  # other names it may be tagged by


@dataclass
class Suggestion:
    name: str
    kind: str
    tag: Tag | None = None  # the existing tag, or None for a new one
    spans: set[tuple[int, int]] = field(default_factory=set)  # where it is named
    written: list[str] = field(default_factory=list)  # how, once each
    alternatives: tuple[str, ...] = ()  # other names it may have as a tag

    @property
    def tag_id(self):
        return self.tag.pk if self.tag else None

    @property
    def mentions(self):
        # Spans that overlap («Генеральной Ассамблеи ООН» and «Генеральной Ассамблеи»,
        # seen by the model and among the tags' names) are one mention.
        ends = [-1]
        for start, stop in sorted(self.spans):
            if start >= ends[-1]:
                ends.append(stop)
            else:
                ends[-1] = max(ends[-1], stop)
        return len(ends) - 1

    def add(self, start, stop, written):
        self.spans.add((start, stop))
        if written not in self.written:
            self.written.append(written)

    def merge(self, other):
        self.spans |= other.spans
        self.written += [w for w in other.written if w not in self.written]

    def inside(self, spans):
        """Whether every mention of this one lies within one of `spans`."""
        return all(any(a <= start and stop <= b for a, b in spans) for start, stop in self.spans)


def _rebuilt(written: str, words: list[str]) -> str:
    """`written` with its words replaced, one for one, keeping what is between them."""
    replacements = iter(words)
    return WORD.sub(lambda _m: next(replacements), written)


def _nominative(written: str, kind: str, start: int = 0, grammar=None) -> str:
    """`written` in the nominative; a person's name as the morphology model read its
    words at `start` in the text (`grammar`, from grammar_in_context())."""
    matches = list(WORD.finditer(written))
    words = [m.group() for m in matches]
    if kind == Tag.Kind.PERSON:
        hints = [(grammar or {}).get(start + m.start()) for m in matches]
        return _rebuilt(written, nominative.person(words, hints))
    return _rebuilt(written, nominative.phrase(words, place=kind == Tag.Kind.PLACE))


def _spans(text):
    """NER spans (start, stop, kind), a parenthesis cut off («Азербайджана (МИД)»)."""
    for span in models().ner(text).spans:
        stop = span.stop
        if "(" in text[span.start : stop]:
            stop = span.start + text[span.start : stop].index("(")
        written = text[span.start : stop].rstrip(' ,.;:-—«»"')
        if written:
            yield span.start, span.start + len(written), KINDS[span.type]


_QUOTED_BODY = re.compile(r"(\w+)\s*[«\"“„]$")


def _body_before_quotes(text, start, stop):
    """Where «комитет «Ad Hoc»» begins, if the name at start:stop is a NAMED_BODIES one."""
    before = _QUOTED_BODY.search(text, max(0, start - 40), start)
    if before is None or text[stop : stop + 1] not in '»"”“':
        return None
    word = before.group(1)
    lemmas = dictionary_lemmas(word.lower().replace("ё", "е"), guess=True)
    return before.start(1) if NAMED_BODIES.intersection(lemmas) else None


def mentions(text: str) -> list[Mention]:
    """Every person, organisation and place the model finds, in the nominative."""
    spans = list(_spans(text))
    # People's names are where the dictionary alone most often errs («Орхана»).
    people = [(start, stop) for start, stop, kind in spans if kind == Tag.Kind.PERSON]
    grammar = grammar_in_context(text, people) if people else {}
    found = []
    for i, (start, stop, kind) in enumerate(spans):
        written = text[start:stop]
        words = words_of(written)
        if not words or len(words) > MAX_NAME_WORDS:
            continue
        if len(words) == 1 and nominative.is_common_word(words[0]):
            continue  # «Комитетом», «Службы»: a common word, not a name
        alternatives = []
        if kind == Tag.Kind.ORGANISATION:
            # «Генеральной Ассамблеи ООН»: the model ends the name before «ООН», which
            # it reads as an organisation of its own (it is one, and stays one).
            after = spans[i + 1] if i + 1 < len(spans) else None
            if after and not text[stop : after[0]].strip() and after[2] == kind:
                tail = text[after[0] : after[1]]
                if len(words_of(tail)) == 1 and nominative.is_abbreviation(tail):
                    name = f"{_nominative(written, kind, start, grammar)} {tail}"
                    found.append(Mention(kind, start, after[1], f"{written} {tail}", name))
                    continue
            body_start = _body_before_quotes(text, start, stop)
            if body_start is not None:
                alternatives.append(_nominative(written, kind, start, grammar))
                written = text[body_start : stop + 1]
                start, stop = body_start, stop + 1
                words = words_of(written)
        if all(w[:1].islower() for w in words):
            continue
        name = _nominative(written, kind, start, grammar)
        if nominative.is_cyrillic(words[0]):  # «комитет «Ad Hoc»» begins a sentence's way
            name = name[:1].upper() + name[1:]
        found.append(Mention(kind, start, stop, written, name, tuple(alternatives)))
    return found


def source_names() -> set[tuple[str, ...]]:
    """The sources' names, folded (compared with a name as written and in Latin letters,
    so «АПА» is the source «APA»: see is_source)."""
    return {name_key(name) for name in Source.objects.values_list("name", flat=True)}


def is_source(key, sources):
    return key in sources or tuple(transliterate_slug(word) for word in key) in sources


def suggest(text: str, exclude=(), hidden=(), named_tags=True) -> list[Suggestion]:
    """Tags for the people, organisations and places named in `text`, in the order they
    are first named: existing tags where a name is one's, new ones otherwise. Tags in
    `exclude` (already on the article) are left out; tags in `hidden` are treated as
    if they did not exist (assist_quality's leave-one-out). With `named_tags`, existing
    tags named in the text are found even where the model saw no name.

    The agency an item is credited to («Как передает АПА») is its source, not its
    subject: a name that is a Source's is not offered. A surname alone after the whole
    name («Мансурова» after «Гасан Мансуров») is the same person.
    """
    sources = source_names()
    people, groups = {}, {}
    for mention in mentions(text):
        key = name_key(mention.name)
        if is_source(key, sources):
            continue
        if mention.kind == Tag.Kind.PERSON:
            if len(key) > 1:
                people.setdefault(key[-1], mention.name)
            else:  # «Гутерриша» after «Антониу Гутерриш»
                same = (n for last, n in people.items() if same_name(key, (last,)))
                if whole := next(same, None):
                    mention.name, key = whole, name_key(whole)
        group = groups.get((mention.kind, key))
        if group is None:
            group = groups[(mention.kind, key)] = Suggestion(mention.name, mention.kind)
            group.alternatives = mention.alternatives
        group.add(mention.start, mention.stop, mention.written)

    index = current_index()  # checked against the database once per call
    matched, new = {}, []
    for group in groups.values():
        names = (group.name, *group.alternatives)
        found = (find_tag_id(n, group.kind, hidden, index) for n in names)
        pk = next(filter(None, found), None)
        if pk is None:
            new.append(group)
        elif pk in matched:  # two names of one tag: «ООН», «Организации Объединённых Наций»
            matched[pk].merge(group)
        else:
            matched[pk] = group
    hits = tags_named_in(text, hidden, index) if named_tags else []
    for pk, start, stop, written in hits:
        matched.setdefault(pk, Suggestion("", "")).add(start, stop, written)
    # A new name inside an existing one («Ad Hoc» in «комитета «Ad Hoc»») is that one.
    covered = [(start, stop) for _pk, start, stop, _written in hits]
    new = [group for group in new if not group.inside(covered)]

    tags = Tag.objects.in_bulk(matched)
    by_tag = {}
    for pk, suggestion in matched.items():
        if pk in tags:  # (unless deleted meanwhile)
            tag = suggestion.tag = tags[pk]
            suggestion.name, suggestion.kind = tag.name_ru, tag.kind
            by_tag[pk] = suggestion

    found = [s for s in (*by_tag.values(), *new) if s.tag_id not in exclude]
    return sorted(found, key=lambda s: min(start for start, _stop in s.spans))
