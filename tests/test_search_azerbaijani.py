"""Azerbaijani word forms (issue 12): on /az/ a reader's form of a word finds every
article of the seed's translation holding another form of it, on both engines, the
forms that matched are marked, and the stemmer (search.azerbaijani) leaves short words,
names and words of another harmony whole."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.languages import fold_azerbaijani
from archive.models import Article
from archive.sanitize import html_to_text
from search import service
from search.analysis import WORD_PATTERN, azerbaijani_word_terms, positioned_terms, term_forms
from search.engines.whoosh.analyzers import AzerbaijaniAnalyzer
from search.engines.whoosh.backend import FastAnalyzer

from . import search_support
from .factories import ArticleFactory
from .search_support import api, module_archive

fresh_state = search_support.fresh_state

SEED = Path(__file__).resolve().parents[1] / "archive" / "fixtures" / "seed.json"

# (a form in the seed's translation, the stem among its readings: the word as a
# dictionary lists it, folded as readers type it)
SEED_FORMS = [
    ("Konvensiyanı", "konvensiya"),
    ("Konvensiyası", "konvensiya"),
    ("Konvensiyasını", "konvensiya"),
    ("Konvensiyasının", "konvensiya"),
    ("konvensiyanın", "konvensiya"),
    ("BMT-nin", "bmt"),
    ("BMT-yə", "bmt"),
    ("Nyu-Yorkda", "nyu-york"),
    ("Nyu-Yorkdakı", "nyu-york"),
    ("Komitəsinin", "komite"),
    ("Komitəsini", "komite"),
    ("komitənin", "komite"),
    ("Assambleyası", "assambleya"),
    ("Assambleyasının", "assambleya"),
    ("layihəsi", "layihe"),
    ("layihəsinin", "layihe"),
    ("sessiyasında", "sessiya"),
    ("sessiyanın", "sessiya"),
    ("qətnaməsi", "qetname"),
    ("qətnaməni", "qetname"),
    ("hazırlanması", "hazirlanma"),
    ("imzaya", "imza"),
    ("texnologiyalarından", "texnologiya"),
    ("dövlətlərin", "dovlet"),
    ("Xidmətindən", "xidmet"),
    ("heyətlərinin", "heyet"),
    ("sübutların", "subut"),
    ("Hanoyda", "hanoy"),
    ("respublikamızın", "respublika"),
    ("ölkəmizi", "olke"),
    ("mənzil-qərargahında", "menzil-qerargah"),
    ("mətnində", "metn"),
    ("dövründə", "dovr"),
    ("oktyabrında", "oktyabr"),
    ("iyulun", "iyul"),
    ("avqustun", "avqust"),
    ("ildə", "il"),
    ("2019-cu", "2019"),
    ("29-dan", "29"),
    ("9-dək", "9"),
    ("hazırlamaqdır", "hazirlamaq"),
    ("daxildir", "daxil"),
    # a final k or q softens before a vowel: the reading with it back is kept
    ("Təhlükəsizliyi", "tehlukesizlik"),
    ("əməkdaşlığın", "emekdasliq"),
    ("Kibercinayətkarlığa", "kibercinayetkarliq"),
]


def seed_az_texts():
    texts = []
    for item in json.loads(SEED.read_text(encoding="utf-8")):
        for name, value in item["fields"].items():
            if name.endswith("_az") and isinstance(value, str):
                texts.append(html_to_text(value) if name.startswith("body") else value)
    return texts


def test_the_forms_are_the_seeds_own():
    words = {w for text in seed_az_texts() for w in re.findall(WORD_PATTERN, text)}
    assert {form for form, _stem in SEED_FORMS} <= words


@pytest.mark.parametrize("form, stem", SEED_FORMS)
def test_a_seed_form_is_indexed_and_searched_with_its_stem(form, stem):
    assert stem in azerbaijani_word_terms(form)
    assert stem in term_forms("az", form)
    # the whole word first: a prefix query (`konvensiyan*`) begins with what was typed
    assert term_forms("az", form)[0] == fold_azerbaijani(form.lower())


def test_every_form_of_a_word_meets_the_word_typed():
    for form, stem in SEED_FORMS:
        assert set(term_forms("az", stem)) & set(azerbaijani_word_terms(form)), form


@pytest.mark.parametrize(
    "word",
    # short words and names: a vowel is cut only with four letters left
    ["Bakı", "Hanoy", "Vyetnam", "Həsən", "Mənsurov", "Orxan", "Emin", "Quba", "ana"]
    + ["yeni", "kimi", "ilə", "və", "ki", "bu", "o", "BMT", "APA", "İKT", "video"],
)
def test_short_words_and_names_stay_whole(word):
    assert term_forms("az", word) == (fold_azerbaijani(word.lower()),)


@pytest.mark.parametrize(
    "word",
    [
        "ifadə",  # after the back «a» a dative is -a: not «ifad» + -ə
        "əhatə",
        "xüsusi",  # after the rounded «ü» a possessive is -ü: not «xüsus» + -i
        "yekun",  # not «yek» + -un: after «e» a genitive is -in
    ],
)
def test_vowel_harmony_keeps_words_whole(word):
    assert term_forms("az", word) == (fold_azerbaijani(word.lower()),)


@pytest.mark.parametrize(
    "typed, written",
    [
        ("konvensiyani", "Konvensiyanı"),
        ("Baki", "Bakı"),
        ("komitesinin", "Komitəsinin"),
        ("tehlukesizliyi", "Təhlükəsizliyi"),
        ("emekdasligin", "əməkdaşlığın"),
    ],
)
def test_a_word_typed_without_the_layout_stands_for_the_same_terms(typed, written):
    assert term_forms("az", typed) == term_forms("az", written)


@pytest.mark.parametrize(
    "one, other",
    [
        # one letter apart: a canonical stem cut deep enough to join every reading of
        # a word would join these too
        ("İranın", "İraqda"),
        ("Slovakiyada", "Sloveniyanın"),
        ("nümayəndəsi", "nümayişi"),
        ("Almaniyanın", "almaq"),
        ("elektronun", "elektrikin"),
    ],
)
def test_different_words_share_no_term(one, other):
    assert not set(azerbaijani_word_terms(one)) & set(term_forms("az", other))


def test_a_suffix_after_a_hyphen_goes_with_it_and_is_no_part_of_its_own():
    assert azerbaijani_word_terms("BMT-nin") == ("bmt-nin", "bmt")
    assert term_forms("az", "BMT-yə") == ("bmt-ye", "bmt")
    assert azerbaijani_word_terms("2024-cü") == ("2024-cu", "2024")
    terms = azerbaijani_word_terms("Nyu-Yorkda")
    assert terms[:2] == ("nyu-yorkda", "nyu-york")
    assert {"nyu", "yorkda", "york"} <= set(terms)


def test_a_words_readings_stand_at_its_position():
    positions = positioned_terms("az", "Konvensiyanın mətnini Komitə hazırlayıb")
    assert [terms[0] for terms in positions] == ["konvensiyanin", "metnini", "komite", "hazirlayib"]
    assert "konvensiya" in positions[0]
    assert "metn" in positions[1]


def az_tokens(analyzer, text):
    fields = ("text", "pos", "startchar", "endchar")
    return [
        tuple(getattr(t, f) for f in fields) for t in analyzer(text, positions=True, chars=True)
    ]


def test_the_one_pass_analyzer_yields_the_chains_tokens_on_the_seed():
    # FastAnalyzer writes the index; the Whoosh chain is the oracle (as in
    # tests/test_search_fast_indexing.py), here on real inflected text.
    fast, chain = FastAnalyzer("az"), AzerbaijaniAnalyzer()
    for text in seed_az_texts():
        assert az_tokens(fast, text) == az_tokens(chain, text), text


# --- through the index, on both engines --------------------------------------------------


def build():
    call_command("loaddata", "seed", verbosity=0)
    # Words a letter apart from each other, not from the seed.
    ArticleFactory(title_az="İranın nümayəndəsi Tehranda çıxış edib", body_az="<p>Mətn.</p>")
    ArticleFactory(title_az="İraqda nümayiş keçirilib", body_az="<p>Mətn.</p>")
    # Words an Azerbaijani keyboard capitalises with a dot: «İnternet», «İnternational».
    ArticleFactory(
        title_ru="Internet и International Telecommunication Union",
        body_ru="<p>Текст.</p>",
        title_en="International Telecommunication Union meets",
        body_en="<p>Internet governance.</p>",
    )


archive = module_archive(build)
pytestmark = pytest.mark.django_db


def az_text(article):
    return " ".join((article.title_az or "", article.lead_az or "", html_to_text(article.body_az)))


def holding(pattern):
    """Ids of the articles whose Azerbaijani text matches `pattern` (a regular
    expression, case-insensitive): what a search should find, read from the database."""
    found = re.compile(pattern, re.IGNORECASE)
    return {a.pk for a in Article.objects.published() if found.search(az_text(a))}


def search_az(q, **params):
    # exact=1: no query repair; what is found comes from the analysis alone
    return service.perform({"q": q, "exact": "1", **params}, "az")


def marked(html):
    return re.findall(r"<mark>(.*?)</mark>", html)


CONVENTION = r"\bkonvensiya\w*"


@pytest.mark.parametrize(
    "q", ["konvensiya", "Konvensiyanı", "konvensiyani", "Konvensiyasının", "KONVENSİYA"]
)
def test_every_article_with_a_form_of_convention_is_found_and_marked(archive, q):
    expected = holding(CONVENTION)
    assert len(expected) == 5  # every seed article; before the stemmer «konvensiyanı» found 1
    page = search_az(q)
    assert {r["id"] for r in page.results} == expected
    for result in page.results:
        assert result["snippet_language"] == "az", result
        marks = marked(result["snippet"])
        assert marks, result["snippet"]
        assert all(re.fullmatch(CONVENTION, m, re.IGNORECASE) for m in marks), marks


@pytest.mark.parametrize(
    "q, pattern",
    [
        ("komitə", r"\bkomitə\w*"),
        ("Komitəsi", r"\bkomitə\w*"),
        ("sessiya", r"\bsessiya\w*"),
        ("layihə", r"\blayihə\w*"),
        ("assambleya", r"\bassambleya\w*"),
        ("texnologiya", r"\btexnologiya\w*"),
        ("Nyu-York", r"\bnyu-york\w*"),
        ("Hanoya", r"\bhanoy\w*"),
        ("qətnamə", r"\bqətnamə\w*"),
        ("təhlükəsizlik", r"\btəhlükəsizli\w*"),
        ("İran", r"\biran\w*"),
        ("nümayiş", r"\bnümayiş\w*"),
    ],
)
def test_a_form_finds_every_article_with_another_form(archive, q, pattern):
    expected = holding(pattern)
    assert expected
    assert {r["id"] for r in search_az(q).results} == expected


def test_the_exact_form_typed_ranks_first(archive):
    # A text word sharing every reading of the query word matched every one of its
    # terms: «Konvensiyanı» is in one title and body only.
    exact = holding(r"\bkonvensiyanı\b")
    assert len(exact) == 1
    assert search_az("Konvensiyanı").results[0]["id"] in exact
    plain = holding(r"\bkonvensiya\b")
    ranked = [r["id"] for r in search_az("konvensiya").results]
    assert set(ranked[: len(plain)]) == plain


def test_a_prefix_is_the_beginning_of_the_word_typed(archive):
    # not of a stem: «konvensiyan*» is what the reader sees in «Konvensiyanın»
    assert {r["id"] for r in search_az("konvensiyan*").results} == holding(r"\bkonvensiyan\w*")
    assert {r["id"] for r in search_az("assamb*").results} == holding(r"\bassamb\w*")


def test_a_phrase_matches_other_forms_of_its_words_in_order(archive):
    expected = holding(r"\bbaş assambleya\w*")
    assert expected
    assert {r["id"] for r in search_az('"Baş Assambleyasının"').results} == expected
    assert not search_az('"Assambleyası Baş"').results


@pytest.mark.parametrize("lang", ["ru", "en", "az"])
@pytest.mark.parametrize("typed, written", [("İnternational", "International"),
                                            ("İNTERNET", "Internet"),
                                            ("İnterna*", "Interna*")])  # fmt: skip
def test_a_dotted_capital_finds_the_word_written_with_i_in_every_language(
    archive, lang, typed, written
):
    # Russian and English lowered «İ» to «i̇» (with a combining dot): nothing was found.
    expected = {r["id"] for r in service.perform({"q": written, "exact": "1"}, lang).results}
    assert expected
    found = service.perform({"q": typed, "exact": "1"}, lang).results
    assert {r["id"] for r in found} == expected


def test_the_az_search_api_and_page_find_and_mark_the_forms(client, archive):
    data = api(client, "/az", q="konvensiyanı", exact="1")
    assert {r["id"] for r in data["results"]} == holding(CONVENTION)
    snippets = {r["title"]: r["snippet"] for r in data["results"]}
    adopted = "BMT Baş Assambleyası Kibercinayətkarlığa qarşı Konvensiyanı qəbul edib"
    assert marked(snippets[adopted]) == ["Konvensiyasını", "Konvensiyanın"]
    page = client.get("/az/search/", {"q": "konvensiya", "exact": "1"})
    assert page.status_code == 200
    assert "<mark>Konvensiyasını</mark>" in page.content.decode()


def readings_printed(output):
    """{word: the stems printed after it} from the command's word lines."""
    rows = (line.split() for line in output.splitlines() if line and not line[0].isspace())
    return {row[0]: row[1:] for row in rows if not row[0].isdigit()}


def test_the_stems_command_prints_the_seeds_words_and_what_they_share(tmp_path):
    out = StringIO()
    call_command("azerbaijani_stems", "--shared", stdout=out)
    assert "konvensiya" in readings_printed(out.getvalue())["konvensiyani"]
    assert re.search(
        r"^\d+ words \(\d+ distinct\), [\d.]+ index terms a word$", out.getvalue(), re.M
    )
    rows = (line.split() for line in out.getvalue().splitlines() if line.startswith("  "))
    shared = {row[0].rstrip(":"): row[1:] for row in rows}
    assert {"konvensiya", "konvensiyani", "konvensiyasinin"} <= set(shared["konvensiya"])
    text = tmp_path / "az.txt"
    text.write_text("Bakı Bakıda", encoding="utf-8")
    out = StringIO()
    call_command("azerbaijani_stems", str(text), stdout=out)
    printed = readings_printed(out.getvalue())
    assert printed["baki"] == [] and "baki" in printed["bakida"]
