"""Preview of drafts and scheduled articles (archive/preview.py): staff see the article
on the site's own template with a banner, in every language, never cached or indexed;
anyone else is sent to the login; what readers see is unchanged."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from archive.models import Article

from .factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

HOUR = timezone.timedelta(hours=1)


def preview(pk, lang=""):
    return f"{'/' + lang if lang else ''}/preview/{pk}/"


@pytest.fixture
def draft():
    return ArticleFactory(
        title_ru="Черновик о конвенции",
        title_az="Konvensiya haqqında qaralama",
        body_ru="<p>Текст черновика.</p>",
        body_az="<p>Qaralamanın mətni.</p>",
        status=Article.Status.DRAFT,
    )


def test_staff_see_a_draft_with_the_banner_and_no_index_headers(editor_client, draft):
    response = editor_client.get(preview(draft.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "archive/article_detail.html" in [t.name for t in response.templates]
    assert "<h1>Черновик о конвенции</h1>" in html and "Текст черновика." in html
    banner = re.search(r'<aside class="preview-banner preview-draft".*?</aside>', html, re.S)
    assert "Предпросмотр: черновик, читатели не видят эту страницу." in banner.group(0)
    assert f'href="/admin/archive/article/{draft.pk}/change/"' in banner.group(0)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'rel="canonical"' not in html and 'hreflang="x-default"' not in html


def test_the_public_page_of_a_draft_stays_404(client, editor_client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert editor_client.get(draft.get_absolute_url()).status_code == 404


def test_anonymous_and_non_staff_are_sent_to_the_login(client, django_user_model, draft):
    login = reverse("admin:login")
    response = client.get(preview(draft.pk))
    assert response.status_code == 302
    assert response["Location"] == f"{login}?next={preview(draft.pk)}"
    assert "Черновик" not in response.content.decode()
    # The same for an article that does not exist: the answer tells nothing.
    assert client.get(preview(draft.pk + 1000))["Location"].startswith(login)
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    response = client.get(preview(draft.pk), follow=True)
    assert response.redirect_chain[0][0].startswith(login)
    assert "Черновик о конвенции" not in response.content.decode()


def test_staff_without_article_rights_are_refused(client, django_user_model, draft):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(preview(draft.pk)).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(clerk)
    assert client.get(preview(draft.pk)).status_code == 200


def test_a_scheduled_article_says_when_it_goes_live(editor_client):
    when = timezone.localtime(timezone.now() + 30 * HOUR).replace(second=0, microsecond=0)
    article = ArticleFactory(title_ru="Завтрашняя новость", published_at=when)
    assert editor_client.get(article.get_absolute_url()).status_code == 404
    html = editor_client.get(preview(article.pk)).content.decode()
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря"]  # fmt: skip
    day = f"{when.day} {months[when.month - 1]} {when.year} г., {when:%H:%M}"
    assert f"Предпросмотр: запланировано на {day} — читатели не видят эту страницу." in html
    assert "Завтрашняя новость" in html


def test_every_language_keeps_the_preview(editor_client, draft):
    html = editor_client.get(preview(draft.pk, "az")).content.decode()
    assert '<html lang="az">' in html
    assert "Önbaxış: qaralama, oxucular bu səhifəni görmür." in html
    assert "Konvensiya haqqında qaralama" in html
    switcher = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    assert set(re.findall(r'href="([^"]+)"', switcher)) == {
        preview(draft.pk),
        preview(draft.pk, "az"),
        preview(draft.pk, "en"),
    }
    # "Other languages" under the article leads to the preview too, not to a 404.
    assert f'href="{preview(draft.pk)}" hreflang="ru"' in html
    html = editor_client.get(preview(draft.pk, "en")).content.decode()
    assert "Preview: draft, readers do not see this page." in html


def test_a_published_article_previews_and_its_page_is_unaffected(editor_client, client):
    article = ArticleFactory(title_ru="Опубликованная статья")
    html = editor_client.get(preview(article.pk)).content.decode()
    assert "preview-published" in html and f'href="{article.get_absolute_url()}"' in html
    for viewer in (client, editor_client):
        response = viewer.get(article.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert "preview-banner" not in page and "noindex" not in page
        assert 'rel="canonical"' in page and "X-Robots-Tag" not in response.headers


def test_queries_do_not_grow_with_tags_and_related(editor_client, django_assert_num_queries):
    article = ArticleFactory(status=Article.Status.DRAFT)
    article.tags.add(*[TagFactory() for _ in range(6)])
    article.related.add(*[ArticleFactory() for _ in range(6)])
    # session, user, and the article page's three (article, tags, related articles)
    with django_assert_num_queries(5):
        assert editor_client.get(preview(article.pk)).status_code == 200


def test_drafts_stay_out_of_sitemaps_and_feeds(client, editor_client, draft):
    ArticleFactory(title_ru="Вышедшая статья")
    scheduled = ArticleFactory(title_ru="Будущая статья", published_at=timezone.now() + HOUR)
    assert editor_client.get(preview(scheduled.pk)).status_code == 200
    for path in ("/sitemap-articles.xml", "/feed/", "/feed/atom/", "/az/feed/language/"):
        body = client.get(path).content.decode()
        assert "Черновик о конвенции" not in body and "Будущая статья" not in body, path
        assert "/preview/" not in body, path
    assert "Вышедшая статья" in client.get("/feed/").content.decode()
    assert "/preview/" not in client.get("/robots.txt").content.decode()


def test_change_form_has_the_preview_button_and_adding_says_where_it_is(editor_client, draft):
    html = editor_client.get(reverse("admin:archive_article_change", args=[draft.pk])).content
    assert f'href="{preview(draft.pk)}" class="previewlink"'.encode() in html
    now = timezone.localtime()
    response = editor_client.post(
        reverse("admin:archive_article_add"),
        {
            "title_ru": "Новая заметка",
            "status": "draft",
            "published_at_0": now.strftime("%d.%m.%Y"),
            "published_at_1": now.strftime("%H:%M:%S"),
            "_continue": "1",
        },
        follow=True,
    )
    article = Article.objects.get(title_ru="Новая заметка")
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:archive_article_change", args=[article.pk]
    )
    assert (
        f'<a href="{preview(article.pk)}" target="_blank" rel="noopener">Предпросмотр</a>' in html
    )
    assert f'href="{preview(article.pk)}" class="previewlink"' in html
