"""The lead image where readers and subscribers meet articles: the article page (a
responsive <figure>), cards, link previews (Open Graph, Twitter), JSON-LD and feeds."""

import importlib
import json
import warnings

import feedparser
import pytest
from django.urls import clear_url_caches, reverse
from django.utils import translation

from archive.pictures import SIZES
from archive.renditions import renditions_of

from . import pages_support
from .factories import ArticleFactory
from .image_support import library_image, media_root, photo  # noqa: F401 (a fixture)
from .pages_support import parse_html

empty_cache = pages_support.empty_cache  # an autouse fixture
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ARTICLE_SIZES = SIZES["article"]


@pytest.fixture
def illustrated():
    image = library_image(
        photo(1800, 1000),
        alt_ru="Красный и синий прямоугольники",
        alt_en="Red and blue rectangles",
        caption_ru="Подпись к снимку",
        credit="Фото: АПА",
    )
    return ArticleFactory(title_ru="Статья со снимком", title_en="Illustrated", lead_image=image)


def in_language(code, name, *args):
    with translation.override(code):
        return reverse(f"archive:{name}", args=args)


def test_the_article_page_shows_a_responsive_figure(client, illustrated):
    image = illustrated.lead_image
    doc = parse_html(client.get(illustrated.get_absolute_url()))
    [figure] = doc.findall(".//article[@class='article']//figure[@class='lead-image']")
    source, img = figure.find("picture/source"), figure.find("picture/img")
    made = renditions_of(image)
    assert [r.width for r in made] == [320, 640, 1024, 1600]
    assert source.get("type") == "image/webp"
    assert source.get("srcset") == ", ".join(f"/media/{r.webp} {r.width}w" for r in made)
    assert img.get("srcset") == ", ".join(f"/media/{r.jpeg} {r.width}w" for r in made)
    assert source.get("sizes") == img.get("sizes") == ARTICLE_SIZES
    assert img.get("src") == f"/media/{made[2].jpeg}"
    assert (img.get("width"), img.get("height")) == ("1024", "569")
    assert img.get("alt") == "Красный и синий прямоугольники"
    assert img.get("loading") is None and img.get("fetchpriority") == "high"
    caption = " ".join("".join(figure.find("figcaption").itertext()).split())
    assert caption == "Подпись к снимку Изображение: Фото: АПА"


def test_alt_and_caption_follow_the_language_with_the_russian_marked(client, illustrated):
    doc = parse_html(client.get(in_language("en", "article-detail", illustrated.slug)))
    img = doc.find(".//figure[@class='lead-image']//img")
    assert img.get("alt") == "Red and blue rectangles" and img.get("lang") is None
    caption = doc.find(".//figure[@class='lead-image']/figcaption/span")
    assert caption.text == "Подпись к снимку" and caption.get("lang") == "ru"
    doc = parse_html(client.get(in_language("az", "article-detail", illustrated.slug)))
    img = doc.find(".//figure[@class='lead-image']//img")
    assert img.get("alt") == "Красный и синий прямоугольники" and img.get("lang") == "ru"


def test_link_previews_and_json_ld_name_the_widest_jpeg(client, illustrated):
    image = illustrated.lead_image
    widest = renditions_of(image)[-1]
    doc = parse_html(client.get(illustrated.get_absolute_url()))
    meta = {
        m.get("property") or m.get("name"): m.get("content") for m in doc.findall(".//head/meta")
    }
    absolute = f"http://testserver/media/{widest.jpeg}"
    assert meta["og:image"] == absolute and meta["twitter:image"] == absolute
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1600", "889")
    assert meta["og:image:type"] == "image/jpeg"
    assert meta["og:image:alt"] == meta["twitter:image:alt"] == "Красный и синий прямоугольники"
    assert meta["twitter:card"] == "summary_large_image"
    data = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    assert data["image"] == {
        "@type": "ImageObject",
        "url": absolute,
        "contentUrl": absolute,
        "width": 1600,
        "height": 889,
        "encodingFormat": "image/jpeg",
        "caption": "Подпись к снимку",
        "creditText": "Фото: АПА",
    }


def test_an_article_without_an_image_has_no_figure_and_a_small_card(client):
    article = ArticleFactory()
    doc = parse_html(client.get(article.get_absolute_url()))
    assert doc.find(".//figure[@class='lead-image']") is None
    meta = {m.get("name"): m.get("content") for m in doc.findall(".//head/meta[@name]")}
    assert meta["twitter:card"] == "summary"
    assert doc.find(".//head/meta[@property='og:image']") is None
    assert "image" not in json.loads(doc.find(".//script[@type='application/ld+json']").text)


def test_cards_show_a_lazy_decorative_thumbnail(client, illustrated):
    plain = ArticleFactory(title_ru="Без снимка")
    plain.related.add(illustrated)
    for path in (reverse("archive:article-list"), plain.get_absolute_url()):
        doc = parse_html(client.get(path))
        cards = {
            "".join(card.find("*[@class='headline']/a").itertext()): card
            for card in doc.iter("article")
            if card.get("class", "").split()[:1] == ["card"]
        }
        # A list: a thumbnail beside the text; an article's aside: a tile's picture on top.
        if path == reverse("archive:article-list"):
            kind, sizes = "thumbnail", "(max-width: 575px) 80px, 144px"
        else:
            kind, sizes = "tile-picture", SIZES["tile"]
        thumb = cards["Статья со снимком"].find(f"picture[@class='{kind}']/img")
        assert thumb.get("loading") == "lazy" and thumb.get("alt") == ""
        assert thumb.get("sizes") == sizes
        assert thumb.get("srcset").startswith(f"/media/renditions/{illustrated.lead_image_id}/")
        if path == reverse("archive:article-list"):
            assert cards["Без снимка"].find(".//picture") is None


def test_list_pages_keep_their_query_counts_with_images(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    for i in range(25):
        ArticleFactory(lead_image=library_image(photo(400, 300), name=f"p{i}.jpg"))
    for path, most in (("/", 4), ("/articles/", 3), ("/articles/?page=2", 3), ("/feed/", 4)):
        with django_assert_max_num_queries(most):
            response = client.get(path)
        assert response.status_code == 200
        assert response.content.count(b"/media/renditions/") >= (5 if path != "/" else 10)


def test_an_edited_image_refreshes_cached_lists(client, illustrated):
    image = illustrated.lead_image
    assert b"/media/renditions/" in client.get("/articles/").content  # now cached
    first = client.get("/feed/").content
    image.credit = "Другой автор"
    image.save()
    image.renditions = {}
    image.save()
    assert b"/media/renditions/" not in client.get("/articles/").content
    assert client.get("/feed/").content != first


# Feeds ------------------------------------------------------------------------------------


def test_feeds_carry_the_image_as_enclosure_and_thumbnail(client, illustrated):
    image = illustrated.lead_image
    made = {r.width: r for r in renditions_of(image)}
    rss = feedparser.parse(client.get("/feed/").content)
    [entry] = rss.entries
    [enclosure] = entry.enclosures
    assert enclosure.href == f"http://testserver/media/{made[1024].jpeg}"
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == made[1024].jpeg_bytes
    [thumbnail] = entry.media_thumbnail
    assert thumbnail == {
        "url": f"http://testserver/media/{made[640].jpeg}",
        "width": "640",
        "height": "356",
    }
    atom = feedparser.parse(client.get("/feed/atom/").content)
    [entry] = atom.entries
    links = [link for link in entry.links if link.rel == "enclosure"]
    assert [(link.href, link.type, int(link.length)) for link in links] == [
        (f"http://testserver/media/{made[1024].jpeg}", "image/jpeg", made[1024].jpeg_bytes)
    ]
    assert entry.media_thumbnail[0]["url"].endswith(made[640].jpeg)


def test_a_video_file_keeps_the_one_rss_enclosure_and_atom_lists_both(client, illustrated):
    illustrated.video_url = "https://video.example.org/report.mp4"
    illustrated.save()
    rss = feedparser.parse(client.get("/feed/").content)
    assert [e.type for e in rss.entries[0].enclosures] == ["video/mp4"]
    assert rss.entries[0].media_thumbnail[0]["url"].endswith("-640.jpg")
    atom = feedparser.parse(client.get("/feed/atom/").content)
    types = [link.type for link in atom.entries[0].links if link.rel == "enclosure"]
    assert types == ["video/mp4", "image/jpeg"]


# Serving ----------------------------------------------------------------------------------


@pytest.fixture
def debug_urls(settings):
    """The URLconf as `DEBUG=1 manage.py runserver` builds it."""
    import archive.urls

    def reload():
        with warnings.catch_warnings():  # the date converters register themselves again
            warnings.filterwarnings("ignore", "Converter .* is already registered")
            importlib.reload(archive.urls)
        clear_url_caches()

    settings.DEBUG = True
    reload()
    yield
    settings.DEBUG = False
    reload()


def test_media_is_served_in_debug_with_the_site_headers(client, illustrated, debug_urls):
    rendition = renditions_of(illustrated.lead_image)[0]
    response = client.get(f"/media/{rendition.webp}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "img-src 'self'" in response.headers.get(
        "Content-Security-Policy", response.headers.get("Content-Security-Policy-Report-Only", "")
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"RIFF") and len(body) == rendition.webp_bytes


def test_media_is_not_served_by_django_in_production(client, illustrated):
    rendition = renditions_of(illustrated.lead_image)[0]
    assert client.get(f"/media/{rendition.jpeg}").status_code == 404
