"""A lead image per language (Article.lead_image is translated): a picture with words in
it shows in each language's own version where the article has one, and the Russian one
elsewhere, on the article page, cards, link previews, JSON-LD, feeds and the editor's
preview; in the same number of queries; chosen per language in the admin."""

import json
import re

import feedparser
import html5lib
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from archive.illustrations import MILESTONES, ensure_seed_images
from archive.models import Article

from . import pages_support
from .factories import ArticleFactory
from .image_support import library_image, media_root, photo  # noqa: F401 (a fixture)
from .pages_support import PREFIX, SEED_SLUG, parse_html
from .richtext_support import form_data

empty_cache = pages_support.empty_cache  # an autouse fixture
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

RENDITION = re.compile(r"/media/renditions/(\d+)/")


def picture_of(url):
    """The library image a rendition URL (or srcset) belongs to."""
    found = {int(pk) for pk in RENDITION.findall(url or "")}
    assert len(found) == 1, url
    return found.pop()


def url_in(code, article):
    with translation.override(code):
        return article.get_absolute_url()


def on_article_page(client, article, code):
    """{where: image pk} for the page's figure, link previews and JSON-LD, and its alt."""
    doc = parse_html(client.get(url_in(code, article)))
    img = doc.find(".//article[@class='article']//figure[@class='lead-image']//img")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")}
    data = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    return {
        "figure": picture_of(img.get("srcset")),
        "og:image": picture_of(meta["og:image"]),
        "twitter:image": picture_of(meta["twitter:image"]),
        "json-ld": picture_of(data["image"]["url"]),
    }, img.get("alt")


def on_home_page(client, article, code):
    """The picture beside the article's headline on the home page (lead story or card)."""
    doc = parse_html(client.get(PREFIX[code] + "/"))
    href = url_in(code, article)
    [story] = [
        element
        for element in doc.iter("article")
        if any(a.get("href") == href for a in element.findall(".//*[@class='headline']/a"))
    ]
    return picture_of(story.find(".//picture/img").get("srcset"))


def in_feeds(client, article, code):
    """(RSS enclosure, RSS thumbnail, Atom enclosure) of the article's item."""
    link = "http://testserver" + url_in(code, article)
    rss = feedparser.parse(client.get(PREFIX[code] + "/feed/").content)
    [item] = [entry for entry in rss.entries if entry.link == link]
    atom = feedparser.parse(client.get(PREFIX[code] + "/feed/atom/").content)
    [entry] = [entry for entry in atom.entries if entry.link == link]
    [atom_enclosure] = [link.href for link in entry.links if link.rel == "enclosure"]
    [rss_enclosure] = item.enclosures
    return (
        picture_of(rss_enclosure.href),
        picture_of(item.media_thumbnail[0]["url"]),
        picture_of(atom_enclosure),
    )


def everywhere(client, article, code):
    found, _alt = on_article_page(client, article, code)
    found["home"] = on_home_page(client, article, code)
    found["rss"], found["rss thumbnail"], found["atom"] = in_feeds(client, article, code)
    return found


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed", verbosity=0)
    ensure_seed_images()
    return Article.objects.get(slug=SEED_SLUG)


def test_the_seed_article_shows_each_languages_own_picture(client, seeded):
    [milestone] = [m for m in MILESTONES if m.slug == SEED_SLUG]
    for code in ("ru", "az", "en"):
        image = getattr(seeded, f"lead_image_{code}")
        suffix = "" if code == "ru" else f"-{code}"
        assert image.file.name == f"images/seed/{milestone.key}{suffix}.png"
        found = everywhere(client, seeded, code)
        assert found == dict.fromkeys(found, image.pk), code
        assert len(found) == 8
        # The alt text describes that version, in the page's language.
        _found, alt = on_article_page(client, seeded, code)
        assert alt == getattr(image, f"alt_{code}") and milestone.when[code] in alt
    # Three different pictures, each drawn with its own words.
    assert len({seeded.lead_image_ru_id, seeded.lead_image_az_id, seeded.lead_image_en_id}) == 3


@pytest.fixture
def pictures():
    return {
        name: library_image(photo(800, 450), name=f"{name}.jpg", alt_ru=f"Снимок {name}")
        for name in ("plain", "chart-ru", "chart-az")
    }


def test_without_its_own_picture_a_language_shows_the_russian_one(client, pictures):
    texts = {"title_az": "Başlıq", "title_en": "Headline", "lead_az": "Lid", "lead_en": "Lead"}
    plain = ArticleFactory(title_ru="Русская картинка", lead_image=pictures["plain"], **texts)
    chart = ArticleFactory(
        title_ru="Схема с версией на азербайджанском",
        lead_image_ru=pictures["chart-ru"],
        lead_image_az=pictures["chart-az"],
        **texts,
    )
    for code in ("ru", "az", "en"):
        found = everywhere(client, plain, code)
        assert found == dict.fromkeys(found, pictures["plain"].pk), code
    expected = {"ru": "chart-ru", "az": "chart-az", "en": "chart-ru"}
    for code, name in expected.items():
        found = everywhere(client, chart, code)
        assert found == dict.fromkeys(found, pictures[name].pk), code


def test_the_editors_preview_shows_the_languages_picture(editor_client, pictures):
    draft = ArticleFactory(
        status=Article.Status.DRAFT,
        title_az="Qaralama",
        lead_image_ru=pictures["chart-ru"],
        lead_image_az=pictures["chart-az"],
    )
    for code, name in {"ru": "chart-ru", "az": "chart-az", "en": "chart-ru"}.items():
        with translation.override(code):
            path = reverse("archive:article-preview", kwargs={"pk": draft.pk})
        doc = parse_html(editor_client.get(path))
        img = doc.find(".//figure[@class='lead-image']//img")
        assert picture_of(img.get("srcset")) == pictures[name].pk, code


@pytest.mark.parametrize("prefix", ["", "/az", "/en"])
def test_pictures_in_any_language_cost_no_query(
    client, prefix, django_assert_max_num_queries, django_assert_num_queries
):
    # Every way an article's pictures can be set, the fallback included: each picture
    # comes with the article's row, never in a query of its own.
    ru, az, en = (library_image(photo(400, 300), name=f"{c}.jpg") for c in ("ru", "az", "en"))
    ways = [
        {"lead_image_ru": ru},
        {"lead_image_ru": ru, "lead_image_az": az},
        {"lead_image_ru": ru, "lead_image_az": az, "lead_image_en": en},
        {"lead_image_az": az},
        {"lead_image_en": en},
        {},
    ]
    articles = [
        ArticleFactory(title_az=f"Məqalə {i}", title_en=f"Article {i}", **ways[i % len(ways)])
        for i in range(30)
    ]
    main = articles[0]
    main.related.add(*articles[1:9])
    # The same most as tests/test_querycounts.py and test_design.py, with no picture.
    for path, most in (
        ("/", 4),
        ("/articles/", 3),
        ("/articles/?page=2", 3),
        ("/feed/", 4),
        ("/feed/atom/", 4),
        (url_in("ru", main), 5),
    ):
        with django_assert_max_num_queries(most):
            response = client.get(prefix + path)
        assert response.status_code == 200
        assert b"/media/renditions/" in response.content
    with django_assert_max_num_queries(3):  # the article page, warm: three
        client.get(prefix + url_in("ru", main))


def test_an_editor_sets_the_azerbaijani_and_english_lead_images(editor_client, pictures):
    article = ArticleFactory(title_ru="Схема", title_az="Sxem", lead_image=pictures["chart-ru"])
    change = reverse("admin:archive_article_change", args=[article.pk])
    data = form_data(editor_client.get(change).content.decode())
    assert data["lead_image_ru"] == [str(pictures["chart-ru"].pk)]
    # (an empty autocomplete has no option selected: nothing chosen, nothing sent)
    assert not any(data.get(f"lead_image_{code}", [""])[0] for code in ("az", "en"))
    data.update(lead_image_az=[str(pictures["chart-az"].pk)], _translation_language=["az"])
    response = editor_client.post(change, data)
    assert response.status_code == 302 and response["Location"].endswith("#lang=az")
    article.refresh_from_db()
    assert article.lead_image_ru == pictures["chart-ru"]
    assert article.lead_image_az == pictures["chart-az"]
    assert article.lead_image_en is None
    # The form now shows the Azerbaijani choice under its language, no fallback note.
    # (Not strict: Django's own Russian admin strings put quotes inside an attribute.)
    doc = html5lib.parse(editor_client.get(change).content.decode(), namespaceHTMLElements=False)
    preview = doc.find(".//div[@lang='az'][@class='lead-image-preview']")
    assert picture_of(preview.find(".//img").get("src")) == pictures["chart-az"].pk
    assert preview.find(".//p[@class='lead-image-fallback help']").get("hidden") is not None
    # English too, and an emptied choice falls back again.
    data = form_data(editor_client.get(change).content.decode())
    data.update(lead_image_en=[str(pictures["plain"].pk)], lead_image_az=[""])
    assert editor_client.post(change, data).status_code == 302
    article.refresh_from_db()
    assert (article.lead_image_az, article.lead_image_en) == (None, pictures["plain"])
    # Each change is in the article's history.
    versions = article.history.order_by("history_date")
    assert [v.lead_image_az_id for v in versions][-2:] == [pictures["chart-az"].pk, None]
    assert versions.last().lead_image_en_id == pictures["plain"].pk
    # The history page says it in words, by language: an empty choice is «—», not a
    # deleted image.
    page = editor_client.get(reverse("admin:archive_article_history", args=[article.pk]))
    doc = html5lib.parse(page.content.decode(), namespaceHTMLElements=False)
    latest = next(tr for tr in doc.iter("tr") if tr.find(".//li") is not None)  # newest first
    assert [" ".join("".join(li.itertext()).split()) for li in latest.iter("li")] == [
        "Главное изображение [az]: Снимок chart-az → —",
        "Главное изображение [en]: — → Снимок plain",
    ]
