"""The admin's language switch in a real Chromium: one click shows a whole language
version of the form, each language says in words whether its translation is missing or
outdated, the choice survives "save and continue", and errors are never hidden."""

import re

import pytest
from django.urls import reverse

from archive.models import Article, Tag

from .browser import screenshot
from .factories import ArticleFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("ru", "az", "en")
TEXT_FIELDS = ("title", "lead", "body")
SAVE_AND_CONTINUE = "input[name=_continue]"


def stamped(article, **stamps):
    """Set the per-language edit times directly, so which translation is older than
    the original does not depend on how fast the test runs."""
    Article.objects.filter(pk=article.pk).update(
        text_edited={code: f"2026-05-0{day}T09:00:00+00:00" for code, day in stamps.items()}
    )
    return article


@pytest.fixture
def translated_article():
    article = ArticleFactory(
        title_ru="Генассамблея ООН приняла конвенцию против киберпреступности",
        title_az="BMT Baş Assambleyası kibercinayətkarlığa qarşı konvensiyanı qəbul etdi",
        title_en="UN General Assembly adopts a convention against cybercrime",
        lead_ru="Документ открыт для подписания в Ханое.",
        lead_az="Sənəd Hanoyda imzalanmaq üçün açıqdır.",
        lead_en="The treaty opens for signature in Hanoi.",
        body_ru="<h2>Голосование</h2><p>Конвенцию приняли <strong>без голосования</strong>.</p>",
        body_az="<p>Konvensiya səsvermə olmadan qəbul edildi.</p>",
        body_en="<p>The convention was adopted without a vote.</p>",
    )
    # Russian edited on the 2nd: Azerbaijani caught up on the 3rd, English did not.
    return stamped(article, ru=2, az=3, en=1)


def change_url(live_server, obj):
    name = f"admin:archive_{obj._meta.model_name}_change"
    return live_server.url + reverse(name, args=[obj.pk])


def tab(page, name):
    return page.locator(".translation-switch button", has_text=name)


def row(page, field):
    return page.locator(f".form-row.field-{field}")


def test_one_click_shows_the_whole_azerbaijani_version(admin_page, live_server, translated_article):
    page = admin_page
    page.goto(change_url(live_server, translated_article))
    page.locator(".translation-switch").wait_for()
    assert tab(page, "Русский").get_attribute("aria-pressed") == "true"
    assert row(page, "title_ru").is_visible() and not row(page, "title_az").is_visible()

    tab(page, "Azərbaycanca").click()

    for field in TEXT_FIELDS:
        for code in LANGUAGES:
            assert row(page, f"{field}_{code}").is_visible() == (code == "az"), (field, code)
    assert page.locator("#id_title_az").is_visible()
    assert page.locator("#id_title_az").input_value() == translated_article.title_az
    assert [
        tab(page, name).get_attribute("aria-pressed") for name in ("Русский", "Azər", "Eng")
    ] == [
        "false",
        "true",
        "false",
    ]
    assert page.url.endswith("#lang=az")
    # The slug is one address for every language: shown in every tab, and it says so.
    slug = row(page, "slug")
    assert slug.is_visible()
    assert "Один адрес для всех языков" in slug.inner_text()
    # Marks in words: the original, nothing for a current translation, "outdated".
    assert tab(page, "Русский").locator(".translation-mark").all_inner_texts() == ["оригинал"]
    assert tab(page, "Azərbaycanca").locator(".translation-mark").count() == 0
    assert tab(page, "English").locator(".translation-mark").all_inner_texts() == ["устарел"]
    # The Russian original under each translated field, as text (the body's HTML parsed).
    original = row(page, "title_az").locator(".translation-original")
    assert original.is_visible()
    assert original.locator(".translation-original-text").inner_text() == (
        translated_article.title_ru
    )
    body_original = row(page, "body_az").locator(".translation-original-text p")
    assert body_original.all_inner_texts() == ["Голосование", "Конвенцию приняли без голосования."]
    screenshot(page, "admin-tabs-az")
    assert page.outside_requests == [] and page.errors == []


def test_missing_marks_and_the_language_kept_after_save_and_continue(admin_page, live_server):
    article = stamped(ArticleFactory(title_ru="Конвенция ООН", lead_ru="Лид."), ru=2)
    page = admin_page
    page.goto(change_url(live_server, article))
    assert tab(page, "Azərbaycanca").locator(".translation-mark").inner_text() == "нет перевода"
    assert tab(page, "English").locator(".translation-mark").inner_text() == "нет перевода"

    tab(page, "English").click()
    page.fill("#id_title_en", "UN Convention")
    page.fill("#id_lead_en", "The lead.")
    with page.expect_navigation():
        page.click(SAVE_AND_CONTINUE)

    assert page.locator(".messagelist .success").count() == 1
    assert page.url.endswith("#lang=en")
    assert tab(page, "English").get_attribute("aria-pressed") == "true"
    assert row(page, "title_en").is_visible() and not row(page, "title_ru").is_visible()
    assert page.locator("#id_title_en").input_value() == "UN Convention"
    # English is translated now; Azerbaijani is still missing.
    assert tab(page, "English").locator(".translation-mark").count() == 0
    assert tab(page, "Azərbaycanca").locator(".translation-mark").inner_text() == "нет перевода"
    article.refresh_from_db()
    assert (article.title_en, article.translation_state("en")) == ("UN Convention", "current")
    assert page.errors == []


def test_an_error_in_a_hidden_language_is_shown(admin_page, live_server, translated_article):
    page = admin_page
    page.goto(change_url(live_server, translated_article))
    tab(page, "Azərbaycanca").click()
    # The required Russian title, emptied while its tab is hidden.
    page.locator("#id_title_ru").evaluate("field => { field.value = '' }")
    page.fill("#id_title_az", "Yeni başlıq")
    with page.expect_navigation():
        page.click(SAVE_AND_CONTINUE)

    assert page.locator(".errornote").is_visible()
    russian = tab(page, "Русский")
    assert russian.get_attribute("aria-pressed") == "true"
    assert "есть ошибки" in russian.locator(".translation-mark").all_inner_texts()
    assert row(page, "title_ru").locator(".errorlist").is_visible()
    screenshot(page, "admin-tabs-error")
    # What was typed in the Azerbaijani tab is still there, one click away.
    tab(page, "Azərbaycanca").click()
    assert page.locator("#id_title_az").input_value() == "Yeni başlıq"
    assert Article.objects.get(pk=translated_article.pk).title_ru == translated_article.title_ru


def test_an_error_in_the_chosen_language_keeps_it_and_others_are_marked(
    admin_page, live_server, translated_article
):
    page = admin_page
    page.goto(change_url(live_server, translated_article))
    tab(page, "English").click()
    too_long = "x" * 301  # the model allows 300; the browser's maxlength is bypassed
    for field in ("#id_title_en", "#id_title_az"):
        page.locator(field).evaluate(f"field => {{ field.value = '{too_long}' }}")
    with page.expect_navigation():
        page.click(SAVE_AND_CONTINUE)

    assert tab(page, "English").get_attribute("aria-pressed") == "true"
    assert row(page, "title_en").locator(".errorlist").is_visible()
    for name in ("English", "Azərbaycanca"):
        assert "есть ошибки" in tab(page, name).locator(".translation-mark").all_inner_texts()
    assert "есть ошибки" not in tab(page, "Русский").inner_text()


def test_the_original_follows_edits_and_can_be_hidden(admin_page, live_server, translated_article):
    page = admin_page
    page.goto(change_url(live_server, translated_article))
    page.fill("#id_title_ru", "Новый заголовок оригинала")
    tab(page, "Azərbaycanca").click()
    original = row(page, "title_az").locator(".translation-original-text")
    assert original.inner_text() == "Новый заголовок оригинала"
    toggle = page.get_by_label("Показывать оригинал")
    toggle.uncheck()
    assert not original.is_visible()
    page.reload()
    assert page.url.endswith("#lang=az")
    assert tab(page, "Azərbaycanca").get_attribute("aria-pressed") == "true"
    assert not row(page, "title_az").locator(".translation-original").is_visible()


def test_widgets_that_measure_themselves_hear_when_their_language_is_shown(
    admin_page, live_server, translated_article
):
    """A rich-text editor started in a hidden tab gets a resize and a
    translation:shown event on its row when the tab opens (nothing editor-specific)."""
    page = admin_page
    page.goto(change_url(live_server, translated_article))
    page.evaluate(
        """() => {
            window.heard = [];
            window.addEventListener('resize', () => window.heard.push('resize'));
            document.addEventListener('translation:shown', (event) =>
                window.heard.push(event.target.className.match(/field-(\\w+)/)[1]
                                  + ':' + event.detail.language));
        }"""
    )
    tab(page, "Azərbaycanca").click()
    heard = page.evaluate("window.heard")
    assert "resize" in heard
    assert sorted(h for h in heard if h != "resize") == [
        "body_az:az",
        "lead_az:az",
        "lead_image_az:az",  # the lead image per language, and its preview
        "lead_image_preview_az:az",
        "title_az:az",
    ]


def test_tags_switch_the_same_way(admin_page, live_server):
    tag = TagFactory(name_ru="Гасан Мансуров", name_az="Həsən Mansurov", kind=Tag.Kind.PERSON)
    page = admin_page
    page.goto(change_url(live_server, tag))
    assert tab(page, "English").locator(".translation-mark").inner_text() == "нет перевода"
    assert tab(page, "Azərbaycanca").locator(".translation-mark").count() == 0
    tab(page, "Azərbaycanca").click()
    assert row(page, "name_az").is_visible()
    assert not row(page, "name_ru").is_visible() and not row(page, "name_en").is_visible()
    assert row(page, "slug").is_visible()
    assert "Один адрес для всех языков" in row(page, "slug").inner_text()
    label = row(page, "name_az").locator("label").inner_text()
    assert not re.search(r"\[az\]", label)
    screenshot(page, "admin-tabs-tag-az")
    assert page.errors == []


def test_the_article_list_says_which_translations_lack(admin_page, live_server):
    stamped(ArticleFactory(title_ru="Конвенция ООН", title_az="BMT Konvensiyası"), ru=2, az=1)
    stamped(
        ArticleFactory(title_ru="Ассамблея", title_az="Assambleya", title_en="Assembly"),
        ru=1,
        az=2,
        en=3,
    )
    page = admin_page
    page.goto(live_server.url + reverse("admin:archive_article_changelist"))
    # The marks sit under each article's publication date (archive/admin/article_list.py).
    cells = page.locator("td.field-publication")
    marks = [
        "\n".join(cell.locator(".translation-state").all_inner_texts()) for cell in cells.all()
    ]
    assert sorted(marks) == ["AZ: устарел\nEN: нет перевода", "всё переведено"]
    with page.expect_navigation():
        page.locator("#changelist-filter a", has_text="AZ: устарел").click()
    titles = page.locator("#result_list th.field-headline .article-title")
    assert titles.all_inner_texts() == ["Конвенция ООН"]
    screenshot(page, "admin-list-translation")
    assert page.errors == []
