"""Existing tags by name: a name compared word for word in any case of its words
(`same_name`), the tag a name found in a text stands for (`find_tag`), and the people,
organisations and places with a tag named in a text (`tags_named_in`): «комитета «Ad
Hoc»» is the tag «Комитет «Ad Hoc»» though the NER model missed it.

The names of people, organisations and places (every language's: Latin names appear
in Russian text) are kept per process in a dictionary by the forms of their first word,
rebuilt when the tags change: a save or delete in this process says so at once, other
processes' by the tags' count, highest id and newest history row (two small queries per
look-up). Topics are looked up in the database, by Tag.search_key.
"""

import itertools
import re
import threading
from typing import NamedTuple

from django.db.models import Count, Max, Q, signals

from .languages import WORD_PATTERN, dictionary_lemmas, folded
from .models import Tag
from .nominative import is_common_word

NAMED_KINDS = (Tag.Kind.PERSON, Tag.Kind.ORGANISATION, Tag.Kind.PLACE)
WORD = re.compile(WORD_PATTERN)
# What may stand between two words of one name: spaces, quotes, a hyphen.
_JOINED = re.compile(r"[\s«»\"“”„'’-]*")


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def name_key(name: str) -> tuple[str, ...]:
    """A name's words, folded (archive.languages.folded): quotes and spaces left out."""
    return tuple(words_of(folded(name)))


def forms(word: str) -> set[str]:
    """A folded word and its lemmas (every plausible one, guessed for unknown names)."""
    return {word, *dictionary_lemmas(word, guess=True)}


def same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Word for word the same name, in any case: «мансуровым» and «мансуров» share a
    lemma; «оон» equals itself."""
    if len(a) != len(b):
        return False
    return all(x == y or forms(x) & forms(y) for x, y in zip(a, b, strict=True))


class Named(NamedTuple):
    pk: int
    key: tuple[str, ...]  # the name's words, folded
    kind: str
    russian: bool  # the Russian name (the tag's identity), not a translation


_lock = threading.Lock()
_changes_here = itertools.count(1)
_names = {"index": (None, {})}  # (version, {a form of a first word: [Named, ...]})
_changed = {"here": 0}


def _tag_changed(sender, **kwargs):
    # Also what a rolled-back transaction did: the figures below may then read the same.
    _changed["here"] = next(_changes_here)


signals.post_save.connect(_tag_changed, sender=Tag, dispatch_uid="tag-names-changed")
signals.post_delete.connect(_tag_changed, sender=Tag, dispatch_uid="tag-names-deleted")


def _version():
    tags = Tag.objects.order_by().aggregate(n=Count("pk"), top=Max("pk"))
    newest = Tag.history.order_by().aggregate(top=Max("history_id"))["top"]
    return _changed["here"], tags["n"], tags["top"], newest


def current_index():
    """The names of the people, organisations and places, by the forms of their first
    word: what a name found in a text is looked up in."""
    version = _version()
    built, by_first = _names["index"]
    if built == version:
        return by_first
    with _lock:
        built, by_first = _names["index"]
        if built != version:
            by_first = {}
            rows = Tag.objects.filter(kind__in=NAMED_KINDS).order_by()
            rows = rows.values_list("pk", "kind", "name_ru", "name_az", "name_en")
            for pk, kind, *names in rows.iterator():
                keys = {name_key(n): None for n in names if n}
                for key in keys:
                    entry = Named(pk, key, kind, key == next(iter(keys)))
                    for form in forms(key[0]) if key else ():
                        by_first.setdefault(form, []).append(entry)
            _names["index"] = (version, by_first)  # one assignment: readers see both or neither
    return by_first


def _topics_called(key, hidden):
    """Topics are not in the index: looked up by Tag.search_key, by the longest word."""
    looked_up = Q()
    for form in forms(max(key, key=len)):
        looked_up |= Q(search_key__contains=f" {form}")
    topics = Tag.objects.filter(looked_up, kind=Tag.Kind.TOPIC).exclude(pk__in=hidden)
    topics = topics.order_by("pk").values_list("pk", "name_ru", "name_az", "name_en")[:200]
    return [
        Named(pk, name_key(name), Tag.Kind.TOPIC, name == names[0])
        for pk, *names in topics
        for name in names
        if name
    ]


def find_tag_id(name: str, kind: str, hidden=(), index=None) -> int | None:
    """The id of the existing tag called `name` in any of its languages, in any case of
    its words: by its Russian name before a translation, of the same kind first, then a
    person, organisation or place, then a topic. `index`: current_index(), if at hand."""
    key = name_key(name)
    if not key:
        return None
    index = current_index() if index is None else index
    named = [n for form in forms(key[0]) for n in index.get(form, ())]
    matching = [n for n in named if n.pk not in hidden and same_name(key, n.key)]
    if not matching:
        matching = [n for n in _topics_called(key, hidden) if same_name(key, n.key)]
    if not matching:
        return None
    return min(matching, key=lambda n: (not n.russian, n.key != key, n.kind != kind, n.pk)).pk


def find_tag(name: str, kind: str, hidden=()) -> Tag | None:
    pk = find_tag_id(name, kind, hidden)
    return Tag.objects.filter(pk=pk).first() if pk else None


def _looks_named(words):
    """Written as a name: one word alone is not a common word («Мир» in «Мир изменился»
    is not the place), and of several one at least begins with a capital or is Latin."""
    if len(words) == 1:
        return words[0][:1].isupper() and not is_common_word(words[0])
    return any(w[:1].isupper() or w.isascii() for w in words)


def tags_named_in(text: str, hidden=(), index=None) -> list[tuple[int, int, int, str]]:
    """(tag id, start, stop, as written) for each name of a tag found in `text`; tags
    whose id is in `hidden` are not looked for."""
    index = current_index() if index is None else index
    tokens = list(WORD.finditer(text))
    words = [folded(t.group()) for t in tokens]
    found = []
    for i, word in enumerate(words):
        for form in forms(word):
            for pk, key, _kind, _russian in index.get(form, ()):
                end = i + len(key)
                if pk in hidden or end > len(words) or not same_name(tuple(words[i:end]), key):
                    continue
                if not all(
                    _JOINED.fullmatch(text, tokens[j].end(), tokens[j + 1].start())
                    for j in range(i, end - 1)
                ):
                    continue
                if _looks_named([t.group() for t in tokens[i:end]]):
                    start, stop = tokens[i].start(), tokens[end - 1].end()
                    if text.count("«", start, stop) > text.count("»", start, stop):
                        stop += text.startswith("»", stop)  # «комитета «Ad Hoc»»
                    found.append((pk, start, stop, text[start:stop]))
    return list(dict.fromkeys(found))
