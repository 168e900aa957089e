"""Word forms, ё and synonyms, through a real index: a reader's form of a word finds
the article that has another form of it. The same pairs fail with the stock
haystack Whoosh analyzer, which is what this search exists to fix."""

import pytest
from whoosh.analysis import StemmingAnalyzer

from archive.models import Article
from search import engines
from search.models import SynonymGroup, synonym_map
from search.query import parse

from . import search_support
from .factories import ArticleFactory
from .search_support import module_archive, titles

fresh_state = search_support.fresh_state

# (what the reader types, the form in the article)
PAIRS = {
    "noun": [
        ("конвенция", "Конвенции"),
        ("конвенцию", "конвенцией"),
        ("конвенций", "о конвенциях"),
        ("людей", "человек"),
        ("человека", "люди"),
        ("детей", "ребёнок"),
        ("лет", "год"),
        ("государство", "государствам"),
        ("преступность", "преступности"),
        ("сессия", "сессией"),
        ("переговоры", "переговорах"),
        ("комитет", "комитетом"),
        ("резолюция", "резолюции"),
        ("страна", "странами"),
        ("доказательство", "доказательствами"),
        ("путь", "путём"),
        ("время", "времени"),
        ("имя", "именами"),
        ("мир", "миром"),
        ("сталь", "стали"),
    ],
    "adjective": [
        ("международный", "международной"),
        ("электронные", "электронных"),
        ("государственная", "государственного"),
        ("безопасный", "безопаснее"),
        ("новый", "новейших"),
        ("уголовный", "уголовному"),
        ("плохой", "хуже"),
        ("специальный", "специальном"),
        ("межправительственный", "межправительственного"),
        ("последний", "последнем"),
    ],
    "verb": [
        ("принять", "приняла"),
        ("принимать", "принимает"),
        ("подписать", "подписали"),
        ("подписывают", "подписывать"),
        ("учредить", "учредила"),
        ("разработать", "разработает"),
        ("идти", "шёл"),
        ("вступит", "вступить"),
        ("обсуждали", "обсуждать"),
        ("откроют", "открыть"),
        ("прийти", "пришёл"),
    ],
    "participle": [
        ("принятая", "приняли"),
        ("подписанный", "подписанным"),
        ("открытая", "открыта"),
        ("представленный", "представлены"),
        ("разработанный", "разработанного"),
        ("учитывая", "учитывать"),
        ("принятого", "принятому"),
        ("созданного", "созданная"),
    ],
    "name": [
        ("Мансуров", "Мансурова"),
        ("Мансурову", "Мансуров"),
        ("Азербайджан", "Азербайджане"),
        ("Нью-Йорк", "Нью-Йорке"),
        ("Ханой", "Ханое"),
        ("Вьетнам", "Вьетнаме"),
        ("Москва", "Москвы"),
        ("Россия", "России"),
        ("Алиев", "Алиева"),
        ("Ильхам", "Ильхама"),
    ],
    "hyphenated": [
        ("информационно-коммуникационные", "информационно-коммуникационных"),
        ("коммуникационных", "информационно-коммуникационные"),
        ("северо-западный", "северо-западного"),
        ("строка", "F-строки"),
        ("Нью-Йорке", "Нью-Йорк"),
        ("онлайн-конференции", "онлайн-конференция"),
        ("конференция", "онлайн-конференции"),
    ],
    "yo": [
        ("елка", "ёлка"),
        ("ёлка", "елки"),
        ("объединенных", "Объединённых"),
        ("зеленый", "зелёного"),
        ("береза", "берёзы"),
        ("пришел", "пришёл"),
        ("черный", "чёрная"),
    ],
}
ALL_PAIRS = [(kind, query, form) for kind, pairs in PAIRS.items() for query, form in pairs]


def note_title(n):
    return f"Заметка номер {n}"


def build():
    notes = {}
    for n, (_kind, _query, form) in enumerate(ALL_PAIRS):
        article = ArticleFactory(
            title_ru=note_title(n), lead_ru="", body_ru=f"<p>В заметке есть слово: {form}.</p>"
        )
        notes[form] = article.pk
    synonyms = {
        "oon": ArticleFactory(title_ru="Доклад ООН о детях", body_ru="<p>Доклад.</p>"),
        "full": ArticleFactory(
            title_ru="Решение Организации Объединённых Наций", body_ru="<p>Решение.</p>"
        ),
        "un": ArticleFactory(
            title_ru="", lead_ru="", body_ru="", title_en="A UN report", body_en="<p>Report.</p>"
        ),
        "bmt": ArticleFactory(
            title_ru="", lead_ru="", body_ru="", title_az="BMT-nin hesabatı", body_az="<p>Mətn.</p>"
        ),
        "ikt": ArticleFactory(title_ru="Рынок ИКТ растёт", body_ru="<p>Рынок.</p>"),
        "ikt_full": ArticleFactory(
            title_ru="Развитие информационно-коммуникационных технологий", body_ru="<p>Да.</p>"
        ),
        "cik": ArticleFactory(
            title_ru="Заседание Центральной избирательной комиссии", body_ru="<p>Итоги.</p>"
        ),
        "elka": ArticleFactory(title_ru="Новогодняя ёлка в Баку", body_ru="<p>Ёлку поставили.</p>"),
        "elka_plain": ArticleFactory(title_ru="Елка на площади", body_ru="<p>Праздник.</p>"),
    }
    return {"notes": notes, "synonyms": {k: a.pk for k, a in synonyms.items()}}


archive = module_archive(build)
pytestmark = pytest.mark.django_db


def found_ids(query, synonyms=None):
    outcome = engines.current().search(parse(query), per_page=500, synonyms=synonyms)
    return {int(hit.fields["django_id"]) for hit in outcome.hits}


@pytest.mark.parametrize(
    "kind, query, form", ALL_PAIRS, ids=[f"{k}:{q}->{f}" for k, q, f in ALL_PAIRS]
)
def test_a_word_form_finds_the_article_with_another_form(archive, kind, query, form):
    assert archive["notes"][form] in found_ids(query)


def test_the_set_is_large_and_varied():
    assert len(ALL_PAIRS) >= 60
    assert all(len(pairs) >= 5 for pairs in PAIRS.values())
    assert all(query.lower() != form.lower() for _k, query, form in ALL_PAIRS)


def test_the_stock_english_analyzer_fails_most_pairs():
    # haystack's Whoosh backend analyzes every text field with this; a query matches
    # when all its terms are in the document (haystack's AND).
    stock = StemmingAnalyzer()
    matched = [
        (query, form)
        for _k, query, form in ALL_PAIRS
        if {t.text for t in stock(query)} <= {t.text for t in stock(form)}
    ]
    assert len(matched) < len(ALL_PAIRS) * 0.1, matched


def test_the_three_forms_of_convention_find_the_same_articles(archive):
    results = [found_ids(q) for q in ("конвенция", "конвенцию", "конвенций")]
    assert results[0] == results[1] == results[2]
    assert {archive["notes"][f] for f in ("Конвенции", "конвенцией", "о конвенциях")} <= results[0]


def test_people_finds_person(archive):
    assert archive["notes"]["человек"] in found_ids("людей")
    assert archive["notes"]["люди"] in found_ids("человек")


def test_yo_and_ye_find_each_other(client, archive):
    both = {"Новогодняя ёлка в Баку", "Елка на площади"}
    assert both <= set(titles(client, "елка"))
    assert both <= set(titles(client, "ёлка"))
    assert both <= set(titles(client, "Ёлки"))


# --- synonyms and abbreviations ----------------------------------------------------------

UN_TITLES = {
    "Доклад ООН о детях",
    "Решение Организации Объединённых Наций",
    "A UN report",
    "BMT-nin hesabatı",
}


@pytest.mark.parametrize(
    "query",
    ["ООН", "Организация Объединённых Наций", "организации объединенных наций", "UN", "BMT"],
)
def test_un_and_its_names_in_three_languages_find_each_other(client, archive, query):
    assert UN_TITLES <= set(titles(client, query))


def test_synonyms_do_not_widen_a_plain_word(client, archive):
    # «Наций» alone is not the group's phrase: no ООН articles come with it.
    assert "Доклад ООН о детях" not in titles(client, "Наций")


@pytest.mark.parametrize("query", ["ИКТ", "информационно-коммуникационные технологии"])
def test_ict_and_its_expansion_find_each_other(client, archive, query):
    found = set(titles(client, query))
    assert {"Рынок ИКТ растёт", "Развитие информационно-коммуникационных технологий"} <= found


def test_the_seeded_groups_come_from_the_migration():
    groups = [set(g.term_list()) for g in SynonymGroup.objects.all()]
    assert {"ООН", "UN", "BMT", "Организация Объединённых Наций"} <= set().union(*groups)
    assert any({"ИКТ", "информационно-коммуникационные технологии"} <= g for g in groups)


def test_a_group_added_in_the_admin_works_without_reindex(client, editor_client, archive):
    assert titles(client, "ЦИК") == []
    response = editor_client.post(
        "/admin/search/synonymgroup/add/",
        {"terms": "ЦИК\nЦентральная избирательная комиссия\nMSK", "note": "election commission"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert titles(client, "ЦИК") == ["Заседание Центральной избирательной комиссии"]
    assert titles(client, "MSK") == ["Заседание Центральной избирательной комиссии"]

    SynonymGroup.objects.get(note="election commission").delete()
    assert titles(client, "ЦИК") == []


def test_the_synonym_list_is_cached_and_refreshed_on_change(django_assert_num_queries):
    synonym_map()
    with django_assert_num_queries(0):
        synonym_map()
    SynonymGroup.objects.create(terms="ВОЗ\nWHO")
    assert "WHO" in synonym_map()["воз"]


def test_nothing_is_indexed_but_published_articles(archive):
    assert Article.objects.count() == len(ALL_PAIRS) + len(archive["synonyms"])
