"""The news-site design as the server renders it: the home's lead story, main block,
headline column and rubric blocks (each article once, in a fixed number of queries);
tags that stay small; cards that do not repeat the page's rubric; breadcrumbs from
«Главная»; the icons, /favicon.ico first. The browser half is test_browser_design.py."""

import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from PIL import Image as PILImage

from archive import front, icons
from archive.models import Tag

from . import pages_support
from .factories import ArticleFactory, RubricFactory, TagFactory
from .image_support import library_image, media_root, photo  # noqa: F401 (a fixture)
from .pages_support import head_links, parse_html, text_of

empty_cache = pages_support.empty_cache  # fixtures used by the tests below
seed = pages_support.seed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
SITE_CSS = Path(settings.BASE_DIR) / "archive" / "static" / "archive" / "site.css"


def baku(*args):
    return timezone.make_aware(datetime(*args), timezone.get_default_timezone())


def build_front(rubric_count=3, per_rubric=8, pictures=()):
    """`per_rubric` articles in each of `rubric_count` rubrics, one an hour, the newest
    first in rubric order; the article numbers in `pictures` (0 = the newest) get one."""
    rubrics = [RubricFactory(name_ru=f"Рубрика {i}", position=i) for i in range(rubric_count)]
    tags = [TagFactory(name_ru=f"Тема {i}", kind=Tag.Kind.TOPIC) for i in range(6)]
    start = baku(2025, 3, 1, 12)
    articles = []
    for n in range(rubric_count * per_rubric):
        image = library_image(photo(640, 360), name=f"p{n}.jpg") if n in pictures else None
        articles.append(
            ArticleFactory(
                title_ru=f"Статья {n}",
                rubric=rubrics[n % rubric_count],
                published_at=start - timedelta(hours=n),
                lead_image=image,
                tags=tags[: 1 + n % len(tags)],
            )
        )
    return rubrics, articles


def headline_titles(doc, path):
    return [text_of(a) for a in doc.findall(f"{path}//*[@class='headline']/a")]


def test_the_lead_is_the_newest_story_with_a_picture_and_shows_it(client):
    # The newest (0) has no picture; the third newest (2) has.
    _rubrics, articles = build_front(pictures={2, 5})
    doc = parse_html(client.get("/"))
    [lead] = doc.findall(".//article[@class='lead-story']")
    assert text_of(lead.find(".//*[@class='headline']")) == "Статья 2"
    img = lead.find("picture[@class='lead-picture']/img")
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    assert img.get("srcset").startswith(f"/media/renditions/{articles[2].lead_image_id}/")
    assert img.get("sizes").startswith("(min-width: 1536px) 1072px")
    # The main block: the next four, newest first, as tiles; the newest is among them.
    main = headline_titles(doc, ".//section[@class='latest']/div[@class='tiles']")
    assert main == ["Статья 0", "Статья 1", "Статья 3", "Статья 4"]
    tiles = doc.findall(".//div[@class='tiles']/article")
    assert {t.get("class") for t in tiles} == {"card tile"}


def test_without_any_picture_the_newest_leads(client):
    build_front()
    doc = parse_html(client.get("/"))
    [lead] = doc.findall(".//article[@class='lead-story']")
    assert text_of(lead.find(".//*[@class='headline']")) == "Статья 0"
    assert lead.find(".//picture") is None
    # No picture beside them: fewer headlines make the column as long as the stories.
    headlines = doc.findall(".//aside[@class='headlines']//ul[@class='headline-list']/li")
    assert len(headlines) == front.HEADLINES_FOR_TEXT


def test_every_story_shows_once_and_rubric_blocks_follow_the_rubrics(client):
    rubrics, _articles = build_front(rubric_count=3, per_rubric=10, pictures={0, 1})
    doc = parse_html(client.get("/"))
    headlines = doc.findall(".//aside[@class='headlines']//ul[@class='headline-list']/li/a")
    # The lead's and one row's pictures: text + 3 + 2 headlines beside them.
    assert len(headlines) == front.HEADLINES_FOR_TEXT + 3 + 2
    blocks = doc.findall(".//section[@class='rubric-block']")
    assert [text_of(b.find("h3")) for b in blocks] == ["Рубрика 0", "Рубрика 1", "Рубрика 2"]
    assert [b.find("h3/a").get("href") for b in blocks] == [r.get_absolute_url() for r in rubrics]
    for block in blocks:
        # A tile, then compact headlines: four stories; the block's own rubric not repeated.
        assert len(block.findall(".//a[@href]")) == 1 + front.RUBRIC_STORIES
        assert block.find(".//p[@class='eyebrow']") is None
    shown = [a.get("href") for a in doc.findall(".//main//a") if "/articles/" in a.get("href")]
    shown = [h for h in shown if h != "/articles/"]
    assert len(shown) == len(set(shown)) == 1 + 4 + len(headlines) + 3 * front.RUBRIC_STORIES


@pytest.mark.parametrize("rubric_count", [2, 7])
def test_the_home_takes_the_same_queries_however_many_rubrics(
    client, rubric_count, django_assert_num_queries
):
    build_front(rubric_count=rubric_count, per_rubric=12, pictures={0, 3})
    # The content version, the newest articles, each rubric's newest, the tags.
    with django_assert_num_queries(4):
        doc = parse_html(client.get("/"))
    assert len(doc.findall(".//section[@class='rubric-block']")) == rubric_count


def test_popular_tags_are_chips_of_one_size_and_the_cloud_stays_small(client, seed):
    doc = parse_html(client.get("/"))
    section = doc.find(".//section[@class='popular-tags']")
    chips = section.findall("ul[@class='chips']/li")
    counts = {
        text_of(li.find("a/span")): text_of(li.find(".//span[@class='visually-hidden']"))
        for li in chips[:-1]
    }
    assert counts["киберпреступность"] == "5 статей" and counts["Комитет «Ad Hoc»"] == "4 статьи"
    assert all("class" not in li.attrib for li in chips[:-1])  # no weights on the home
    assert chips[-1].get("class") == "all"
    assert doc.find(".//ul[@class='cloud']") is None
    # The tag index's cloud: its largest weight is 1.125rem (18-20 px), not 30 px.
    css = SITE_CSS.read_text()
    sizes = dict(re.findall(r"ul\.cloud \.(w\d) a \{ font-size: ([\d.]+)rem", css))
    assert sorted(sizes) == ["w1", "w2", "w3", "w4", "w5"]
    assert max(float(s) for s in sizes.values()) <= 1.125


def test_rubric_pages_do_not_repeat_their_rubric_on_cards(client, seed):
    rubric_page = parse_html(client.get("/rubrics/ikt/"))
    cards = rubric_page.findall(".//main/article")
    assert len(cards) == 5
    assert all(card.find("p[@class='eyebrow']") is None for card in cards)
    # A tag's page names each card's rubric.
    tag_page = parse_html(client.get("/tags/oon/"))
    eyebrows = [text_of(p) for p in tag_page.findall(".//main/article/p[@class='eyebrow']")]
    assert eyebrows == ["ИКТ"] * 5


@pytest.mark.parametrize(
    ("path", "crumbs"),
    [
        ("/2024/", ["Главная", "Архив", "2024"]),
        ("/2024/08/", ["Главная", "Архив", "2024", "Август"]),
        ("/2024/08/09/", ["Главная", "Архив", "2024", "Август", "9"]),
        ("/az/2024/08/09/", ["Ana səhifə", "Arxiv", "2024", "Avqust", "9"]),
        ("/en/2024/08/", ["Home", "Archive", "2024", "August"]),
    ],
)
def test_date_pages_breadcrumbs_start_at_home(client, seed, path, crumbs):
    doc = parse_html(client.get(path))
    items = doc.findall(".//nav[@class='breadcrumbs']/ol/li")
    assert [text_of(li) for li in items] == crumbs
    prefix = "/az" if path.startswith("/az/") else "/en" if path.startswith("/en/") else ""
    links = [li.find("a").get("href") for li in items[:-1]]
    assert links[:3] == [f"{prefix}/", f"{prefix}/archive/", f"{prefix}/2024/"][: len(links)]
    assert items[-1].find("span").get("aria-current") == "page"


def test_the_article_puts_tags_languages_and_related_in_its_aside(client, seed):
    other = ArticleFactory(title_ru="Статья не из сюжета", lead_image=library_image(photo()))
    seed.related.add(other)
    doc = parse_html(client.get(seed.get_absolute_url()))
    layout = doc.find(".//main/div[@class='article-layout']")
    column, aside = list(layout)
    # The text, then its story's timeline, in one column; the aside beside them.
    assert column.get("class") == "article-main" and aside.tag == "aside"
    assert [child.tag for child in column] == ["article", "section"]
    assert column[1].get("class") == "timeline-block"
    sections = [s.get("class") for s in aside.findall("section")]
    assert sections == ["tags", "translations", "related"]
    assert len(aside.findall(".//section[@class='tags']//ul[@class='chips']/li")) == 15
    [tile] = aside.findall("section[@class='related']/article")
    assert tile.get("class") == "card tile"
    assert tile.find("picture[@class='tile-picture']/img").get("loading") == "lazy"
    assert tile.find("p[@class='summary']") is None  # brief


def test_the_footer_offers_sections_languages_and_feeds(client, seed):
    doc = parse_html(client.get("/en/"))
    footer = doc.find(".//body/footer[@class='site-footer']")
    sections = {text_of(a): a.get("href") for a in footer.findall(".//nav//a")}
    assert sections == {
        "All articles": "/en/articles/",
        "Rubrics": "/en/rubrics/",
        "Stories": "/en/stories/",
        "Tags": "/en/tags/",
        "Sources": "/en/sources/",
        "Archive by date": "/en/archive/",
        "Search the archive": "/en/search/",
    }
    languages = footer.findall(".//div[@class='footer-languages']//a")
    assert [(a.get("hreflang"), a.get("href")) for a in languages] == [
        ("ru", "/"),
        ("az", "/az/"),
        ("en", "/en/"),
    ]
    assert languages[2].get("aria-current") == "true"
    feeds = {a.get("href") for a in footer.findall(".//section[@class='feeds']//a")}
    assert {"/en/feed/", "/en/feed/atom/"} <= feeds
    assert footer.find(".//a[@href='/en/sources/']") is not None


def test_the_header_menu_leads_to_every_section_in_the_pages_language(client, seed):
    for prefix, stories in (("", "Сюжеты"), ("/az", "Süjetlər"), ("/en", "Stories")):
        doc = parse_html(client.get(prefix + "/"))
        menu = doc.find(".//body/header/nav")
        links = {text_of(a): a.get("href") for a in menu.findall("ul[2]/li/a")}
        assert links[stories] == prefix + "/stories/"
        assert len(links) == 5


def test_favicon_is_a_real_icon_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    data = b"".join(response.streaming_content)
    ico = PILImage.open(io.BytesIO(data))
    assert ico.format == "ICO"
    assert ico.ico.sizes() == {(16, 16), (32, 32), (48, 48)}
    touch = client.get("/apple-touch-icon.png")
    assert touch.status_code == 200 and touch["Content-Type"] == "image/png"
    assert PILImage.open(io.BytesIO(b"".join(touch.streaming_content))).size == (180, 180)


@pytest.mark.parametrize("path", ["/", "/en/tags/", "/az/2024/", "/az/"])
def test_every_page_links_its_icons_and_manifest(client, seed, path):
    doc = parse_html(client.get(path))
    icon_links = {(link.get("type"), link["href"]) for link in head_links(doc, "icon")}
    assert icon_links == {
        (None, "/favicon.ico"),
        ("image/svg+xml", static("archive/icons/icon.svg")),
    }
    [touch] = head_links(doc, "apple-touch-icon")
    [manifest] = head_links(doc, "manifest")
    for href, kind in (
        (touch["href"], "image/png"),
        (manifest["href"], "application/manifest+json"),
    ):
        response = client.get(href)
        assert response.status_code == 200, href
        assert response["Content-Type"] == kind
    data = json.loads(b"".join(client.get(manifest["href"]).streaming_content))
    # The installed site is named, and starts, in the page's language.
    lang = doc.get("lang")
    start = {"ru": "/", "az": "/az/", "en": "/en/"}[lang]
    name = {"ru": "Архив новостей", "az": "Xəbər arxivi", "en": "News archive"}[lang]
    assert (data["lang"], data["start_url"], data["name"]) == (lang, start, name)
    base = manifest["href"].rsplit("/", 1)[0]
    for icon in data["icons"]:
        response = client.get(f"{base}/{icon['src']}")
        assert response.status_code == 200, icon
        if icon["type"] == "image/png":
            picture = PILImage.open(io.BytesIO(b"".join(response.streaming_content)))
            assert "x".join(map(str, picture.size)) == icon["sizes"]


def test_the_icon_files_are_what_draw_icons_writes():
    """The committed files are the drawing's: `manage.py draw_icons` reproduces them."""
    for path, data in icons.files().items():
        assert path.read_bytes() == data, path
    svg = icons.svg()
    assert svg.startswith("<svg") and 'fill-rule="evenodd"' in svg and icons.RED in svg
