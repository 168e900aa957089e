"""Stories in the admin (archive/admin/stories.py): the story's form with its articles in
date order, drafts included; the list's count linking to the article list; the article
form's «Сюжет» autocomplete. Through Django's test client on the real admin."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.models import Article, Story

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

STORY_SLUG = "konventsiya-oon-protiv-kiberprestupnosti"


@pytest.fixture
def story(db):
    call_command("loaddata", "seed", verbosity=0)
    return Story.objects.get(slug=STORY_SLUG)


def test_story_form_lists_its_articles_in_date_order_with_drafts(editor_client, story):
    draft = ArticleFactory(title_ru="Черновик о ратификации", story=story, status="draft")
    page = editor_client.get(
        reverse("admin:archive_story_change", args=[story.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    html = page.content.decode()
    assert re.search(r"<h1>\s*Изменить сюжет\s*</h1>", html)
    for field in ("name_ru", "name_az", "name_en", "description_ru", "description_en", "slug"):
        assert f'name="{field}"' in html
    [timeline] = re.findall(r'<ol class="story-timeline">(.*?)</ol>', html, re.S)
    items = re.findall(r'<time datetime="([^"]+)">([^<]+)</time> · <a href="([^"]+)">', timeline)
    articles = list(Article.objects.filter(story=story).order_by("published_at", "pk"))
    assert [href for _iso, _day, href in items] == [
        reverse("admin:archive_article_change", args=[a.pk]) for a in articles
    ]
    assert articles[-1] == draft and len(items) == 6
    assert items[0][1] == "27 декабря 2019 г."
    assert "(черновик)" in timeline and timeline.count("(опубликована)") == 5


def test_story_list_counts_articles_and_links_to_them(editor_client, story):
    page = editor_client.get(reverse("admin:archive_story_changelist"), HTTP_ACCEPT_LANGUAGE="ru")
    html = page.content.decode()
    assert re.search(r"<h1>\s*Выберите сюжет для изменения\s*</h1>", html)
    link = reverse("admin:archive_article_changelist") + f"?story__id__exact={story.pk}"
    assert f'<a href="{link}">5</a>' in html
    listed = editor_client.get(link, HTTP_ACCEPT_LANGUAGE="ru")
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 5


def test_article_form_chooses_a_story_by_autocomplete(editor_client, story):
    article = ArticleFactory(title_ru="Статья без сюжета")
    page = editor_client.get(reverse("admin:archive_article_change", args=[article.pk]))
    html = page.content.decode()
    [select] = re.findall(r'<select name="story"[^>]*>', html)
    assert "admin-autocomplete" in select and 'data-field-name="story"' in select
    assert "Сюжет" in html

    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "archive", "model_name": "article", "field_name": "story", "term": "конв"},
    )
    assert [r["text"] for r in found.json()["results"]] == [str(story)]
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "archive", "model_name": "article", "field_name": "story", "term": "Cyber"},
    )
    assert [r["id"] for r in found.json()["results"]] == [str(story.pk)]


def test_story_pages_in_azerbaijani(editor_client, story):
    page = editor_client.get(reverse("admin:archive_story_changelist"), HTTP_ACCEPT_LANGUAGE="az")
    assert re.search(r"<h1>\s*Dəyişmək üçün süjeti seçin\s*</h1>", page.content.decode())
    page = editor_client.get(reverse("admin:archive_story_add"), HTTP_ACCEPT_LANGUAGE="az")
    html = page.content.decode()
    assert re.search(r"<h1>\s*Süjet əlavə et\s*</h1>", html)
    assert "«Süjet» sahəsində" in html
