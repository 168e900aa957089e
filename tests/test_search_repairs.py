"""When nothing or little matches: a typo, the wrong keyboard layout, a query in Latin
letters, a name in another case or a word cut short is repaired from the archive's own
vocabulary; the page says what it searched instead and links what the reader typed.

The articles hold real word forms and names as news write them (nominative in one,
another case in the next); the queries are what readers type."""

import re
from io import StringIO

import html5lib
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from search import repairs, service
from search.engines.distance import edit_distance
from search.management.commands.benchmark_repairs import cut_short, in_latin_letters
from search.management.engine_calls import counting
from search.names import name_forms
from search.repairs import on_russian_layout
from search.transliteration import transliterations

from . import search_support
from .factories import ArticleFactory, RubricFactory
from .search_support import api, module_archive, titles

fresh_state = search_support.fresh_state

CONVENTIONS = 12  # more than ten times any typo's count, so the typo is worth replacing
BASES = 25  # more than ten times the articles on «Баку»


def article(title, body="Подробности позже.", **fields):
    return ArticleFactory(title_ru=title, lead_ru="", body_ru=f"<p>{body}</p>", **fields)


def build():
    rubric = RubricFactory(slug="ikt")
    for n in range(CONVENTIONS):
        article(
            f"Конвенция номер {n}", "Борьба с киберпреступностью и конвенция ООН.", rubric=rubric
        )
    article("Гасан Мансуров, Орхан Абдулкеримли и Эмин Гамбарли выступили", "Речь.")
    article("Погода в Баку", "Жарко.")
    # One article with a typo of its own: the typo finds it, and the fix is offered.
    article("Опечатка: конвенцыя", "Бывает.")
    article("Tesla открыла салон в Баку")
    article("Число киберпреступлений выросло")
    article("Раскрыто громкое преступление")
    article("Журналист о хоккее", "Подъём экономики к июню; ёлка на площади.")
    article(
        "Церемония подписания в Ханое",
        title_en="Signing ceremony in Hanoi",
        body_en="<p>The ceremony took place in Hanoi.</p>",
    )
    article("Генсек ООН Гутерриш выступил в Нью-Йорке")
    article("Зеленский подписал указ")
    article("Путин провёл совещание")
    # Names the dictionary misreads in one case or another: «Токаев» is read as the
    # genitive plural of «токай», «Маска» as «маска», an unknown «Меликов» is cut to
    # «мелик» but «Меликова» to «меликов».
    article("Токаев провёл переговоры в Астане")
    article("Меликов назначен главой республики")
    article("Илон Маск купил соцсеть")
    article("Медицинская маска снова нужна")
    article("Мирзиёев посетил Самарканд")
    article("Переговоры с Пашиняном завершились")
    article("Встреча с Байденом отменена")
    article("Сергей Лавров провёл встречу")
    article("Лавровый лист подорожал")
    article("Сбор урожая начался")
    article("Типичная ошибка новичков")
    article("Витамин D полезен зимой")  # «d» is an index term of its own
    article("Вспышки на красных карликах")
    article("Зебры в зоопарке")
    article("Зебра родила детёныша")
    article("Таможенные коды HS")  # «hs» and «pt» are index terms
    article("Торпедные катера PT")
    # «база», near «баку» and far more frequent: a word the layout repair made is the
    # index's own, not a typo to correct again.
    for n in range(BASES):
        article(f"База номер {n}")
    return {"rubric": rubric.slug}


archive = module_archive(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("archive")]


@pytest.mark.parametrize(
    "typed, searched",
    [
        ("киберпреступнось", "киберпреступность"),
        ("rjydtywbz", "конвенция"),
        ("mansurov", "Мансуров"),
        ("Mansurova", "Мансурова"),
        (",fre", "Баку"),  # «б» is the comma key
        ("<fre", "Баку"),
    ],
)
def test_a_query_that_finds_nothing_is_repaired_and_searched(client, typed, searched):
    data = api(client, q=typed)
    assert data["query"] == searched
    assert data["suggestion"] == searched
    assert data["original_query"] == typed
    assert data["count"] >= 1


def test_a_repair_keeps_the_rest_of_the_query_and_filters(client, archive):
    data = api(client, q="rjydtywbz киберпреступнось -опечатка", rubric=archive["rubric"])
    assert data["query"] == "конвенция киберпреступность -опечатка"
    assert data["count"] == CONVENTIONS


def test_a_known_word_is_not_repaired(client):
    data = api(client, q="конвенция")
    assert data["suggestion"] is None and data["original_query"] is None
    assert data["count"] == CONVENTIONS


def test_a_little_found_is_kept_and_the_repair_offered(client):
    data = api(client, q="конвенцыя")
    assert [r["title"] for r in data["results"]] == ["Опечатка: конвенцыя"]
    assert data["suggestion"] == "конвенция"
    assert data["original_query"] is None


def test_typos_no_article_holds_together_find_the_articles_holding_either(client):
    # Repaired, «киберпреступность хоккей» is in no one article; as typed, no word is anywhere.
    data = api(client, q="киберпреступнось хокей")
    assert data["match"] == "any"
    assert data["query"] == data["suggestion"] == "киберпреступность хоккей"
    assert data["original_query"] == "киберпреступнось хокей"
    found = [r["title"] for r in data["results"]]
    assert "Журналист о хоккее" in found and len(found) == CONVENTIONS + 1


def test_a_typed_word_found_somewhere_is_kept_over_a_repair(client):
    # «Баку» is in articles, «Токаеу» in none: the articles holding the typed word are
    # shown, not the repair's (which replaced rare words readers meant, «полвека» by «полка»).
    data = api(client, q="Баку Токаеу")
    assert data["match"] == "any" and data["original_query"] is None
    assert all("Баку" in r["title"] for r in data["results"])


def test_nonsense_gets_no_suggestion(client):
    data = api(client, q="ззззззщщщ qqqqxxxx")
    assert data["count"] == 0 and data["suggestion"] is None


def test_the_page_says_what_was_searched_and_links_the_original(client):
    response = client.get("/search/", {"q": "rjydtywbz"})
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    notice = next(p for p in doc.iter("p") if p.get("role") == "status")
    text = "".join(notice.itertext())
    assert "«конвенция»" in text and "«rjydtywbz»" in text
    link = notice.find(".//a").get("href")
    assert link == "/search/?q=rjydtywbz&exact=1"
    # The original, searched as typed: nothing found, and no repair searched again; the
    # repair is only offered among what to try, with what it finds.
    original = html5lib.parse(client.get(link).content.decode(), namespaceHTMLElements=False)
    assert not [p for p in original.iter("p") if p.get("role") == "status"]
    assert "Ничего не найдено" in "".join(original.find(".//main").itertext())
    empty = next(s for s in original.iter("section") if s.get("class") == "search-empty")
    offered = {"".join(a.itertext()): a.get("href") for a in empty.iter("a")}
    assert (
        offered["«конвенция»"]
        == "/search/?q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F"
    )
    assert client.get("/api/search/", {"q": "rjydtywbz", "exact": "1"}).json()["count"] == 0


def test_the_page_offers_a_repair_as_did_you_mean(client):
    page = client.get("/search/", {"q": "конвенцыя"}).content.decode()
    assert "Возможно, вы имели в виду" in page
    assert 'href="/search/?q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%BD%D1%86%D0%B8%D1%8F"' in page


def test_the_english_page_links_its_own_search(client):
    data = api(client, prefix="/en", q="rjydtywbz")
    assert data["query"] == "конвенция"
    page = client.get("/en/search/", {"q": "rjydtywbz"}).content.decode()
    assert 'href="/en/search/?q=rjydtywbz&amp;exact=1"' in page


# --- the wrong keyboard layout, read over the whole text ------------------------------


@pytest.mark.parametrize(
    "typed, searched, title",
    [
        # The comma, full stop, semicolon, quote and bracket keys are Russian letters.
        ("rb,thghtcnegktybt", "киберпреступление", "Число киберпреступлений выросло"),
        (";ehyfkbcn", "журналист", "Журналист о хоккее"),  # ж
        ("'rjyjvbrf", "экономика", "Журналист о хоккее"),  # э
        ("[jrrtq", "хоккей", "Журналист о хоккее"),  # х
        ("gjl]tv", "подъем", "Журналист о хоккее"),  # ъ
        ("`krf", "ёлка", "Журналист о хоккее"),  # ё
        ("b.ym", "июнь", "Журналист о хоккее"),  # ю
        ("{fyjq", "Ханой", "Церемония подписания в Ханое"),  # shifted: Х
        ("gjlgbcfybt", "подписание", "Церемония подписания в Ханое"),
        ("gjlgbcfybt/", "подписание", "Церемония подписания в Ханое"),  # «/» is «.»
    ],
)
def test_every_key_of_the_russian_layout_is_read(client, typed, searched, title):
    data = api(client, q=typed)
    assert data["query"] == searched
    assert data["original_query"] == typed
    assert title in [r["title"] for r in data["results"]]


def test_a_query_of_several_words_on_the_wrong_layout(client):
    data = api(client, q="rjydtywbz jjy")
    assert data["query"] == "конвенция ООН"
    assert data["count"] == CONVENTIONS
    # A stop word is read too, though it counts for nothing: the Latin «d» is an index
    # term here (vitamin D), and searched, it would find nothing.
    data = api(client, q="gjujlf d ,fre")
    assert data["query"] == "погода в Баку"
    assert [r["title"] for r in data["results"]] == ["Погода в Баку"]


def test_a_russian_letter_key_inside_a_latin_word_is_the_wrong_layout(client):
    # «pt,hs» is «зебры»: «pt» and «hs» are in the index too, and «зебры» is not ten
    # times as frequent, but no Latin text has a comma between two letters.
    data = api(client, q="pt,hs")
    assert data["query"] == "зебры"
    assert {r["title"] for r in data["results"]} == {"Зебры в зоопарке", "Зебра родила детёныша"}


def test_a_latin_word_that_is_right_stays_beside_the_repaired_ones(client):
    data = api(client, q="Tesla ,fre")
    assert data["query"] == "Tesla Баку"
    assert [r["title"] for r in data["results"]] == ["Tesla открыла салон в Баку"]


def test_the_russian_layout_of_every_key():
    assert on_russian_layout("rjydtywbz") == "конвенция"
    assert on_russian_layout("Vjcrdf") == "Москва"
    assert on_russian_layout(",fre") == "баку"
    assert on_russian_layout("<fre") == "Баку"
    assert on_russian_layout("j,]zdktybt") == "объявление"
    assert on_russian_layout(":ehyfk") == "Журнал"
    assert on_russian_layout('"rcgthn') == "Эксперт"
    assert on_russian_layout("~krf") == "Ёлка"
    assert on_russian_layout("rjydtywbz/ jjy?") == "конвенция. оон,"
    assert on_russian_layout("@rjydtywbz jjy@") == '"конвенция оон"'  # Shift+2 is «"»
    assert on_russian_layout("2024") == "2024"


# --- Latin letters: every word, several transliteration schemes -----------------------


@pytest.mark.parametrize(
    "typed, searched, title",
    [
        ("konventsiya oon", "конвенция ООН", "Конвенция номер 0"),  # BGN/PCGN
        ("konvencziya OON", "конвенция ООН", "Конвенция номер 0"),  # ГОСТ 7.79 system B
        ("konventsiia", "конвенция", "Конвенция номер 0"),  # passport (ICAO 9303)
        ("konvenciya", "конвенция", "Конвенция номер 0"),  # informal
        ("kiberprestupnost", "киберпреступность", "Конвенция номер 0"),  # ь left out
        ("gensek oon guterrish", "генсек ООН Гутерриш", "Генсек ООН Гутерриш выступил в Нью-Йорке"),
        ("Nyu-York", "Нью-Йорк", "Генсек ООН Гутерриш выступил в Нью-Йорке"),
        ("pogoda v baku", "погода в Баку", "Погода в Баку"),  # a stop word of one letter
        ("Niu-Iork", "Нью-Йорк", "Генсек ООН Гутерриш выступил в Нью-Йорке"),  # passport
        # ГОСТ's backtick letters (y` is ы) would split the words they are in.
        (
            "vspy`shki na krasny`x karlikax",
            "вспышки на красных карликах",
            "Вспышки на красных карликах",
        ),
        ("khanoy", "Ханой", "Церемония подписания в Ханое"),
        ("Xanoj", "Ханой", "Церемония подписания в Ханое"),  # ГОСТ: х is x, й is j
        ("Khanoi", "Ханой", "Церемония подписания в Ханое"),  # passport: й is i
        (
            "abdulkerimli",
            "Абдулкеримли",
            "Гасан Мансуров, Орхан Абдулкеримли и Эмин Гамбарли выступили",
        ),
    ],
)
def test_a_latin_query_is_read_word_by_word(client, typed, searched, title):
    data = api(client, q=typed)
    assert data["query"] == searched
    assert data["original_query"] == typed
    assert title in [r["title"] for r in data["results"]]


def test_the_spelling_the_dictionary_knows_is_chosen(client):
    # «urozhaya» is «урожая» and «урожайа» (ay as «ай»); the stem of both is «урожай».
    data = api(client, q="sbor urozhaya")
    assert data["query"] == "сбор урожая"
    assert [r["title"] for r in data["results"]] == ["Сбор урожая начался"]


def test_an_english_word_the_english_text_holds_is_not_transliterated(client):
    # «ханой» is in as many articles as «hanoi»: not far more frequent, so no repair.
    data = api(client, q="hanoi")
    assert [r["title"] for r in data["results"]] == ["Церемония подписания в Ханое"]
    assert data["results"][0]["snippet_language"] == "en"
    assert data["suggestion"] is None


@pytest.mark.parametrize(
    "latin, cyrillic",
    [
        ("mansurov", "мансуров"),
        ("aliyev", "алиев"),
        ("zelensky", "зеленский"),
        ("zelenskiy", "зеленский"),
        ("zelenskii", "зеленский"),
        ("zelenskij", "зеленский"),
        ("khanoy", "ханой"),
        ("shchukin", "щукин"),
        ("shhukin", "щукин"),
        ("rossiya", "россия"),
        ("kon'yak", "коньяк"),
        ("ilya", "илья"),
        ("podyezd", "подъезд"),
        ("obiekt", "объект"),  # passport: ъ is ie
        ("sovetskiy", "советский"),
        ("Nyu-York", "нью-йорк"),
        ("zhurnalist", "журналист"),
        ("ekonomika", "экономика"),
        ("NATO", "нато"),  # an acronym the dictionary knows as one
        # A soft sign left out, inside the word, before «ся» and before «е».
        ("dolshe", "дольше"),
        ("spetsialnoy", "специальной"),
        ("prodvinutsya", "продвинуться"),
        ("seme", "семье"),
        ("niu-iorke", "нью-йорке"),  # passport: ь left out, ю is iu, й is i
        ("ilia", "илья"),
        ("v", "в"),
    ],
)
def test_transliteration_schemes_give_the_russian_spelling(latin, cyrillic):
    assert cyrillic in transliterations(latin)


@pytest.mark.parametrize("word", ["USA", "UN", "F-16", "2024", "конвенция"])
def test_numbers_acronyms_and_cyrillic_are_not_transliterated(word):
    assert transliterations(word) == ()


def test_transliterations_are_bounded():
    assert 0 < len(transliterations("shchyolkovskiy")) <= 16


# --- names in another case than the article's -----------------------------------------


@pytest.mark.parametrize(
    "typed, title",
    [
        # The analysis already matches these (every plausible lemma is kept).
        ("Гасана Мансурова", "Гасан Мансуров, Орхан Абдулкеримли и Эмин Гамбарли выступили"),
        ("Эмина Гамбарли", "Гасан Мансуров, Орхан Абдулкеримли и Эмин Гамбарли выступили"),
        ("Орхана Абдулкеримли", "Гасан Мансуров, Орхан Абдулкеримли и Эмин Гамбарли выступили"),
        ("Мансуровой", "Гасан Мансуров, Орхан Абдулкеримли и Эмин Гамбарли выступили"),
        ("Зеленского", "Зеленский подписал указ"),
        ("Гутерриша", "Генсек ООН Гутерриш выступил в Нью-Йорке"),
        ("Путина", "Путин провёл совещание"),
    ],
)
def test_names_in_another_case_that_the_analysis_matches(client, typed, title):
    assert title in titles(client, typed)


@pytest.mark.parametrize(
    "typed, searched, title",
    [
        ("Токаева", "Токаева OR Токаев", "Токаев провёл переговоры в Астане"),
        ("Меликова", "Меликова OR Меликов", "Меликов назначен главой республики"),
        ("Мирзиёева", "Мирзиёева OR Мирзиёев", "Мирзиёев посетил Самарканд"),
        # Any other case with the article's index term will do: «Пашиняну» and
        # «Пашиняном» are both «пашинян» to the stemmer, «Пашинян» is «пашиня».
        ("Пашинян", "Пашинян OR Пашиняну", "Переговоры с Пашиняном завершились"),
        ("Байден", "Байден OR Байдену", "Встреча с Байденом отменена"),
        ("Илона Маска", "Илона Маска OR Маск", "Илон Маск купил соцсеть"),
    ],
)
def test_a_name_in_another_case_finds_the_articles_form(client, typed, searched, title):
    data = api(client, q=typed)
    assert data["query"] == searched
    assert data["original_query"] == typed
    assert [r["title"] for r in data["results"]] == [title]


def test_a_name_the_dictionary_knows_keeps_its_own_cases(client):
    # «Лавровым» is «Лавров» and «лавровый» to the dictionary: read by its endings, it
    # would add «Лавровый» to the search.
    both = {"Лавровый лист подорожал", "Сергей Лавров провёл встречу"}
    assert set(titles(client, "Лавровым")) == both
    assert repairs.repair("Лавровым конвенция") is None


def test_name_forms_follow_russian_name_declension():
    assert {"Токаев", "Токаеву", "Токаевым"} <= set(name_forms("Токаева"))
    assert {"Мансуров", "Мансурова"} <= set(name_forms("Мансуровой"))
    assert {"Гутерриша", "Гутерришем"} <= set(name_forms("Гутерриш"))
    assert "Гутерришом" not in name_forms("Гутерриш")  # after ш, «ем»
    assert name_forms("Токаева")[0] == "Токаев"  # the nominative first


# --- a word cut short -----------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, searched, title",
    [
        ("преступлени", "преступлен*", "Раскрыто громкое преступление"),
        (
            "Абдулкерим",
            "Абдулкерим*",
            "Гасан Мансуров, Орхан Абдулкеримли и Эмин Гамбарли выступили",
        ),
        ("Гутерр", "Гутерр*", "Генсек ООН Гутерриш выступил в Нью-Йорке"),
        ("генсек Гутерр", "генсек Гутерр*", "Генсек ООН Гутерриш выступил в Нью-Йорке"),
    ],
)
def test_a_last_word_cut_short_is_searched_as_a_beginning(client, typed, searched, title):
    data = api(client, q=typed)
    assert data["query"] == searched
    assert data["suggestion"] == searched
    assert data["original_query"] == typed
    assert title in [r["title"] for r in data["results"]]


def test_a_word_cut_short_is_not_read_as_a_name(client):
    # «типичн» is unknown to the dictionary, and «типична» one of its «cases» by the
    # endings of names; the dictionary knows «типична» as an adjective: a beginning.
    data = api(client, q="типичн")
    assert data["query"] == "типичн*"
    assert [r["title"] for r in data["results"]] == ["Типичная ошибка новичков"]


def test_a_dictionary_word_is_not_read_as_cut_short():
    assert repairs.repair("хоккей улетают") is None


def test_a_word_cut_short_the_stem_finds_is_not_repaired(client):
    # «киберпреступлени» has the index term of «киберпреступлений» (the Snowball stem).
    data = api(client, q="киберпреступлени")
    assert [r["title"] for r in data["results"]] == ["Число киберпреступлений выросло"]
    assert data["original_query"] is None


def test_a_cut_short_word_is_said_on_the_page(client):
    page = client.get("/search/", {"q": "Гутерр"}).content.decode()
    assert "«Гутерр*»" in page and "Генсек ООН Гутерриш" in page


# --- the cost of a repair -------------------------------------------------------------


def test_a_repair_asks_the_engine_the_same_few_times_whatever_the_words():
    with counting() as one_typo:
        assert repairs.repair("конвенцыя").text == "конвенция"
    with counting() as five_typos:
        repaired = repairs.repair("конвенцыя киберпреступнось журналисст хокей подписанние")
    assert repaired.text == "конвенция киберпреступность журналист хоккей подписание"
    assert one_typo == five_typos == {"document_frequencies": 2, "nearest_terms_many": 1}
    with counting() as every_kind:
        repaired = repairs.repair("rjydtywbz jjy kiberprestupnost Токаева ,fre hanoi Гутерр")
    assert repaired.text == "конвенция ООН киберпреступность Токаева OR Токаев Баку hanoi Гутерр*"
    # One pricing of every candidate, nearest words in both alphabets, their pricing.
    assert every_kind == {"document_frequencies": 2, "nearest_terms_many": 2}


def test_a_repaired_query_is_searched_once_more():
    with counting() as calls:
        page = service.perform({"q": "rjydtywbz jjy"}, "ru")
    assert page.query == "конвенция ООН" and page.count == CONVENTIONS
    assert calls["search"] == 2 and sum(calls.values()) - calls["search"] <= 4


def test_a_query_that_finds_enough_asks_for_no_repair():
    with counting() as calls:
        page = service.perform({"q": "конвенция"}, "ru")
    assert page.count == CONVENTIONS
    assert dict(calls) == {"search": 1}


def test_benchmark_repairs_prints_what_each_kind_of_typing_finds():
    out = StringIO()
    call_command("benchmark_repairs", queries=30, seed=3, show=0, stdout=out)
    rows = {
        match["kind"]: [int(match["queries"]), int(match["found"]), int(match["repaired"])]
        for match in re.finditer(
            r"^  (?P<kind>[a-z ]+?) +(?P<queries>\d+) +(?P<found>\d+) +(?P<repaired>\d+) +[\d.]+",
            out.getvalue(),
            re.MULTILINE,
        )
    }
    assert list(rows) == ["as typed", "wrong layout", "latin letters", "cut short"]
    typed, layout = rows["as typed"], rows["wrong layout"]
    # Every query typed on the wrong layout is repaired and finds what it finds as typed.
    assert layout == [typed[0], typed[1], typed[0]]
    assert typed[1] > 0 and rows["latin letters"][1] > 0


def test_benchmark_repairs_types_as_readers_do():
    assert in_latin_letters("съезд в подъезде") == "sezd v podezde"
    assert in_latin_letters("шахматный турнир") == "shakhmatnyy turnir"
    assert cut_short("сбор винограда") == "сбор виногр"
    assert cut_short("сбор урожая") is None  # too short to cut


# --- edit distance --------------------------------------------------------------------


def table_distance(a, b):
    """Levenshtein distance by the textbook table, as the oracle."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@settings(max_examples=400, deadline=None)
@given(a=st.text("абвгдеёжз", max_size=12), b=st.text("абвгдеёжз", max_size=12))
def test_edit_distance_is_levenshteins(a, b):
    assert edit_distance(a, b) == table_distance(a, b)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("конвенция", "конвенция", 0),
        ("конвенция", "канвенция", 1),
        ("конвенция", "конвенцыя", 1),
        ("конвенция", "конвенци", 1),
        ("конвенция", "коонвенция", 1),
        ("конвенция", "конвенциия", 1),
        ("конвенция", "кнвенциия", 2),
        ("киберпреступность", "преступность", 5),
        ("", "сеть", 4),
    ],
)
def test_edit_distance_of_typos(a, b, distance):
    assert edit_distance(a, b) == distance == edit_distance(b, a)
