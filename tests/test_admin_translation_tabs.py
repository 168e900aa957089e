"""The server half of the admin's language switch (archive/admin/translation_tabs.py):
what the script is told, the language kept across "save and continue", and the article
list's translation column and filter, which must agree with Article.translation_state()."""

import html
import json
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from modeltranslation.admin import TabbedTranslationAdmin

from archive.admin.translation_tabs import TranslationTabsMixin
from archive.models import Article, Tag

from .factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:archive_{model._meta.model_name}_{view}", args=args)


def config_of(response):
    found = re.search(r'data-translation-tabs="([^"]*)"', response.content.decode())
    assert found, "no data-translation-tabs attribute on the form"
    return json.loads(html.unescape(found.group(1)))


def with_stamps(article, **stamps):
    Article.objects.filter(pk=article.pk).update(text_edited=stamps)
    return Article.objects.get(pk=article.pk)


T1, T2, T3 = "2026-05-01T09:00:00+00:00", "2026-05-02T09:00:00+00:00", "2026-05-03T09:00:00+00:00"


# (title_az, title_en, edit stamps): each way translation_state() can come out.
STATES = [
    (None, None, {"ru": T2}),  # Russian only: missing
    ("", None, {"ru": T2}),  # empty and NULL titles: missing
    ("Təzə", "Fresh", {"ru": T2, "az": T3, "en": T2}),  # current (the same time too)
    ("Köhnə", "Old", {"ru": T2, "az": T1, "en": T1}),  # outdated
    ("Qeydsiz", None, {"ru": T2}),  # a title never stamped: outdated
    ("Heç", "None", {}),  # no stamps at all: current
    (None, "Only en", {"en": T1}),  # no Russian stamp: current
]


@pytest.fixture
def articles_in_every_state():
    return [
        with_stamps(ArticleFactory(title_ru=f"Статья {n}", title_az=az, title_en=en), **stamps)
        for n, (az, en, stamps) in enumerate(STATES)
    ]


@pytest.mark.parametrize("code", ["az", "en"])
@pytest.mark.parametrize("state", ["missing", "outdated"])
def test_the_filter_finds_exactly_the_articles_in_that_state(articles_in_every_state, code, state):
    expected = {a.pk for a in articles_in_every_state if a.translation_state(code) == state}
    assert expected, "the fixture has an article in every state"
    assert set(Article.objects.in_translation_state(code, state).values_list("pk", flat=True)) == (
        expected
    )


def test_the_list_filter_and_column_in_the_admin(editor_client, articles_in_every_state):
    response = editor_client.get(url(Article, "changelist") + "?translation=az-outdated")
    page = response.content.decode()
    assert response.status_code == 200
    shown = set(re.findall(r'class="article-title" title="[^"]*">([^<]+)</span>', page))
    assert shown == {"Статья 3", "Статья 4"}
    assert "AZ: устарел" in page and "EN: нет перевода" in page  # the column, in words
    assert 'href="?translation=en-outdated"' in page  # the filter's other choices
    whole = editor_client.get(url(Article, "changelist")).content.decode()
    assert "всё переведено" in whole  # "Статья 2"
    unknown = editor_client.get(url(Article, "changelist") + "?translation=xx-missing")
    assert unknown.status_code == 200  # an unknown choice filters nothing, no error page


def test_the_column_needs_no_query_per_row(editor_client):
    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url(Article, "changelist")).status_code == 200
        return len(captured)

    ArticleFactory.create_batch(2, title_az="Az")
    few = queries_for_list()
    ArticleFactory.create_batch(8, title_en="En")
    assert queries_for_list() == few


def test_the_script_is_told_each_language_and_its_state(editor_client):
    article = with_stamps(
        ArticleFactory(title_ru="Конвенция", title_az="Konvensiya", title_en="Convention"),
        ru=T2,
        az=T3,
        en=T1,
    )
    config = config_of(editor_client.get(url(Article, "change", article.pk)))
    assert config["original"] == "ru" and config["initial"] == ""
    told = [
        (lang["code"], lang["name"], lang["state"], lang["mark"]) for lang in config["languages"]
    ]
    assert told == [
        ("ru", "Русский", "original", "оригинал"),
        ("az", "Azərbaycanca", "current", ""),
        ("en", "English", "outdated", "устарел"),
    ]
    add = config_of(editor_client.get(url(Article, "add")))
    assert [lang["mark"] for lang in add["languages"]] == [
        "оригинал",
        "нет перевода",
        "нет перевода",
    ]


def test_tags_without_edit_stamps_are_missing_until_named(editor_client):
    tag = TagFactory(name_ru="ООН", name_az="BMT", kind=Tag.Kind.ORGANISATION)
    config = config_of(editor_client.get(url(Tag, "change", tag.pk)))
    assert [lang["state"] for lang in config["languages"]] == ["original", "current", "missing"]
    page = editor_client.get(url(Tag, "change", tag.pk)).content.decode()
    assert 'lang="az" data-translation-language="az" data-translation-of="name"' in page
    assert "Один адрес для всех языков" in page  # the slug's note


def form_data(article, **changes):
    data = {
        "title_ru": article.title_ru,
        "title_az": article.title_az or "",
        "title_en": article.title_en or "",
        "slug": article.slug,
        "lead_ru": article.lead_ru,
        "body_ru": article.body_ru,
        "status": article.status,
        "published_at_0": "2026-05-10",
        "published_at_1": "10:00:00",
        "rubric": article.rubric_id,
        "source": article.source_id,
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "button, language, fragment",
    [
        ("_continue", "az", "#lang=az"),
        ("_continue", "ru", "#lang=ru"),
        ("_continue", "xx", ""),  # not a language: ignored
        ("_save", "az", ""),  # back to the list: nothing to keep
    ],
)
def test_saving_back_to_the_form_keeps_the_language(editor_client, button, language, fragment):
    article = ArticleFactory(title_ru="Конвенция", title_az="Konvensiya")
    data = form_data(article, title_az="Yeni", _translation_language=language, **{button: "1"})
    response = editor_client.post(url(Article, "change", article.pk), data)
    assert response.status_code == 302
    location = response["Location"]
    assert location.endswith(fragment) and location.count("#") == (1 if fragment else 0)
    assert Article.objects.get(pk=article.pk).title_az == "Yeni"


def test_a_new_article_saved_and_continued_opens_on_the_language_chosen(editor_client):
    template = ArticleFactory.build(title_ru="Новая", slug="")
    template.rubric.save()
    template.source.save()
    template.rubric_id, template.source_id = template.rubric.pk, template.source.pk
    data = form_data(template, title_en="New", _translation_language="en", _continue="1")
    response = editor_client.post(url(Article, "add"), data)
    article = Article.objects.get(title_ru="Новая")
    assert response["Location"] == url(Article, "change", article.pk) + "#lang=en"


def test_a_form_returned_with_errors_reopens_on_the_language_posted(editor_client):
    article = ArticleFactory(title_ru="Конвенция")
    data = form_data(article, title_ru="", _translation_language="az", _continue="1")
    response = editor_client.post(url(Article, "change", article.pk), data)
    assert response.status_code == 200
    assert config_of(response)["initial"] == "az"


def test_the_mixin_replaces_the_jquery_ui_tabs_of_any_translation_admin():
    class ImageLikeAdmin(TranslationTabsMixin, TabbedTranslationAdmin):
        pass

    media = str(ImageLikeAdmin(Tag, admin.site).media)
    assert "archive/admin/translation_tabs.js" in media
    assert "archive/admin/translation_tabs.css" in media
    assert "jquery-ui" not in media and "tabbed_translation_fields" not in media
    assert "admin/js/jquery.init.js" in media  # Django's own scripts stay


@pytest.mark.parametrize(
    "language, marks",
    [
        ("az", ["orijinal", "tərcümə yoxdur", "tərcümə yoxdur"]),
        ("en", ["original", "no translation", "no translation"]),
    ],
)
def test_the_marks_follow_the_editors_language(rf, language, marks):
    # The admin is served in Russian (its URLs have no language prefix); the marks are
    # translated for an Azerbaijani or English admin all the same.
    article = ArticleFactory(title_ru="Конвенция")
    with translation.override(language):
        config = admin.site._registry[Article].translation_tabs_config(rf.get("/"), article)
    assert [lang["mark"] for lang in config["languages"]] == marks
