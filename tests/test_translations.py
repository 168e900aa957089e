"""The fallback rule (README, "Languages"): a missing or empty translation shows the
Russian original; if Russian is missing too, English, then Azerbaijani."""

import pytest
from django.utils import translation

from archive.models import Article

from .factories import ArticleFactory, RubricFactory, TagFactory

pytestmark = pytest.mark.django_db


def shown(obj, field, lang):
    with translation.override(lang):
        obj = type(obj).objects.get(pk=obj.pk)
        return getattr(obj, field)


def test_each_language_shows_its_own_translation():
    article = ArticleFactory(title_ru="Конвенция", title_az="Konvensiya", title_en="Convention")
    assert [shown(article, "title", lang) for lang in ("ru", "az", "en")] == [
        "Конвенция",
        "Konvensiya",
        "Convention",
    ]


@pytest.mark.parametrize("missing", [None, ""])
def test_missing_or_empty_translation_falls_back_to_russian(missing):
    article = ArticleFactory(
        title_ru="Конвенция",
        title_az=missing,
        title_en="Convention",
        lead_ru="Лид",
        lead_en=missing,
    )
    assert shown(article, "title", "az") == "Конвенция"  # Russian before English
    assert shown(article, "lead", "en") == "Лид"


def test_without_russian_the_english_then_azerbaijani_text_is_shown():
    article = ArticleFactory(title_ru="Заголовок", lead_ru="", lead_az="Az lid", lead_en="")
    assert shown(article, "lead", "en") == "Az lid"
    article = ArticleFactory(title_ru="Заголовок", lead_ru="", lead_az="Az lid", lead_en="En lead")
    assert shown(article, "lead", "az") == "Az lid"
    assert shown(article, "lead", "ru") == "En lead"


def test_rubric_and_tag_names_follow_the_same_rule():
    rubric = RubricFactory(name_ru="ИКТ", name_en="ICT")
    tag = TagFactory(name_ru="ООН", name_az="BMT")
    assert shown(rubric, "name", "az") == "ИКТ"
    assert shown(rubric, "name", "en") == "ICT"
    assert shown(tag, "name", "en") == "ООН"
    assert shown(tag, "name", "az") == "BMT"


def test_pages_use_the_fallback(client):
    article = ArticleFactory(title_ru="Только по-русски", body_ru="<p>Текст</p>")
    for prefix in ("", "/az", "/en"):
        response = client.get(f"{prefix}/articles/{article.slug}/")
        assert response.status_code == 200
        assert "Только по-русски" in response.content.decode()


def test_russian_is_required_for_titles():
    field = Article._meta.get_field("title_ru")
    assert not field.blank
    assert Article._meta.get_field("title_az").blank
