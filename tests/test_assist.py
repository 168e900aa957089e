"""The editor assist: names found in the Russian text offered as tags (archive.assist),
and its endpoints on the article form (archive/admin/assist.py)."""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse

from archive import assist
from archive.admin.assist import MAX_TEXT_CHARS
from archive.management.commands.assist_quality import SEED_SLUG, article_text
from archive.models import Article, Tag

from .factories import SourceFactory, TagFactory

pytestmark = pytest.mark.django_db

SUGGEST_URL = "admin:archive_article_assist"
TAG_URL = "admin:archive_article_assist_tag"
CHANGELIST = "admin:archive_article_changelist"
SEED_NAMES = {
    "Гасан Мансуров": Tag.Kind.PERSON,
    "Орхан Абдулкеримли": Tag.Kind.PERSON,
    "Эмин Гамбарли": Tag.Kind.PERSON,
    "ООН": Tag.Kind.ORGANISATION,
    "Нью-Йорк": Tag.Kind.PLACE,
}


@pytest.fixture
def seed():
    call_command("loaddata", "seed", verbosity=0)
    return Article.objects.get(slug=SEED_SLUG)


def offered(suggestions):
    return {s.name: (s.kind, s.tag_id) for s in suggestions}


def test_the_seed_offers_its_people_organisation_and_place_as_their_tags(seed):
    found = offered(assist.suggest(article_text(seed)))
    for name, kind in SEED_NAMES.items():
        tag = Tag.objects.get(name_ru=name)
        assert found[name] == (kind, tag.pk), name
    # The agency it is credited to and a bare «Комитетом» are not offered.
    assert "АПА" not in found and "Комитет" not in found


def test_without_tags_the_seed_offers_new_tags_in_the_nominative(db):
    call_command("loaddata", "seed", verbosity=0)
    text = article_text(Article.objects.get(slug=SEED_SLUG))
    Tag.objects.all().delete()
    found = offered(assist.suggest(text))
    for name, kind in SEED_NAMES.items():
        assert found[name] == (kind, None), name
    assert found["Служба государственной безопасности"] == (Tag.Kind.ORGANISATION, None)
    assert found["Генеральная Ассамблея ООН"] == (Tag.Kind.ORGANISATION, None)


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Соглашение подписано Гасаном Мансуровым.", "Гасан Мансуров", Tag.Kind.PERSON),
        # A man's name in the genitive, which alone could be a woman's in the nominative.
        ("Встреча Гасана Мансурова и Орхана Абдулкеримли прошла.", "Орхан Абдулкеримли", "person"),
        ("Президент встретился с Мехрибан Алиевой.", "Мехрибан Алиева", Tag.Kind.PERSON),
        ("Сессия прошла в Нью-Йорке.", "Нью-Йорк", Tag.Kind.PLACE),
        ("Выборы прошли в Южной Корее.", "Южная Корея", Tag.Kind.PLACE),
        ("Решение Генеральной Ассамблеи принято.", "Генеральная Ассамблея", Tag.Kind.ORGANISATION),
    ],
)
def test_names_are_put_in_the_nominative(text, name, kind):
    assert offered(assist.suggest(text))[name] == (kind, None)


def test_a_surname_alone_is_the_person_named_before():
    text = (
        "Генеральный секретарь ООН Антониу Гутерриш заявил. Гутерриш добавил, что "
        "Гутерриша поддержали в Совете Безопасности ООН."
    )
    people = [s for s in assist.suggest(text) if s.kind == Tag.Kind.PERSON]
    assert [(s.name, s.mentions, s.written) for s in people] == [
        ("Антониу Гутерриш", 3, ["Антониу Гутерриш", "Гутерриш", "Гутерриша"])
    ]


def test_matching_an_existing_tag_returns_its_id_not_a_new_one():
    person = TagFactory(name_ru="Гасан Мансуров", kind=Tag.Kind.PERSON)
    place = TagFactory(name_ru="Нью-Йорк", name_en="New York", kind=Tag.Kind.PLACE)
    # Another language's name: a company written in Latin in the Russian text.
    company = TagFactory(name_ru="Майкрософт", name_en="Microsoft", kind="organisation")
    text = "Гасаном Мансуровым подписано соглашение с Microsoft в Нью-Йорке."
    found = offered(assist.suggest(text))
    assert found == {
        "Гасан Мансуров": (Tag.Kind.PERSON, person.pk),
        "Майкрософт": (Tag.Kind.ORGANISATION, company.pk),
        "Нью-Йорк": (Tag.Kind.PLACE, place.pk),
    }
    assert Tag.objects.count() == 3


def test_a_topic_of_the_name_is_matched_rather_than_duplicated_as_a_place():
    topic = TagFactory(name_ru="Карабах", kind=Tag.Kind.TOPIC)
    assert offered(assist.suggest("Делегация посетила Карабах.")) == {
        "Карабах": (Tag.Kind.TOPIC, topic.pk)
    }


def test_a_renamed_tag_is_found_by_its_new_name_at_once():
    tag = TagFactory(name_ru="Нью Йорк", kind=Tag.Kind.PLACE)
    assert offered(assist.suggest("Сессия прошла в Нью-Йорке.")) == {
        "Нью-Йорк": (Tag.Kind.PLACE, None)
    }
    tag.name_ru = "Нью-Йорк"
    tag.save()
    assert offered(assist.suggest("Сессия прошла в Нью-Йорке.")) == {
        "Нью-Йорк": (Tag.Kind.PLACE, tag.pk)
    }


def test_a_tag_named_in_the_text_is_found_where_the_model_sees_no_name():
    committee = TagFactory(name_ru="Комитет «Ad Hoc»", kind=Tag.Kind.ORGANISATION)
    text = "Проект подготовил межправительственный открытый комитета «Ad Hoc» к сессии."
    assert assist.suggest(text, named_tags=False) == []
    [found] = assist.suggest(text)
    assert (found.tag_id, found.written) == (committee.pk, ["комитета «Ad Hoc»"])


def test_tags_on_the_article_and_the_source_are_not_offered():
    SourceFactory(name="APA")
    person = TagFactory(name_ru="Гасан Мансуров", kind=Tag.Kind.PERSON)
    text = "Как передает АПА, Гасан Мансуров прибыл в Баку."
    assert offered(assist.suggest(text, exclude={person.pk})) == {"Баку": (Tag.Kind.PLACE, None)}


# --- the endpoints ---------------------------------------------------------------------


def post(client, name, payload, **extra):
    return client.post(reverse(name), json.dumps(payload), content_type="application/json", **extra)


def test_the_endpoint_returns_suggestions_without_the_form_s_tags(editor_client, seed):
    chosen = Tag.objects.get(name_ru="Орхан Абдулкеримли")
    payload = {
        "title": seed.title_ru,
        "lead": seed.lead_ru,
        "body": seed.body_ru,
        "tags": [str(chosen.pk)],
    }
    response = post(editor_client, SUGGEST_URL, payload)
    assert response.status_code == 200
    suggestions = {s["name"]: s for s in response.json()["suggestions"]}
    assert "Орхан Абдулкеримли" not in suggestions
    gasan = suggestions["Гасан Мансуров"]
    assert gasan["id"] == Tag.objects.get(name_ru="Гасан Мансуров").pk
    assert (gasan["kind"], gasan["kind_label"]) == ("person", "персона")


def test_the_endpoint_is_for_staff_only(client, django_user_model, seed):
    payload = {"title": seed.title_ru}
    response = post(client, SUGGEST_URL, payload)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    response = post(client, SUGGEST_URL, payload)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    # Staff who may not edit articles are refused too.
    reader.is_staff = True
    reader.save()
    assert post(client, SUGGEST_URL, payload).status_code == 403
    assert post(client, TAG_URL, {"name": "Ханой", "kind": "place"}).status_code == 403


def test_the_endpoint_checks_the_csrf_token(editor, seed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    payload = {"title": seed.title_ru}
    assert post(client, SUGGEST_URL, payload).status_code == 403
    assert post(client, TAG_URL, {"name": "Ханой", "kind": "place"}).status_code == 403
    assert not Tag.objects.filter(name_ru="Ханой").exists()
    # The form's token, as assist.js sends it.
    client.get(reverse("admin:archive_article_change", args=[seed.pk]))
    token = client.cookies["csrftoken"].value
    response = post(client, SUGGEST_URL, payload, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["suggestions"]] == ["ООН"]


def test_the_endpoint_answers_get_with_405(editor_client):
    assert editor_client.get(reverse(SUGGEST_URL)).status_code == 405


def test_oversize_text_is_refused_with_a_clear_message(editor_client):
    body = "<p>" + "Гасан Мансуров прибыл в Нью-Йорк. " * (MAX_TEXT_CHARS // 30) + "</p>"
    response = post(editor_client, SUGGEST_URL, {"title": "Визит", "body": body})
    assert response.status_code == 413
    size = len("Визит\n\n" + body[3:-4].strip())
    assert response.json()["error"] == (
        f"Русский текст слишком длинный для подсказок ({size}, не больше {MAX_TEXT_CHARS} "
        "символов). Сократите его или добавьте теги вручную."
    )


def test_an_oversize_request_is_refused_before_it_is_read(editor_client, settings):
    settings.ARCHIVE_ASSIST_MAX_REQUEST_BYTES = 1000
    payload = json.dumps({"title": "Ы" * 1000})
    response = post(editor_client, SUGGEST_URL, {"title": "Ы" * 1000})
    assert response.status_code == 413
    sent, most = filesizeformat(len(payload.encode())), filesizeformat(1000)
    assert response.json()["error"] == (
        f"Отправленный текст занимает {sent}; подсказки читают не больше {most}."
    )


def test_the_endpoint_is_rate_limited(editor_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "assist": "2/60"}
    for _attempt in range(2):
        assert post(editor_client, SUGGEST_URL, {"title": "Визит"}).status_code == 200
    response = post(editor_client, SUGGEST_URL, {"title": "Визит"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_a_new_suggestion_becomes_a_tag_of_its_kind_once(editor_client):
    payload = {"name": "Ханой", "kind": "place"}
    response = post(editor_client, TAG_URL, payload)
    assert response.status_code == 201
    tag = Tag.objects.get(name_ru="Ханой")
    assert tag.kind == Tag.Kind.PLACE and tag.slug == "khanoy"
    assert response.json() == {"id": tag.pk, "text": "Ханой", "name": "Ханой", "created": True}
    again = post(editor_client, TAG_URL, {"name": "Ханое", "kind": "place"})
    assert again.status_code == 200 and again.json()["id"] == tag.pk
    assert Tag.objects.count() == 1


def test_a_tag_the_assist_made_and_the_editor_took_off_is_listed_as_in_no_article(
    editor_client,
):
    """The click makes the tag at once (the form needs its id); an editor who then takes
    it off finds it under «ни в одной статье» in the tag list, to delete it."""
    from .factories import ArticleFactory

    made = post(editor_client, TAG_URL, {"name": "Ханой", "kind": "place"}).json()
    used = TagFactory(name_ru="Баку", kind=Tag.Kind.PLACE)
    for n in range(3):
        ArticleFactory(title_ru=f"Статья {n}").tags.add(used)
    tags = reverse("admin:archive_tag_changelist")

    def listed(**params):
        response = editor_client.get(tags, params)
        assert response.status_code == 200
        return response, {t.name_ru for t in response.context["cl"].result_list}

    response, names = listed(use="unused")
    assert names == {"Ханой"} and made["id"] == Tag.objects.get(name_ru="Ханой").pk
    page = response.content.decode()
    headings = {h.strip() for h in re.findall(r"<summary>(.*?)</summary>", page, re.S)}
    assert "Использование" in headings and "ни в одной статье" in page
    response, names = listed(use="used")
    assert names == {"Баку"}
    link = f'<a href="{reverse(CHANGELIST)}?tags__id__exact={used.pk}">3</a>'
    assert link in response.content.decode()
    response, names = listed(o="4")  # by the count column, least used first
    assert [t.name_ru for t in response.context["cl"].result_list] == ["Ханой", "Баку"]
    az = editor_client.get(tags, {"use": "unused"}, HTTP_ACCEPT_LANGUAGE="az")
    assert "heç bir məqalədə" in az.content.decode()


def test_a_tag_is_made_only_with_a_name_a_kind_and_the_permission(
    client, django_user_model, editor_client
):
    for payload in ({"name": "", "kind": "place"}, {"name": "Ханой", "kind": "topic"}):
        assert post(editor_client, TAG_URL, payload).status_code == 400
    assert post(editor_client, TAG_URL, {"name": "Х" * 201, "kind": "place"}).status_code == 400
    # Not a name: a JSON object or list was made a tag named by Python («{'a': 1}»), and a
    # zero byte one that PostgreSQL refuses (a server error there).
    for name in ({"a": 1}, ["Ханой"], 5, "\x00", "Ха\x00ной", "Ха\x07ной"):
        assert post(editor_client, TAG_URL, {"name": name, "kind": "place"}).status_code == 400
    assert not Tag.objects.exists()
    # An editor of articles who may not add tags may still choose an existing one.
    writer = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
    writer.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(writer)
    existing = TagFactory(name_ru="Баку", kind=Tag.Kind.PLACE)
    assert post(client, TAG_URL, {"name": "Баку", "kind": "place"}).json()["id"] == existing.pk
    refused = post(client, TAG_URL, {"name": "Ханой", "kind": "place"})
    assert refused.status_code == 403
    assert refused.json()["error"] == (
        "Вы не можете создавать теги: попросите редактора создать тег «Ханой»."
    )
    assert not Tag.objects.filter(name_ru="Ханой").exists()


def test_who_may_only_view_articles_gets_no_panel(client, django_user_model, seed):
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    page = client.get(reverse("admin:archive_article_change", args=[seed.pk]))
    assert page.status_code == 200 and "Конвенции ООН" in page.content.decode()
    assert 'class="assist-tags"' not in page.content.decode()


def test_the_article_form_has_the_panel_and_its_script(editor_client, seed):
    for url in (
        reverse("admin:archive_article_change", args=[seed.pk]),
        reverse("admin:archive_article_add"),
    ):
        page = editor_client.get(url).content.decode()
        assert 'class="assist-tags"' in page and f'data-url="{reverse(SUGGEST_URL)}"' in page
        assert "archive/admin/assist.js" in page and "Предложенные теги" in page


def test_the_model_loads_once_per_process():
    assert assist.models() is assist.models()
    assert assist.load_stats["seconds"] > 0


def test_suggestions_cost_a_fixed_number_of_queries(seed, django_assert_num_queries):
    text = article_text(seed)
    assist.suggest(text)  # the tag names' dictionary is built once
    # The sources, the tags' version (count and newest history row), the tags offered.
    with django_assert_num_queries(4):
        found = assist.suggest(text)
    assert len(found) == 9
