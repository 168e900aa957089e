"""Reverting an article to a past version in the admin (django-simple-history's
"History" page): the version's tags and related articles come back with its text, and
what the version named that was deleted since (a lead image, the editor who made it)
is left empty rather than failing the revert."""

import pytest
from django.urls import reverse

from archive.models import Article, Image

from .factories import ArticleFactory, TagFactory
from .image_support import library_image, media_root  # noqa: F401 (a fixture)
from .richtext_support import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ru", "az"])
def test_reverting_brings_back_the_versions_tags_and_related_articles(editor_client, language):
    """The revert page showed today's tags and related articles (simple-history reads
    them from the article, not from the version), so reverting kept them."""
    kept, dropped, added = TagFactory(name_ru="ООН"), TagFactory(name_ru="Ханой"), TagFactory()
    neighbour, stranger = ArticleFactory(), ArticleFactory()
    article = ArticleFactory(title_ru="Конвенция подписана", tags=[kept, dropped])
    article.related.add(neighbour)
    version = article.history.latest()
    article.title_ru = "Конвенция подписана, правка"
    article.save()
    article.tags.set([kept, added])
    article.related.set([stranger])

    editor_client.cookies["django_language"] = language
    page = reverse("admin:archive_article_simple_history", args=[article.pk, version.history_id])
    data = form_data(editor_client.get(page).content.decode(), "historicalarticle_form")
    assert sorted(data["tags"]) == sorted(str(t.pk) for t in (kept, dropped))
    assert data["related"] == [str(neighbour.pk)]
    assert editor_client.post(page, data).status_code == 302

    article = Article.objects.get(pk=article.pk)
    assert article.title_ru == "Конвенция подписана"
    assert set(article.tags.all()) == {kept, dropped}
    assert list(article.related.all()) == [neighbour]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("media_root")
@pytest.mark.parametrize("language", ["ru", "az"])
def test_reverting_to_a_version_whose_picture_and_author_were_deleted_since(
    editor_client, django_user_model, language
):
    """The version keeps the ids: the revert failed reading the deleted picture
    (modeltranslation's save_form_data, for the editor's language's column), and would
    have written back the id of a deleted user, failing at commit."""
    gone, kept = library_image(name="gone.jpg"), library_image(name="kept.jpg")
    author = django_user_model.objects.create_user("author")
    article = ArticleFactory(
        title_ru="С картинкой", created_by=author, **{f"lead_image_{language}": gone}
    )
    other = "en" if language == "az" else "az"
    setattr(article, f"lead_image_{other}", kept)
    article.save()
    version = article.history.latest()
    article.title_ru = "С картинкой, правка"
    article.save()
    Image.objects.get(pk=gone.pk).delete()
    author.delete()

    editor_client.cookies["django_language"] = language
    page = reverse("admin:archive_article_simple_history", args=[article.pk, version.history_id])
    data = form_data(editor_client.get(page).content.decode(), "historicalarticle_form")
    assert editor_client.post(page, data).status_code == 302

    columns = ("title_ru", f"lead_image_{language}", f"lead_image_{other}", "created_by")
    raw = Article.objects.rewrite(False).values_list(*columns).get(pk=article.pk)
    assert raw == ("С картинкой", None, kept.pk, None)


@pytest.mark.parametrize(
    "address",
    [
        "/admin/archive/article/abc/history/",
        "/admin/archive/article/{pk}/history/abc/",
        "/admin/archive/article/abc/history/1/",
        "/admin/archive/rubric/abc/history/",
        "/admin/archive/tag/{tag}/history/abc/",
    ],
)
def test_a_history_address_whose_ids_are_not_numbers_is_not_found(editor_client, address):
    article, tag = ArticleFactory(), TagFactory()
    url = address.format(pk=article.pk, tag=tag.pk)
    assert editor_client.get(url).status_code == 404
