import pytest
from django.db import IntegrityError
from django.utils import timezone

from archive.models import Article, Tag

from .factories import ArticleFactory, RubricFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_published_is_the_one_definition_of_what_readers_see():
    now = timezone.now()
    visible = ArticleFactory(published_at=now - timezone.timedelta(minutes=1))
    ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=now + timezone.timedelta(hours=2))

    assert list(Article.objects.published()) == [visible]
    assert not scheduled.is_visible and visible.is_visible


def test_scheduled_article_becomes_visible_when_its_time_comes():
    article = ArticleFactory(published_at=timezone.now() + timezone.timedelta(seconds=60))
    assert not Article.objects.published().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_every_model_has_a_page_url():
    tag = TagFactory(name_ru="Нью-Йорк", kind=Tag.Kind.PLACE)
    article = ArticleFactory(tags=[tag])
    assert article.get_absolute_url() == f"/articles/{article.slug}/"
    assert tag.get_absolute_url() == "/tags/nyu-york/"
    assert article.rubric.get_absolute_url() == f"/rubrics/{article.rubric.slug}/"
    assert article.source.get_absolute_url() == f"/sources/{article.source.slug}/"


def test_tag_name_is_unique_per_kind():
    TagFactory(name_ru="Баку", kind=Tag.Kind.PLACE)
    TagFactory(name_ru="Баку", kind=Tag.Kind.TOPIC)  # same name, other kind: allowed
    with pytest.raises(IntegrityError):
        TagFactory(name_ru="Баку", kind=Tag.Kind.PLACE)


def test_slug_is_unique_and_stable_when_the_title_changes():
    first = ArticleFactory(title_ru="Конвенция ООН принята")
    second = ArticleFactory(title_ru="Конвенция ООН принята")
    assert (first.slug, second.slug) == ("konventsiya-oon-prinyata", "konventsiya-oon-prinyata-2")

    first.title_ru = "Конвенция ООН открыта для подписания"
    first.save()
    first.refresh_from_db()
    assert first.slug == "konventsiya-oon-prinyata"


def test_related_articles_are_symmetrical():
    a, b = ArticleFactory(), ArticleFactory()
    a.related.add(b)
    assert list(b.related.all()) == [a]


def test_rubric_with_articles_cannot_be_deleted_by_accident():
    rubric = RubricFactory()
    ArticleFactory(rubric=rubric)
    with pytest.raises(Exception, match="protected"):
        rubric.delete()


def test_history_records_each_edit_with_translations():
    article = ArticleFactory(title_ru="Первый заголовок")
    article.title_en = "First headline"
    article.save()
    latest = article.history.first()
    assert latest.title_en == "First headline"
    assert latest.title_ru == "Первый заголовок"
    assert article.history.count() == 2


def test_each_language_keeps_when_its_text_last_changed():
    article = ArticleFactory(title_ru="Конвенция", title_az="", title_en="")
    assert article.translation_state("az") == "missing"
    first_ru = article.text_edited["ru"]
    assert set(article.text_edited) == {"ru"}

    article = Article.objects.get(pk=article.pk)
    article.title_az = "Konvensiya"
    article.save()
    assert article.translation_state("az") == "current"
    assert article.text_edited["ru"] == first_ru  # Russian untouched, stamp kept
    assert article.text_edited["az"] > first_ru

    article = Article.objects.get(pk=article.pk)
    article.lead_ru = "Новый лид"
    article.save()
    assert article.translation_state("az") == "outdated"
    assert article.translation_state("en") == "missing"


def test_a_save_of_a_partly_loaded_article_leaves_the_stamps_alone():
    article = ArticleFactory(title_ru="Конвенция", title_az="Konvensiya")
    stamps = dict(article.text_edited)
    partial = Article.objects.only("pk", "status", "slug").get(pk=article.pk)
    partial.status = Article.Status.PUBLISHED
    partial.save(update_fields=["status", "text_edited"])
    assert Article.objects.get(pk=article.pk).text_edited == stamps
