"""The analyzers on their own: what each language's text becomes in the index."""

import pickle

import pytest
from haystack import connections
from whoosh.fields import TEXT

from search.analysis import (
    russian_lemmas,
    term_forms,
)
from search.engines.whoosh.analyzers import AzerbaijaniAnalyzer, EnglishAnalyzer, RussianAnalyzer


def terms(analyzer, text):
    return [t.text for t in analyzer(text)]


def positions(analyzer, text):
    return [(t.pos, t.text) for t in analyzer(text, positions=True)]


# --- Russian -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, lemma",
    [
        ("Конвенции", "конвенция"),
        ("конвенцию", "конвенция"),
        ("людей", "человек"),
        ("приняла", "принять"),
        ("Объединённых", "объединить"),
        ("государственной", "государственный"),
        ("Азербайджане", "азербайджан"),
    ],
)
def test_russian_words_become_their_dictionary_forms(word, lemma):
    assert lemma in terms(RussianAnalyzer(), word)


def test_an_ambiguous_form_keeps_every_lemma_at_one_position():
    # «Мансуров» is a surname and the genitive plural of «Мансур»: both readings are
    # indexed, so either finds the text.
    assert set(russian_lemmas("мансуров")) == {"мансур", "мансуров"}
    assert set(russian_lemmas("стали")) >= {"стать", "сталь"}
    assert positions(RussianAnalyzer(), "Гасан Мансуров") == [
        (0, "гасан"),
        (1, "мансур"),
        (1, "мансуров"),
    ]


def test_yo_is_folded_to_ye():
    assert terms(RussianAnalyzer(), "ёлка Ёлки") == ["елка", "елка"]
    assert terms(RussianAnalyzer(), "елка") == ["елка"]
    assert term_forms("ru", "Объединённых") == term_forms("ru", "объединенных")


def test_unknown_words_fall_back_to_the_snowball_stem():
    # Not in the dictionary: forms of one word still meet at one stem.
    assert terms(RussianAnalyzer(), "киберпреступностью") == terms(
        RussianAnalyzer(), "киберпреступности"
    )


def test_hyphenated_words_are_indexed_whole_and_by_parts_at_one_position():
    tokens = positions(
        RussianAnalyzer(), "использованием информационно-коммуникационных технологий"
    )
    whole = term_forms("ru", "информационно-коммуникационных")[0]
    assert (1, whole) in tokens
    assert (1, "коммуникационный") in tokens
    assert (1, "информационный") in tokens or (1, "информационно") in tokens
    # the next word follows the whole word, so a phrase across it still matches
    assert (2, "технология") in tokens
    assert {"f", "строка"} <= set(terms(RussianAnalyzer(), "F-строки"))
    assert {"нью", "йорк"} <= set(terms(RussianAnalyzer(), "в Нью-Йорке"))


def test_a_query_word_stands_for_the_whole_hyphenated_word_only():
    assert term_forms("ru", "Нью-Йорке") == term_forms("ru", "Нью-Йорк")
    assert "йорк" not in term_forms("ru", "Нью-Йорке")


def test_stop_words_go_but_negation_stays():
    assert terms(RussianAnalyzer(), "и в на по") == []
    assert terms(RussianAnalyzer(), "не будет служить") == ["не", "служить"]
    assert terms(RussianAnalyzer(), "ни шагу")[0] == "ни"
    assert term_forms("ru", "и") == ()
    assert term_forms("ru", "не") == ("не",)


def test_a_stop_word_leaves_no_gap_in_positions():
    # A phrase query skips stop words, so the index must not count them either.
    assert positions(RussianAnalyzer(), "Конвенция против киберпреступности")[0][0] == 0
    assert [p for p, _ in positions(RussianAnalyzer(), "комитет и конвенция")] == [0, 1]


# --- Azerbaijani and English -------------------------------------------------------------


def whole_words(analyzer, text):
    """The first term at each position: the word itself, before its stems."""
    first = {}
    for pos, term in positions(analyzer, text):
        first.setdefault(pos, term)
    return list(first.values())


def test_azerbaijani_letters_fold_to_what_a_latin_keyboard_types():
    # The stems each word may have follow it at its position (tests/test_search_azerbaijani.py).
    assert whole_words(AzerbaijaniAnalyzer(), "Gəncə şəhərində Həsən Mənsurov") == [
        "gence",
        "seherinde",
        "hesen",
        "mensurov",
    ]
    assert terms(AzerbaijaniAnalyzer(), "İKT") == ["ikt"]
    assert whole_words(AzerbaijaniAnalyzer(), "Öz çağırışı") == ["oz", "cagirisi"]
    assert {"bmt-nin", "bmt"} <= set(terms(AzerbaijaniAnalyzer(), "BMT-nin"))
    assert term_forms("az", "Gəncə") == term_forms("az", "gence")


def test_english_is_stemmed_without_stop_words():
    assert terms(EnglishAnalyzer(), "The conventions were adopted") == ["convent", "were", "adopt"]
    assert term_forms("en", "Conventions") == term_forms("en", "convention")
    assert "the" not in terms(EnglishAnalyzer(), "the United Nations")
    assert {"f-string", "f", "string"} <= set(terms(EnglishAnalyzer(), "F-strings"))


# --- the schema --------------------------------------------------------------------------


def test_each_language_field_has_its_analyzer(search_index):
    schema = search_index.schema
    samples = {"text": "Конвенции", "text_az": "Gəncə", "text_en": "conventions"}
    expected = {"text": "конвенция", "text_az": "gence", "text_en": "convent"}
    for name, sample in samples.items():
        assert isinstance(schema[name], TEXT)
        assert expected[name] in [t.text for t in schema[name].analyzer(sample)]
    # keyword fields are exact, stored fields only stored
    assert list(schema["rubric"].process_text("Some-Slug")) == ["Some-Slug"]
    assert not schema["title_ru"].indexed


def test_the_schema_analyzers_survive_pickling(search_index):
    # Whoosh pickles the schema into the index; the analyzers must come back working.
    schema = pickle.loads(pickle.dumps(search_index.schema))
    assert "человек" in [t.text for t in schema["text"].analyzer("людей")]
    assert [t.text for t in schema["text_az"].analyzer("Gəncə")][0] == "gence"
    assert "convent" in [t.text for t in schema["text_en"].analyzer("conventions")]
    for make in (RussianAnalyzer, AzerbaijaniAnalyzer, EnglishAnalyzer):
        again = pickle.loads(pickle.dumps(make()))
        assert terms(again, "Ёлки") == terms(make(), "Ёлки")


def test_the_stored_schema_reads_back_from_disk(search_index):
    # What a process opening the index without haystack's schema sees.
    from whoosh.index import open_dir

    stored = open_dir(connections["default"].get_backend().path).schema
    assert "человек" in [t.text for t in stored["text"].analyzer("людей")]
