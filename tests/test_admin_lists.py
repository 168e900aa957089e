"""The article list scales: its filters by tag and source are one autocomplete input
each, not a link per tag; filtering across tags keeps each article once without
SELECT DISTINCT; the date drill-down and the whole page take a number of queries that
does not grow with the articles or tags."""

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from archive.models import Article, Tag

from .admin_lists_support import make_tags, newsroom
from .factories import ArticleFactory, RubricFactory, SourceFactory, TagFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:archive_article_changelist"


def changelist(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200, response.content[:500]
    return response


def sidebar(html):
    return html[html.index('id="changelist-filter"') :]


def filter_block(html, parameter):
    """The <details> of the sidebar filter whose input sets `parameter`."""
    for block in re.findall(r"<details.*?</details>", sidebar(html), re.S):
        if f'name="{parameter}"' in block:
            return block
    raise AssertionError(f"no filter for {parameter}")


def shown(response):
    return {a.title_ru for a in response.context["cl"].result_list}


@pytest.fixture
def person(db):
    return Tag.objects.create(name_ru="Гасан Мансуров", kind=Tag.Kind.PERSON)


def test_the_page_does_not_grow_with_the_tags(editor_client):
    newsroom(articles=12, tags=20, tags_per_article=3)
    before = changelist(editor_client).content.decode()
    make_tags(2000, prefix="Ещё")
    after = changelist(editor_client).content.decode()
    assert "Ещё 0001" not in after and "Тема 0001" not in after
    # Same page, byte for byte but the CSRF token (same length): no list of tags.
    assert len(after) == len(before)
    for parameter in ("tags__id__exact", "source__id__exact"):
        block = filter_block(after, parameter)
        assert re.findall(r"<option[^>]*>", block) == ['<option value="">']
        assert len(re.findall(r"<li", block)) == 2  # "All" and "none"
    assert "/static/archive/admin/autocomplete_filter.js" in after
    assert "/static/admin/js/vendor/select2/select2.full.min.js" in after
    assert "/static/admin/js/vendor/select2/i18n/ru.js" in after


def test_choosing_a_tag_lists_its_articles_and_names_it(editor_client, person):
    articles = newsroom(articles=6, tags=10, tags_per_article=2)
    for article in articles[:2]:
        article.tags.add(person)
    response = changelist(editor_client, tags__id__exact=person.pk, status__exact="published")
    assert shown(response) == {a.title_ru for a in articles[:2] if a.status == "published"}
    block = filter_block(response.content.decode(), "tags__id__exact")
    assert f'<option value="{person.pk}" selected>Гасан Мансуров</option>' in block
    assert re.search(r'<li class="selected">\s*<a href="[^"]*">Гасан Мансуров</a>', block)
    # "All" drops the tag and keeps the other filters; the script adds a choice to it.
    all_link = re.search(r'<li>\s*<a href="([^"]*)">Все</a>', block).group(1)
    assert all_link == "?status__exact=published"
    assert f'data-filter-base="{all_link}"' in block
    assert 'data-filter-parameter="tags__id__exact"' in block
    assert 'data-field-name="tags"' in block and 'data-model-name="article"' in block


def test_choosing_a_source_or_none(editor_client):
    articles = newsroom(articles=6, tags=4, tags_per_article=1)
    source = articles[0].source
    response = changelist(editor_client, source__id__exact=source.pk)
    assert shown(response) == {a.title_ru for a in articles if a.source == source}
    assert (
        f'<option value="{source.pk}" selected>{source.name}</option>' in response.content.decode()
    )

    bare = ArticleFactory(title_ru="Без источника и тегов", source=None, rubric=articles[0].rubric)
    assert shown(changelist(editor_client, source__isnull="True")) == {bare.title_ru}
    assert shown(changelist(editor_client, tags__isnull="True")) == {bare.title_ru}


def test_an_article_with_two_tags_of_a_kind_is_listed_once(editor_client, person):
    other = TagFactory(name_ru="Орхан Абдулкеримли", kind=Tag.Kind.PERSON)
    place = TagFactory(name_ru="Нью-Йорк", kind=Tag.Kind.PLACE)
    both = ArticleFactory(title_ru="Двое", tags=[person, other])
    ArticleFactory(title_ru="Место", tags=[place])
    response = changelist(editor_client, tags__kind="person")
    assert [a.title_ru for a in response.context["cl"].result_list] == ["Двое"]
    assert response.context["cl"].result_count == 1
    assert response.context["cl"].queryset.query.distinct is False
    # The kind's filter is titled for what it filters, its choices in Russian.
    block = re.search(
        r"<details[^>]*>\s*<summary>\s*Вид тега.*?</details>", response.content.decode(), re.S
    )
    assert block and "персона" in block.group(0)
    # Facets count each article once too.
    response = changelist(editor_client, tags__id__exact=person.pk, _facets="True")
    assert "Гасан Мансуров (1)" in response.content.decode()
    assert both in response.context["cl"].result_list


def test_a_malformed_or_unknown_id(editor_client):
    newsroom(articles=3, tags=3, tags_per_article=1)
    response = editor_client.get(reverse(CHANGELIST), {"tags__id__exact": "abc"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    response = changelist(editor_client, tags__id__exact=999999)
    assert shown(response) == set()
    block = filter_block(response.content.decode(), "tags__id__exact")
    assert re.findall(r"<option[^>]*>", block) == ['<option value="">']
    assert 'class="selected"' not in block


def test_lower_case_finds_a_cyrillic_tag(editor_client, person):
    endpoint = reverse("admin:autocomplete")
    for term in ("мансур", "Мансур", "гасан ман", "МАНСУРОВ", "mansur"):  # the last: slug
        found = editor_client.get(
            endpoint,
            {"app_label": "archive", "model_name": "article", "field_name": "tags", "term": term},
        ).json()["results"]
        assert [r["text"] for r in found] == ["Гасан Мансуров"], term
    # The tag list's own search too.
    response = editor_client.get(reverse("admin:archive_tag_changelist"), {"q": "мансуров"})
    assert [t.name_ru for t in response.context["cl"].result_list] == ["Гасан Мансуров"]


def test_columns_title_room_and_tooltips(editor_client):
    rubric, source = RubricFactory(name_ru="Политика"), SourceFactory(name="АПА")
    title = "Генеральная Ассамблея ООН " * 8
    now = timezone.now()
    ArticleFactory(title_ru=title.strip(), rubric=rubric, source=source, has_video=True)
    ArticleFactory(title_ru="Черновик", status=Article.Status.DRAFT, rubric=rubric, source=source)
    ArticleFactory(
        title_ru="Завтра", published_at=now + timedelta(days=1), rubric=rubric, source=None
    )
    html = changelist(editor_client).content.decode()
    headers = re.findall(r'<th scope="col" class="([^"]*)"', html)
    assert [h.split()[0] for h in headers] == ["action-checkbox-column", "sortable", "sortable"]
    assert '<span class="article-title" title="{0}">{0}</span>'.format(title.strip()) in html
    meta = (
        '<span class="article-rubric">Политика</span> <span class="article-source">АПА</span>'
        ' <span class="article-video">видео</span>'
    )
    assert f'<span class="article-meta">{meta}</span>' in html
    assert '<span class="article-state article-state-draft">черновик</span>' in html
    assert '<span class="article-state article-state-scheduled">запланирована</span>' in html
    assert re.search(r'<time datetime="[^"]+" title="Изменена \d\d\.\d\d\.\d{4} \d\d:\d\d">', html)
    # The translation marks (TranslationTabsMixin) under the date, not a third column.
    assert re.search(
        r"</time><span class=\"translation-state translation-state-missing\">AZ: ", html
    )
    assert "/static/archive/admin/article_list.css" in html


def _local(*args):
    return timezone.make_aware(datetime(*args))


def test_date_drill_down_shows_only_periods_with_articles(editor_client):
    for moment in (
        _local(2023, 5, 1, 12),
        _local(2025, 2, 28, 9),
        _local(2025, 2, 3, 23, 30),
        _local(2025, 11, 1, 0, 10),
    ):
        ArticleFactory(published_at=moment)

    def toplinks(**params):
        html = changelist(editor_client, **params).content.decode()
        nav = re.search(r'<nav class="toplinks">(.*?)</nav>', html, re.S)
        texts = re.sub(r"<[^>]+>", "\n", nav.group(1)).split("\n") if nav else []
        return [unescape(t).strip() for t in texts]

    assert [t for t in toplinks() if t] == ["2023", "2025"]
    assert [t for t in toplinks(published_at__year=2025) if t] == [
        "‹ Все даты",
        "Февраль 2025 г.",
        "Ноябрь 2025 г.",
    ]
    assert [t for t in toplinks(published_at__year=2025, published_at__month=2) if t] == [
        "‹ 2025",
        "3 февраля",
        "28 февраля",
    ]
    assert [
        t
        for t in toplinks(published_at__year=2025, published_at__month=2, published_at__day=3)
        if t
    ] == [
        "‹ Февраль 2025 г.",
        "3 февраля",
    ]
    bad = editor_client.get(
        reverse(CHANGELIST), {"published_at__year": 2025, "published_at__month": 13}
    )
    assert bad.status_code == 302 and bad["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    "params",
    [{}, {"tag": True}, {"tags__kind": "person"}, {"source": True}, {"q": "выпуск"}],
    ids=["plain", "tag", "tag-kind", "source", "search"],
)
def test_queries_do_not_grow_with_articles_or_tags(
    editor_client, django_assert_max_num_queries, params
):
    def newsroom_query(articles, tags):
        # Every article on the same two days: the date drill-down asks one query per
        # day it shows (at most 31), and that is the same for 8 articles and for 60.
        day, step = _local(2025, 6, 15, 12), timedelta(minutes=5)
        made = newsroom(articles=articles, tags=tags, tags_per_article=6, now=day, step=step)
        query = {k: v for k, v in params.items() if k not in ("tag", "source")}
        if "tag" in params:
            query["tags__id__exact"] = made[0].tags.first().pk
        if "source" in params:
            query["source__id__exact"] = made[0].source_id
        return query

    query = newsroom_query(articles=8, tags=20)
    with CaptureQueriesContext(connection) as small:
        changelist(editor_client, **query)
    Article.objects.all().delete()
    Tag.objects.all().delete()

    query = newsroom_query(articles=60, tags=600)
    # session, user, rubrics, the tag or source chosen, two counts, the page, its
    # rubrics and its sources, the first and last dates, one per day shown and one more
    with django_assert_max_num_queries(14):
        with CaptureQueriesContext(connection) as large:
            response = changelist(editor_client, **query)
    assert len(large) == len(small)
    assert response.context["cl"].result_count >= 1


def test_benchmark_admin_lists_prints_its_figures(django_user_model):
    from io import StringIO

    from django.core.management import call_command

    newsroom(articles=5, tags=10, tags_per_article=2)
    out = StringIO()
    call_command("benchmark_admin_lists", runs=1, stdout=out)
    text = out.getvalue()
    assert text.startswith("5 articles, 10 tags; median of 1 runs")
    for label in ("article list", "tag with 2 articles", "source with 3 articles", "tag kind"):
        assert re.search(rf"{label}.* +[\d.]+ +\d+ +[\d.]+\n", text), label
    assert re.search(r"tag list \(10 tags\) +[\d.]+ +5 ", text)
    assert not django_user_model.objects.exists()  # its user is gone


def test_the_tag_list_has_no_unbounded_list(editor_client, django_assert_max_num_queries):
    """Its only filter is the kind (four choices); its rows come a page at a time."""
    make_tags(2000)
    with django_assert_max_num_queries(5):
        response = editor_client.get(reverse("admin:archive_tag_changelist"))
    assert len(response.context["cl"].result_list) == 100
    html = response.content.decode()
    assert html.count('class="action-select"') == 100
    assert len(re.findall(r"<li", sidebar(html))) <= 8


def test_benchmark_admin_lists_adds_corpus_tags_once():
    from io import StringIO

    from django.core.management import call_command

    articles = newsroom(articles=4, tags=4, tags_per_article=1)
    for _ in range(2):
        call_command("benchmark_admin_lists", runs=1, add_tags=30, stdout=StringIO())
    assert Tag.objects.filter(slug__startswith="korpusnyi-teg-").count() == 30
    for article in articles:
        assert 1 <= article.tags.filter(slug__startswith="korpusnyi-teg-").count() <= 3
