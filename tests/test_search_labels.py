"""Rubric and tag names in search results come from a per-process memory of names
(search.labels), which must follow renames at once and speak the page's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.models import Tag

from .factories import ArticleFactory, RubricFactory, TagFactory
from .search_support import api


@pytest.fixture
def article(search_index):
    rubric = RubricFactory(name_ru="Технологии", name_az="Texnologiya", name_en="Technology")
    tag = TagFactory(name_ru="ООН", name_az="BMT", name_en="UN", kind=Tag.Kind.ORGANISATION)
    return ArticleFactory(title_ru="Конвенция о киберпреступности", rubric=rubric, tags=[tag])


def labels_queries(client, prefix=""):
    with CaptureQueriesContext(connection) as queries:
        result = api(client, prefix, q="конвенция")["results"][0]
    names = [q["sql"] for q in queries if "archive_rubric" in q["sql"] or "archive_tag" in q["sql"]]
    return result, names


@pytest.mark.django_db(transaction=True)
def test_names_are_read_once_and_follow_a_rename(article, client):
    result, queries = labels_queries(client)
    assert (result["rubric"], result["tags"]) == ("Технологии", ["ООН"])
    assert queries  # read from the database the first time
    result, queries = labels_queries(client)
    assert result["rubric"] == "Технологии" and not queries  # then remembered

    article.rubric.name_ru = "Информационные технологии"
    article.rubric.save()
    tag = article.tags.get()
    tag.name_ru = "Организация Объединённых Наций"
    tag.save()
    result, queries = labels_queries(client)
    assert (result["rubric"], result["tags"]) == (
        "Информационные технологии",
        ["Организация Объединённых Наций"],
    )


@pytest.mark.django_db(transaction=True)
def test_names_are_in_the_pages_language(article, client):
    assert labels_queries(client)[0]["rubric"] == "Технологии"
    result = labels_queries(client, "/az")[0]
    assert (result["rubric"], result["tags"]) == ("Texnologiya", ["BMT"])
    result = labels_queries(client, "/en")[0]
    assert (result["rubric"], result["tags"]) == ("Technology", ["UN"])
    assert labels_queries(client)[0]["rubric"] == "Технологии"


@pytest.mark.django_db(transaction=True)
def test_a_deleted_tag_leaves_the_results(article, client):
    assert labels_queries(client)[0]["tags"] == ["ООН"]
    article.tags.get().delete()
    assert labels_queries(client)[0]["tags"] == []
