"""A list's address with a lookup out of the database's range (a year 1 date, which is
before 0001-01-01 in UTC from Baku; year 9999's next year; an id over 64 bits) is
answered as Django answers any bad lookup, by the list with its «?e=1», not by a
server error. An action on checked rows that are no ids changes nothing and says so."""

import pytest
from django.db import connection
from django.urls import reverse

from archive.models import Article, Tag

from .factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

ARTICLES = "admin:archive_article_changelist"
# Out of range in Python, whatever the database: Django's drill-down asks for year 10000.
EVERYWHERE = [
    (ARTICLES, "published_at__year=9999"),
    (ARTICLES, "published_at__year=9999&published_at__month=12"),
]
# Out of SQLite's range only: PostgreSQL holds dates before year 1 in UTC, and Django
# answers an id over 64 bits with no rows there; it lists them (200).
ON_SQLITE = [
    (ARTICLES, "published_at__gte=0001-01-01"),
    (ARTICLES, "updated_at__lt=0001-01-01+00:00:00"),
    (ARTICLES, "published_at__year=1"),
    (ARTICLES, "tags__id__exact=99999999999999999999999"),
    (ARTICLES, "lead_image=99999999999999999999999"),
    ("admin:archive_image_changelist", "uploaded_at__gte=0001-01-01"),
    ("admin:auth_user_changelist", "date_joined__gte=0001-01-01"),
]


@pytest.mark.parametrize(("name", "query"), EVERYWHERE + ON_SQLITE)
def test_an_out_of_range_lookup_is_a_bad_lookup(editor_client, name, query):
    ArticleFactory(tags=[TagFactory()])
    url = reverse(name)
    response = editor_client.get(f"{url}?{query}")
    if (name, query) in ON_SQLITE and connection.vendor != "sqlite":
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"] == f"{url}?e=1"


def test_dates_in_range_still_filter(editor_client):
    ArticleFactory(title_ru="Статья в списке")
    url = reverse(ARTICLES)
    for query in ("published_at__gte=0001-01-02", "published_at__year=9998"):
        assert editor_client.get(f"{url}?{query}").status_code == 200
    page = editor_client.get(f"{url}?published_at__gte=0001-01-02").content.decode()
    assert "Статья в списке" in page


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "1.5"])
@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("admin:archive_article_changelist", "publish"),
        ("admin:archive_article_changelist", "delete_selected"),
        ("admin:archive_tag_changelist", "delete_selected"),
        ("admin:auth_user_changelist", "delete_selected"),
    ],
)
def test_an_action_on_rows_that_are_no_ids_changes_nothing(editor_client, name, action, value):
    draft = ArticleFactory(status=Article.Status.DRAFT, tags=[TagFactory()])
    url = reverse(name)
    chosen = {"action": action, "_selected_action": [value, str(draft.pk)], "post": "yes"}
    response = editor_client.post(url, chosen, follow=True)
    assert response.redirect_chain[-1][0] == url
    assert [str(m) for m in response.context["messages"]] == [
        "Чтобы произвести действия над объектами, необходимо их выбрать. Объекты не были изменены."
    ]
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert Tag.objects.count() == 1


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999"])
@pytest.mark.parametrize(
    "field", ["tags", "related", "rubric", "source", "story", "lead_image_ru", "lead_image_az"]
)
def test_a_posted_autocomplete_value_that_is_no_id_is_a_form_error(editor_client, field, value):
    """Django's autocomplete widget looked the posted value up again to re-render the
    refused form (ValueError), and SQLite was asked for an id over 64 bits (OverflowError)."""
    data = {
        "title_ru": "Статья с ошибкой",
        "slug": "",
        "status": "draft",
        "published_at_0": "10.08.2024",
        "published_at_1": "10:00",
        field: value,
    }
    response = editor_client.post(reverse("admin:archive_article_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert not Article.objects.filter(title_ru="Статья с ошибкой").exists()
