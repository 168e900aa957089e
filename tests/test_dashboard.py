"""The admin home's dashboard (archive/dashboard.py, templates/admin/index.html): the
editor's drafts, scheduled and recent articles, translation gaps computed in SQL (checked
against Article.translation_state), the search index line, in a bounded number of queries."""

import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from archive.dashboard import desk, translation_gaps
from archive.models import Article
from search import engines
from search.engines.whoosh import searching
from search.messages import in_language
from search.models import PendingUpdate
from search.status_line import index_line

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)


@pytest.fixture(autouse=True)
def index(search_index):
    yield search_index
    searching.searchers.reset()


def home(client, **headers):
    response = client.get("/admin/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def section(html, block_id):
    start = html.index(f'id="{block_id}"')
    return html[start : html.index("</section>", start)]


def test_my_drafts_newest_first_ten_and_only_mine(editor_client, editor, django_user_model):
    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    mine = []
    for n in range(12):
        mine.append(ArticleFactory(title_ru=f"Мой черновик {n}", status="draft", created_by=editor))
    ArticleFactory(title_ru="Черновик коллеги", status="draft", created_by=colleague)
    ArticleFactory(title_ru="Моя опубликованная", created_by=editor)
    # Edited last, so it comes first although it was made first.
    mine[0].lead_ru = "Поправка"
    mine[0].save()
    drafts = section(home(editor_client), "desk-drafts")
    shown = [f"Мой черновик {n}" for n in [0, 11, 10, 9, 8, 7, 6, 5, 4, 3]]
    positions = [drafts.index(f">{title}<") for title in shown]
    assert positions == sorted(positions)
    assert "Мой черновик 2<" not in drafts and "Мой черновик 1<" not in drafts
    assert "Черновик коллеги" not in drafts and "Моя опубликованная" not in drafts
    assert f'href="/admin/archive/article/{mine[0].pk}/change/"' in drafts
    assert f'href="/preview/{mine[0].pk}/"' in drafts
    all_mine = editor_client.get(
        f"/admin/archive/article/?status__exact=draft&created_by__exact={editor.pk}"
    )
    assert all_mine.context["cl"].result_count == 12


def test_scheduled_soonest_first_and_recently_published(editor_client):
    now = timezone.now()
    ArticleFactory(title_ru="Через сутки", published_at=now + 24 * HOUR)
    ArticleFactory(title_ru="Через час", published_at=now + HOUR)
    ArticleFactory(title_ru="Черновик на завтра", status="draft", published_at=now + 24 * HOUR)
    for n in range(12):
        ArticleFactory(title_ru=f"Вышла {n}", published_at=now - (n + 1) * HOUR)
    html = home(editor_client)
    scheduled = section(html, "desk-scheduled")
    assert scheduled.index("Через час") < scheduled.index("Через сутки")
    assert "Черновик на завтра" not in scheduled and "Вышла" not in scheduled
    published = section(html, "desk-published")
    assert [n for n in range(12) if f">Вышла {n}<" in published] == list(range(10))
    assert published.index("Вышла 0<") < published.index("Вышла 9<")
    assert "Через час" not in published


def test_a_time_of_day_is_shown_only_when_the_source_gave_one(editor_client):
    """On the dashboard and in the article list: the seed's noon is no time to read."""
    baku = timezone.get_default_timezone()
    ArticleFactory(title_ru="С часом", published_at=datetime(2024, 8, 9, 14, 20, tzinfo=baku))
    ArticleFactory(
        title_ru="Без часа", published_at=datetime(2024, 8, 8, 12, tzinfo=baku), time_known=False
    )
    published = section(home(editor_client), "desk-published")
    assert re.search(
        r"С часом</a>\s*<span class=\"desk-when\"><time [^>]*>09\.08\.2024 14:20<", published
    )
    assert re.search(
        r"Без часа</a>\s*<span class=\"desk-when\"><time [^>]*>08\.08\.2024<", published
    )
    listing = editor_client.get("/admin/archive/article/", HTTP_ACCEPT_LANGUAGE="ru")
    shown = re.findall(
        r'<time datetime="[^"]*" title="[^"]*">([^<]*)</time>', listing.content.decode()
    )
    assert sorted(shown) == ["08.08.2024", "09.08.2024 14:20"]


def test_translation_counts_agree_with_translation_state_and_link_to_the_list(editor_client):
    now = timezone.now()
    current = ArticleFactory(title_ru="Все переводы", title_az="Bütün", title_en="All")
    newer_russian = ArticleFactory(title_ru="Русский новее", title_az="Rus", title_en="Russian")
    newer_russian.body_ru = "<p>Новая редакция.</p>"
    newer_russian.save()
    ArticleFactory(title_ru="Без перевода", title_az="", title_en="")
    unstamped = ArticleFactory(title_ru="Без отметки", title_az="Qeydsiz", title_en="Unstamped")
    Article.objects.filter(pk=unstamped.pk).update(text_edited={"ru": now.isoformat()})
    ArticleFactory(title_ru="Запланирована", title_en="Scheduled", published_at=now + HOUR)
    ArticleFactory(title_ru="Черновик без перевода", status="draft")
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    expected = {
        code: {
            state: {a.pk for a in published if a.translation_state(code) == state}
            for state in ("missing", "outdated")
        }
        for code in ("az", "en")
    }
    # The oracle itself: what the articles above were made to be.
    assert expected["az"]["missing"] == {
        a.pk for a in published if a.title_ru in ("Без перевода", "Запланирована")
    }
    assert expected["az"]["outdated"] == {newer_russian.pk, unstamped.pk}
    assert len(expected["en"]["missing"]) == 1 and current.pk not in expected["en"]["outdated"]
    rows = {row.code: row for row in translation_gaps()}
    for code in ("az", "en"):
        assert rows[code].missing == len(expected[code]["missing"])
        assert rows[code].outdated == len(expected[code]["outdated"])
        for state in ("missing", "outdated"):
            url = getattr(rows[code], f"{state}_url")
            listed = editor_client.get(url).context["cl"].result_list
            assert {a.pk for a in listed} == expected[code][state], (code, state)
    table = section(home(editor_client), "desk-translations")
    assert f'href="{rows["az"].outdated_url.replace("&", "&amp;")}">2</a>' in table


def test_translation_counts_follow_an_edit_though_cached(editor_client):
    article = ArticleFactory(title_ru="Статья", title_az="Məqalə", title_en="Article")
    assert [r.outdated for r in translation_gaps()] == [0, 0]
    article.title_ru = "Статья, исправленная"
    article.save()
    assert [r.outdated for r in translation_gaps()] == [1, 1]


def test_the_throttling_logs_come_after_the_dashboard_and_the_archive(editor_client):
    html = home(editor_client)
    assert "app-axes" in html
    assert html.index('id="desk"') < html.index("app-archive") < html.index("app-axes")
    assert 'id="recent-actions-module"' in html  # Django's sidebar stays


def test_russian_first_then_azerbaijani_and_english(editor_client, editor):
    ArticleFactory(title_ru="Черновик", status="draft")
    html = home(editor_client)
    for text in ("Мои черновики", "Запланированные", "Недавно опубликованные", "Индекс поиска:"):
        assert text in html
    # /admin/ is outside i18n_patterns, so Django serves it in the default language;
    # the blocks themselves, rendered in Azerbaijani and English:
    request = RequestFactory().get("/admin/")
    request.user = editor
    context = {"desk": desk(editor), "request": request}
    for code, texts in {
        "az": ("Qaralamalarım", "Planlaşdırılanlar", "Son dərc olunanlar", "Axtarış indeksi:"),
        "en": ("My drafts", "Scheduled", "Recently published", "Search index:"),
    }.items():
        with translation.override(code):
            html = render_to_string("admin/desk/dashboard.html", context)
        for text in texts:
            assert text in html, (code, text)


def test_an_editor_without_article_rights_sees_no_dashboard(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    html = home(client)
    assert 'id="desk"' not in html


def queries_of_home(client):
    with CaptureQueriesContext(connection) as queries:
        home(client)
    return len(queries)


def test_queries_are_bounded_whatever_the_number_of_articles(
    editor_client, editor, django_assert_max_num_queries
):
    for n in range(3):
        ArticleFactory(status="draft", created_by=editor)
        ArticleFactory(published_at=timezone.now() + (n + 1) * HOUR)
    # Right after a save: session, user, the three lists, the next publication time
    # (archive.cache), the translation counts, the index line's two, the admin log.
    with django_assert_max_num_queries(10):
        home(editor_client)
    few = queries_of_home(editor_client)
    for n in range(25):
        ArticleFactory(status="draft", created_by=editor, title_az="")
        ArticleFactory(published_at=timezone.now() + (n + 1) * HOUR)
        ArticleFactory()
    with django_assert_max_num_queries(10):
        home(editor_client)
    many = queries_of_home(editor_client)
    # Every other load: the same, without the two that the cache answers.
    assert many == few <= 8


def test_index_line_says_what_is_queued_and_what_differs(editor_client):
    article = ArticleFactory(title_ru="Ещё не в индексе")
    # The rolled-back test transaction never commits: the write stays queued.
    assert PendingUpdate.objects.filter(article_id=article.pk).exists()
    line = index_line()
    assert (line.documents, line.expected, line.pending, line.state) == (0, 1, 1, "pending")
    assert "изменение ждёт записи (поставлено в очередь" in section_line(home(editor_client))
    PendingUpdate.objects.all().delete()
    assert index_line().state == "differs"
    assert "сверьте индекс" in section_line(home(editor_client))
    Article.objects.update(status=Article.Status.DRAFT)
    line = index_line()
    assert (line.documents, line.expected, line.state) == (0, 0, "matches")
    assert "совпадает с базой" in section_line(home(editor_client))


def test_index_line_when_the_index_is_missing(editor_client, settings, tmp_path):
    settings.HAYSTACK_CONNECTIONS = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": str(tmp_path / "none")}
    }
    from haystack import connections

    connections.reload("default")
    searching.searchers.reset()
    line = index_line()
    assert line.state == "unavailable" and "no search index" in line.error
    text = section_line(home(editor_client))
    assert "недоступен" in text and "manage.py check_index --repair" in text


def test_index_line_when_the_index_cannot_be_read(editor_client, index):
    """A broken table of contents: the line names the fault in the editor's language, with
    the library's own words in brackets for whoever repairs it."""
    ArticleFactory(title_ru="Статья перед поломкой")
    live = os.path.realpath(index.path)
    for toc in Path(live).glob("*.toc"):
        toc.write_bytes(b"not a table of contents")
    searching.searchers.reset()
    line = index_line()
    assert line.state == "unavailable"
    assert line.error.startswith("the index cannot be read (") and line.error.endswith(")")
    text = section_line(home(editor_client))
    assert "Индекс не читается (" in text, text
    with translation.override("az"):
        assert in_language(line.error).startswith("İndeks oxunmur (")


def section_line(html):
    start = html.index('id="desk-index"')
    return html[start : html.index("</p>", start)]


@pytest.mark.django_db(transaction=True)
def test_index_line_after_a_real_commit(editor_client):
    ArticleFactory(title_ru="Уже в индексе")  # committed: the index writes it at once
    line = index_line()
    assert (line.documents, line.expected, line.pending, line.state) == (1, 1, 0, "matches")
    assert abs(timezone.now() - line.updated_at) < timezone.timedelta(minutes=1)
    text = section_line(home(editor_client))
    assert "1 статья, совпадает с базой, обновлён" in text


# On Whoosh only here: the OpenSearch half would start the three-node test cluster.
@pytest.mark.whoosh_only
def test_glance_counts_what_the_engine_holds(engine_index):
    engine = engines.current()
    assert engine.glance().documents == 0
    articles = [ArticleFactory() for _ in range(3)]
    engine.write([a.pk for a in articles], lock_wait=5)
    glance = engine.glance()
    assert glance.documents == 3
    assert abs(timezone.now().timestamp() - glance.updated_at) < 60


def test_titles_are_escaped(editor_client, editor):
    ArticleFactory(title_ru='<script>alert("x")</script>', status="draft", created_by=editor)
    drafts = section(home(editor_client), "desk-drafts")
    assert "<script>" not in drafts and "&lt;script&gt;alert(&quot;x&quot;)" in drafts
