"""The index follows the database, after commit: saves, unpublishing, deletes, tag
changes, scheduled articles going live, rollbacks; on both engines. And a missing index
is a 503 with a message, not a 500 (the cluster's: test_opensearch). Transactional:
these tests need real commits."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from haystack import connections

from archive.models import Article, Tag
from search import indexing
from search.engines.whoosh import searching as engine
from search.models import IndexEvent, PendingUpdate

from . import search_support
from .factories import ArticleFactory, TagFactory
from .pages_support import parse_html
from .search_support import api

fresh_state = search_support.fresh_state
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def index(engine_index):
    """Each test runs on both engines (conftest), except those marked whoosh_only."""
    yield engine_index
    engine.searchers.reset()


def found(client, q="", **params):
    return [r["title"] for r in api(client, q=q, **params)["results"]]


def test_a_saved_article_is_searchable_at_once(client):
    ArticleFactory(title_ru="Конвенция принята")
    assert found(client, "конвенцию") == ["Конвенция принята"]


def test_an_edit_replaces_the_old_text(client):
    article = ArticleFactory(title_ru="Конвенция принята")
    assert found(client, "конвенция") == ["Конвенция принята"]
    article.title_ru = "Договор подписан"
    article.save()
    assert found(client, "конвенция") == []
    assert found(client, "договор") == ["Договор подписан"]


def test_unpublishing_and_deleting_remove_the_article(client):
    first = ArticleFactory(title_ru="Конвенция первая")
    second = ArticleFactory(title_ru="Конвенция вторая")
    assert len(found(client, "конвенция")) == 2
    first.status = Article.Status.DRAFT
    first.save()
    assert found(client, "конвенция") == ["Конвенция вторая"]
    second.delete()
    assert found(client, "конвенция") == []
    first.status = Article.Status.PUBLISHED
    first.save()
    assert found(client, "конвенция") == ["Конвенция первая"]


def test_drafts_and_scheduled_articles_are_never_found(client, monkeypatch):
    ArticleFactory(title_ru="Конвенция черновик", status=Article.Status.DRAFT)
    ArticleFactory(title_ru="Конвенция завтра", published_at=timezone.now() + timedelta(days=1))
    assert found(client, "конвенция") == []
    assert found(client, rubric=Article.objects.first().rubric.slug) == []
    assert client.get("/api/suggest/", {"q": "конв"}).json()["suggestions"] == []
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert found(client, "конвенция") == []

    # The scheduled one goes live when its time comes, with no save to tell the index.
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert found(client, "конвенция") == ["Конвенция завтра"]


def test_tag_changes_reach_the_tag_filters(client):
    article = ArticleFactory(title_ru="Саммит в Баку")
    person = TagFactory(name_ru="Гасан Мансуров", slug="gasan-mansurov", kind=Tag.Kind.PERSON)
    place = TagFactory(name_ru="Баку", slug="baku", kind=Tag.Kind.PLACE)
    assert found(client, person="gasan-mansurov") == []

    article.tags.add(person)
    assert found(client, person="gasan-mansurov") == ["Саммит в Баку"]
    assert found(client, tag="gasan-mansurov") == ["Саммит в Баку"]
    assert found(client, "Мансуров") == ["Саммит в Баку"]  # tag names are searchable text

    place.articles.add(article)  # from the other side of the relation
    assert found(client, place="baku") == ["Саммит в Баку"]

    article.tags.remove(person)
    assert found(client, person="gasan-mansurov") == []
    article.tags.clear()
    assert found(client, place="baku") == []


def test_renaming_a_tag_updates_its_articles(client):
    tag = TagFactory(name_ru="Генассамблея")
    ArticleFactory(title_ru="Заседание", tags=[tag])
    assert found(client, "Генассамблея") == ["Заседание"]
    tag.name_ru = "Генеральная Ассамблея"
    tag.save()
    assert found(client, "ассамблея") == ["Заседание"]
    assert found(client, "Генассамблея") == []


def generation():
    return connections["default"].get_backend().index.latest_generation()


@pytest.mark.whoosh_only
def test_one_transaction_is_one_index_commit(client):
    before = generation()
    with transaction.atomic():
        tag = TagFactory(name_ru="Баку", kind=Tag.Kind.PLACE)
        for n in range(5):
            ArticleFactory(title_ru=f"Конвенция номер {n}", tags=[tag])
        ArticleFactory(title_ru="Черновик конвенции", status=Article.Status.DRAFT)
    assert generation() == before + 1
    assert len(found(client, "конвенция")) == 5
    assert len(found(client, place="baku")) == 5


def test_deleting_a_tag_takes_it_out_of_the_index(client):
    tag = TagFactory(name_ru="Гянджа", kind=Tag.Kind.PLACE)
    ArticleFactory(title_ru="Праздник", tags=[tag])
    assert found(client, place=tag.slug) == ["Праздник"]
    assert found(client, "Гянджа") == ["Праздник"]
    tag.delete()
    assert found(client, place=tag.slug) == []
    assert found(client, "Гянджа") == []
    assert found(client, "праздник") == ["Праздник"]


@pytest.mark.whoosh_only
def test_a_label_change_the_index_does_not_hold_writes_nothing(client):
    article = ArticleFactory(title_ru="Конвенция")
    before = generation()
    article.rubric.position = 5  # menus only; the index keeps the rubric's slug
    article.rubric.save()
    assert generation() == before
    article.rubric.slug = "ikt"
    article.rubric.save()
    assert generation() == before + 1
    assert found(client, rubric="ikt") == ["Конвенция"]


def test_a_rolled_back_transaction_leaves_no_phantom(client):
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(title_ru="Конвенция-призрак")
        raise RuntimeError("the editor's save failed")
    assert Article.objects.count() == 0
    assert found(client, "конвенция") == []
    assert found(client, "призрак") == []


def test_an_index_error_after_commit_never_fails_the_save(client, monkeypatch, caplog):
    backend = connections["default"].get_backend()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(backend), "apply", broken)
    article = ArticleFactory(title_ru="Конвенция")
    assert Article.objects.filter(pk=article.pk).exists()
    assert "search index write of 1 articles failed, queued for retry" in caplog.text
    row = PendingUpdate.objects.get(article_id=article.pk)
    assert row.attempts == 1 and "disk full" in row.last_error
    assert IndexEvent.objects.filter(kind="error", message__contains="disk full").exists()

    monkeypatch.undo()  # the disk has room again: the queue is written, then emptied
    PendingUpdate.objects.update(next_try_at=None)
    assert indexing.drain() == (1, 0)
    assert found(client, "конвенция") == ["Конвенция"]
    assert not PendingUpdate.objects.exists()


def test_a_rebuild_is_seen_by_a_searcher_left_open(client):
    ArticleFactory(title_ru="Конвенция первая")
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert len(found(client, "конвенция")) == 1  # the searcher is open now
    Article.objects.update(title_ru="Конвенция без сигнала")  # no signals: only a rebuild
    ArticleFactory(title_ru="Конвенция вторая")
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert sorted(found(client, "конвенция")) == ["Конвенция без сигнала", "Конвенция вторая"]


# --- a missing index ---------------------------------------------------------------------


@pytest.fixture
def missing_index(settings, tmp_path):
    settings.HAYSTACK_CONNECTIONS = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(tmp_path / "gone")}
    }
    connections.reload("default")
    engine.searchers.reset()
    yield
    connections.reload("default")


@pytest.mark.whoosh_only
def test_a_missing_index_is_a_503_page_with_a_message(client, missing_index):
    TagFactory(name_ru="Гасан Мансуров")
    response = client.get("/search/", {"q": "конвенция"})
    assert response.status_code == 503
    parse_html(response)  # a whole page, strictly valid
    html = response.content.decode()
    assert "Поиск временно недоступен" in html
    assert 'value="конвенция"' in html  # the reader's words stay in the box

    response = client.get("/api/search/", {"q": "конвенция"})
    assert response.status_code == 503
    assert response.json() == {
        "error": "Поиск временно недоступен. Попробуйте ещё раз через минуту."
    }

    # Suggestions still come from the database; the search feed says it is unavailable
    # (an empty feed would be cached and tell subscribers that nothing matches).
    suggestions = client.get("/api/suggest/", {"q": "ман"}).json()["suggestions"]
    assert [s["label"] for s in suggestions] == ["Гасан Мансуров"]
    feed = client.get("/search/feed/", {"q": "конвенция"})
    assert (feed.status_code, feed["Retry-After"]) == (503, "60")
    assert "Поиск временно недоступен" in feed.content.decode()
    assert (
        client.get("/en/search/", {"q": "x"}).content.decode().count("temporarily unavailable") == 1
    )


@pytest.mark.whoosh_only
def test_a_commit_between_finding_and_opening_the_index_is_not_an_outage(client, monkeypatch):
    # The load test caught it: a reader's process found _MAIN_45.toc as the newest table
    # of contents, an editor's commit wrote _MAIN_46.toc and deleted 45, and the open
    # failed with FileNotFoundError: a 503 for nothing. Here a real commit lands in
    # exactly that gap, once.
    from whoosh.index import TOC

    ArticleFactory(title_ru="Конвенция о данных")
    engine.searchers.reset()
    latest = TOC._latest_generation
    raced = []

    def latest_then_a_commit(storage, indexname):
        found = latest(storage, indexname)
        if not raced:
            raced.append(found)
            ArticleFactory(title_ru="Конвенция о сетях")  # commits a new generation
        return found

    monkeypatch.setattr(TOC, "_latest_generation", staticmethod(latest_then_a_commit))
    assert sorted(found(client, "конвенция")) == ["Конвенция о данных", "Конвенция о сетях"]
    assert raced and generation() > raced[0]
