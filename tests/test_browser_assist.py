"""The editor assist in a real Chromium: the seed's change form offers the names in its
text, one click puts a tag into the tags field, and saving keeps it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive.management.commands.assist_quality import SEED_SLUG
from archive.models import Article, Tag

from .browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_suggested_tag_is_added_with_one_click_and_saved(admin_page, live_server):
    call_command("loaddata", "seed", verbosity=0)
    seed = Article.objects.get(slug=SEED_SLUG)
    gasan = Tag.objects.get(name_ru="Гасан Мансуров")
    seed.tags.remove(*Tag.objects.filter(kind=Tag.Kind.PERSON))
    Tag.objects.filter(name_ru="Нью-Йорк").delete()  # a place no tag names yet
    page = admin_page
    page.goto(live_server.url + reverse("admin:archive_article_change", args=[seed.pk]))

    panel = page.locator(".assist-tags")
    button = panel.locator("button.assist-tag", has_text="Гасан Мансуров")
    button.wait_for()
    offered = panel.locator("button.assist-tag").all_inner_texts()
    assert [text.split()[0] for text in offered] == [
        "Нью-Йорк",
        "Гасан",
        "Орхан",
        "Эмин",
    ]  # the tags still on the article (ООН, the services...) are not offered
    assert "новый" in offered[0] and "персона" in offered[1]
    panel.scroll_into_view_if_needed()
    screenshot(page, "admin-assist")

    button.click()
    choices = page.locator(".field-tags .select2-selection__choice")
    choices.filter(has_text="Гасан Мансуров").wait_for()
    assert button.count() == 0
    panel.locator("button.assist-tag", has_text="Нью-Йорк").click()
    choices.filter(has_text="Нью-Йорк").wait_for()
    assert panel.locator(".assist-tags__status").inner_text() == "Добавлено в теги: Нью-Йорк"
    screenshot(page, "admin-assist-added")

    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    tags = set(seed.tags.values_list("name_ru", "kind"))
    assert ("Гасан Мансуров", Tag.Kind.PERSON) in tags
    assert ("Нью-Йорк", Tag.Kind.PLACE) in tags
    assert ("Орхан Абдулкеримли", Tag.Kind.PERSON) not in tags  # offered, not clicked
    assert seed.tags.filter(pk=gasan.pk).exists()
    assert page.outside_requests == [] and page.errors == []


def test_a_new_article_gets_a_new_tag_from_the_text_typed(admin_page, live_server):
    page = admin_page
    page.goto(live_server.url + reverse("admin:archive_article_add"))
    panel = page.locator(".assist-tags")
    assert panel.locator("button.assist-tag").count() == 0  # nothing typed, nothing asked
    page.fill("#id_title_ru", "Визит в Ханой")
    page.locator("#id_title_ru").press("End")
    # The body is written in the rich-text editor, which keeps its textarea in step.
    body = page.locator(".prose-editor:has(#id_body_ru) .ProseMirror[contenteditable]")
    body.click()
    page.keyboard.type("Делегацию принял Нгуен Ван Ан в Ханое.")
    page.wait_for_function("() => document.querySelector('#id_body_ru').value.includes('Ханое')")
    panel.locator(".assist-tags__find").click()
    panel.locator("button.assist-tag", has_text="Ханой").click()
    page.locator(".field-tags .select2-selection__choice", has_text="Ханой").wait_for()
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    article = Article.objects.get(title_ru="Визит в Ханой")
    assert list(article.tags.values_list("name_ru", "kind")) == [("Ханой", Tag.Kind.PLACE)]
    assert page.outside_requests == [] and page.errors == []
