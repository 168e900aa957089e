"""An editor's round in Chromium, in Russian and in Azerbaijani: the sentences the admin
builds around a model's name read right on screen (screenshots in test-output/)."""

import pytest
from django.urls import reverse

from archive.models import Article

from .browser import screenshot
from .factories import ArticleFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def heading(page):
    # The page's title: its h1 also gets the translation tabs' language menu.
    return page.title().rsplit(" | ", 1)[0]


def success(page):
    return page.locator("ul.messagelist li.success").inner_text().strip()


def test_an_editor_reads_right_in_russian_and_azerbaijani(admin_page, live_server):
    page, site = admin_page, live_server.url
    person = TagFactory(name_ru="Гасан Мансуров")
    ArticleFactory(title_ru="Конвенция ООН", tags=[person])
    ArticleFactory(title_ru="Вторая статья", tags=[person])

    page.goto(site + reverse("admin:archive_article_changelist"))
    assert heading(page) == "Выберите статью для изменения"
    assert page.locator(".object-tools a.addlink").text_content().strip() == "Добавить статью"
    assert page.locator("p.paginator").inner_text().strip() == "2 статьи"
    screenshot(page, "grammar-ru-changelist")

    page.click(".object-tools a.addlink")
    assert heading(page) == "Добавить статью"
    page.fill("#id_title_ru", "Новая статья о конвенции")
    page.click("input[name=_continue]")
    article = Article.objects.get(title_ru="Новая статья о конвенции")
    assert success(page) == (
        "Статья «Новая статья о конвенции» успешно добавлена. Ниже её можно изменить снова."
    )
    assert heading(page) == "Новая статья о конвенции | Изменить статью"
    screenshot(page, "grammar-ru-added")

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    assert success(page) == "Статья «Новая статья о конвенции» успешно изменена."
    page.goto(site + reverse("admin:archive_article_history", args=[article.pk]))
    assert page.locator("#change-history th").all_text_contents()[4] == "Причина изменения"
    newest = page.locator("#change-history tbody tr").first
    assert newest.locator("td").nth(4).inner_text().strip() == "—"
    assert newest.locator("li").inner_text().strip() == "Статус: черновик → опубликована"
    screenshot(page, "grammar-ru-history")

    page.goto(site + reverse("admin:archive_article_changelist"))
    page.check("#action-toggle")
    page.select_option("select[name=action]", "delete_selected")
    page.click("button[name=index]")
    assert heading(page) == "Удалить выбранные статьи"
    assert "Вы уверены, что хотите удалить 3 статьи?" in page.locator("#content").inner_text()
    screenshot(page, "grammar-ru-delete-selected")
    page.click("input[type=submit]")
    assert success(page) == "3 статьи удалены."

    # The browser says Russian (ru-RU); the language cookie chooses Azerbaijani.
    page.context.add_cookies([{"name": "django_language", "value": "az", "url": site}])
    ArticleFactory(title_ru="Konvensiya")
    page.goto(site + reverse("admin:archive_article_changelist"))
    assert heading(page) == "Dəyişmək üçün məqaləni seçin"
    assert page.locator(".object-tools a.addlink").text_content().strip() == "Məqalə əlavə et"
    screenshot(page, "grammar-az-changelist")
    assert page.outside_requests == [] and page.errors == []
