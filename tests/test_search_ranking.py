"""Relevance order on both engines: the headline and lead count more than the body, the
query as a phrase of the headline (or as the whole headline) comes first, words near
each other in the lead beat scattered ones, and of equal matches the fresher comes first
(search.ranking). Each test's distractors match the query more often in their bodies, so
plain BM25 over one text field would rank them first."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from search import engines, ranking
from search.query import parse

from . import search_support
from .factories import ArticleFactory
from .search_support import api, module_archive

fresh_state = search_support.fresh_state

LONG_AGO = timezone.now() - timedelta(days=900)
FILLER = "Текст сообщения о событиях недели в разных городах страны. "


def body(*sentences, filler=3):
    return "".join(f"<p>{s}</p>" for s in [*sentences, FILLER * filler])


def article(title, lead="Короткое сообщение.", text=FILLER, days_ago=30, **extra):
    return ArticleFactory(
        title_ru=title,
        lead_ru=lead,
        body_ru=text,
        published_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    ).pk


def build():
    ids = {
        "headline": article("Паводок в Гяндже", days_ago=40),
        "phrase": article("Принят итоговый проект соглашения о транзите", days_ago=40),
        "scattered": article(
            "Проект нового моста стал итоговым решением комиссии",
            text=body("Итоговый документ и проект бюджета обсудят позже."),
            days_ago=5,
        ),
        "exact": article("Мост через Куру открыт", days_ago=60),
        "longer": article(
            "Мост через Куру открыт для грузовиков после ремонта дорожного полотна",
            text=body("Мост через Куру открыт. Мост на Куре ждали водители.", filler=1),
            days_ago=2,
        ),
        # The same words, as often, in leads of the same length: only their distance
        # differs (and the scattered one is newer).
        "near": article(
            "Новости коммунальных служб",
            lead="Водоснабжение в Ленкорани восстановят к вечеру, сообщили в службе района.",
            days_ago=50,
        ),
        "far": article(
            "Новости коммунальных служб",
            lead="Водоснабжение восстановят к вечеру, сообщили в службе района Ленкорани.",
            days_ago=1,
        ),
        # No article holds every word of «блогер извинился драка стадион Сураханы»: the
        # one holding most of them in its headline beats the one repeating two.
        "most_words": article("Блогер извинился за драку на стадионе", days_ago=20),
        "two_words": article(
            "Драка на стадионе: стадион закрыли после драки",
            lead="Драка на стадионе, драка у стадиона и снова драка.",
            days_ago=2,
        ),
        "older_twin": article("Фестиваль граната в Гейчае", days_ago=400),
        "newer_twin": article("Фестиваль граната в Гейчае", days_ago=3),
        "strong_old": article("Выставка ковров в Шуше открылась", days_ago=700),
        "weak_new": article(
            "Новости культуры",
            text=body("Выставка прошла в музее. Ковры привезли из разных сёл."),
            days_ago=1,
        ),
    }
    # Distractors: the words of the queries, many times, in the body only.
    for n in range(4):
        article(
            f"Обзор событий номер {n + 1}",
            text=body(
                "Паводок в Гяндже и паводок в районе: паводок, паводок, Гянджа, Гянджа.",
                "Итоговый проект, проект итоговый, проект и ещё проект: итоговый.",
            ),
            days_ago=n + 1,
        )
    for n in range(8):  # «блогер» and «извинился» are common, «драка» and «стадион» rare
        article(f"Блогер извинился перед подписчиками, выпуск {n + 1}", days_ago=n + 3)
    return ids


archive = module_archive(build)


def ranked_ids(client, q, **params):
    return [r["id"] for r in api(client, q=q, **params)["results"]]


@pytest.mark.django_db
def test_a_headline_match_beats_the_same_words_repeated_in_bodies(archive, client):
    assert ranked_ids(client, "паводок Гянджа")[0] == archive["headline"]


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["итоговый проект", '"итоговый проект"', "итогового проекта"])
def test_the_query_as_a_phrase_of_the_headline_comes_first(archive, client, q):
    ids = ranked_ids(client, q)
    assert ids[0] == archive["phrase"]
    # The headline with both words apart still beats the bodies that repeat them.
    if not q.startswith('"'):
        assert ids[1] == archive["scattered"]


@pytest.mark.django_db
def test_the_article_whose_headline_is_the_query_comes_first(archive, client):
    # The longer headline holds the same phrase, is newer and repeats it in its body.
    ids = ranked_ids(client, "мост через Куру открыт")
    assert ids[:2] == [archive["exact"], archive["longer"]]


@pytest.mark.django_db
def test_words_near_each_other_in_the_lead_beat_scattered_ones(archive, client):
    ids = ranked_ids(client, "водоснабжение Ленкорань")
    assert ids[:2] == [archive["near"], archive["far"]]


@pytest.mark.django_db
def test_when_no_article_holds_every_word_the_one_holding_most_comes_first(archive, client):
    answer = api(client, q="блогер извинился драка стадион Сураханы")
    assert answer["match"] == "any"
    assert [r["id"] for r in answer["results"]][:2] == [archive["most_words"], archive["two_words"]]


@pytest.mark.django_db
def test_of_equal_matches_the_fresher_comes_first(archive, client):
    ids = ranked_ids(client, "фестиваль граната")
    assert ids[:2] == [archive["newer_twin"], archive["older_twin"]]


@pytest.mark.django_db
def test_freshness_never_outweighs_a_better_match(archive, client):
    ids = ranked_ids(client, "выставка ковров")
    assert ids[:2] == [archive["strong_old"], archive["weak_new"]]


@pytest.mark.django_db
def test_sorting_by_date_is_not_reordered(archive, client):
    results = api(client, q="мост Кура", sort="date")["results"]
    assert [r["id"] for r in results] == [archive["longer"], archive["exact"]]


def test_query_positions_follow_the_analysis():
    # Stop words leave no position; an OR group is one position of its alternatives.
    positions = ranking.query_positions(parse("конвенции и резолюции"), "ru")
    assert positions == [frozenset({"конвенция"}), frozenset({"резолюция"})]
    [either] = ranking.query_positions(parse("паводок OR наводнение"), "ru")
    assert either == {"паводок", "наводнение"}
    assert ranking.query_positions(parse("кибер*"), "ru") == []


# --- paging through the reordered window and past it --------------------------------


def many():
    # Seventy articles with the word, in titles of different lengths and dates, so the
    # reordering moves hits within the window (RERANK_WINDOW) and the engine orders the rest.
    for n in range(70):
        words = " ".join(["событие"] * (n % 5))
        article(f"Лесной пожар {words} номер {n}", days_ago=n % 17)


paging_archive = module_archive(many)


@pytest.mark.django_db
def test_pages_through_the_window_and_past_it_show_every_hit_once(paging_archive, client):
    assert ranking.RERANK_WINDOW % 20 == 0 and ranking.RERANK_WINDOW < 70
    pages = [ranked_ids(client, "пожар", page=n) for n in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [20, 20, 20, 10]
    seen = [pk for page in pages for pk in page]
    assert len(set(seen)) == 70


@pytest.mark.django_db
def test_the_window_is_reordered_and_the_rest_is_the_engines_order(paging_archive, client):
    window = ranking.RERANK_WINDOW
    engine = engines.current().search(parse("пожар"), page=1, per_page=70)
    engine_ids = [int(h.fields["django_id"]) for h in engine.hits]
    pages = [pk for n in (1, 2, 3, 4) for pk in ranked_ids(client, "пожар", page=n)]
    assert set(pages[:window]) == set(engine_ids[:window])
    assert pages[window:] == engine_ids[window:]


@pytest.mark.django_db
def test_rebuilding_keeps_the_order(paging_archive, client):
    before = [ranked_ids(client, "лесной пожар", page=n) for n in (1, 2)]
    call_command("rebuild_index", interactive=False, verbosity=0)
    engines.current().close_readers()
    assert [ranked_ids(client, "лесной пожар", page=n) for n in (1, 2)] == before
