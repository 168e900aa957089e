"""Every feed read back with feedparser as a subscriber would, conditional GET with real
headers, and feeds following what editors publish, edit and unpublish."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import feedparser
import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date

from archive.feeds.base import ArticleFeed
from archive.models import Article, Rubric, Source, Tag

from . import pages_support
from .factories import ArticleFactory, RubricFactory, SourceFactory, TagFactory
from .pages_support import (
    LANGUAGES,
    SEED_SLUG,
    head_links,
    parse_html,
)

empty_cache = pages_support.empty_cache  # fixtures used by the tests below
seed = pages_support.seed

pytestmark = pytest.mark.django_db

RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
FEEDS = [
    ("feed", ()),
    ("language-feed", ()),
    ("rubric-feed", ("ikt",)),
    ("tag-feed", ("oon",)),
    ("tag-feed", ("gasan-mansurov",)),
    ("source-feed", ("apa",)),
]


def feed_url(name, lang="ru", *args, atom=False):
    with translation.override(lang):
        return reverse(f"archive:{name}{'-atom' if atom else ''}", args=args)


def read(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "args"), FEEDS, ids=[f"{n}-{'-'.join(a)}" for n, a in FEEDS])
def test_every_feed_reads_back(client, seed, name, args, lang, atom):
    response, parsed = read(client, feed_url(name, lang, *args, atom=atom))
    assert parsed.version == ("atom10" if atom else "rss20")
    assert response["Content-Type"].startswith(
        "application/atom+xml" if atom else "application/rss+xml"
    )
    expected = {"feed": 5, "language-feed": 5, "rubric-feed": 5, "source-feed": 1}.get(name)
    if name == "tag-feed":
        expected = 5 if args == ("oon",) else 1
    assert len(parsed.entries) == expected
    assert parsed.feed.language == lang if not atom else True
    seed_entry = next(e for e in parsed.entries if SEED_SLUG in e.link)
    with translation.override(lang):
        assert seed_entry.link == "http://testserver" + reverse(
            "archive:article-detail", args=[SEED_SLUG]
        )
        seed.refresh_from_db()
        assert seed_entry.title == seed.title
        tag_names = {t.name for t in seed.tags.all()}
    terms = {t.term for t in seed_entry.tags}
    assert tag_names | {({"ru": "ИКТ", "az": "İKT", "en": "ICT"}[lang])} == terms
    assert seed_entry.published_parsed[:6] == (2024, 8, 9, 8, 0, 0)
    assert seed_entry.id.startswith("urn:uuid:")
    assert seed_entry.summary  # the beginning of the body: the seed has no lead
    assert seed_entry.content[0].value.startswith("<p>")
    assert seed_entry.author == "APA"
    assert seed_entry.source.title == "APA"
    source_feed = "http://testserver" + feed_url("source-feed", lang, "apa", atom=atom)
    if atom:
        assert seed_entry.source.id == source_feed
        assert seed_entry.source.link == "https://apa.az"
    else:
        assert seed_entry.source.href == source_feed
    # Newest first.
    dates = [e.published_parsed for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)


def test_rss_dates_are_rfc_822(client, seed):
    response = client.get("/feed/")
    pub_dates = re.findall(r"<pubDate>([^<]+)</pubDate>", response.content.decode())
    assert len(pub_dates) == 5
    assert all(RFC822.match(d) for d in pub_dates), pub_dates
    assert parsedate_to_datetime(pub_dates[-1]) == datetime(2019, 12, 27, 8, 0, tzinfo=UTC)
    assert '<guid isPermaLink="false">urn:uuid:' in response.content.decode()


def test_the_guid_never_changes(client, db, django_capture_on_commit_callbacks):
    article = ArticleFactory(title_ru="Первое название")
    before = {e.link: e.id for e in read(client, "/feed/")[1].entries}
    before_en = read(client, "/en/feed/")[1].entries[0].id
    with django_capture_on_commit_callbacks(execute=True):
        article.title_ru = "Новое название"
        article.slug = "novyy-adres"
        article.published_at -= timedelta(minutes=5)
        article.save()
    [entry] = read(client, "/feed/")[1].entries
    assert entry.title == "Новое название"
    assert entry.id == next(iter(before.values()))
    assert read(client, "/en/feed/")[1].entries[0].id == before_en != entry.id


def test_video_is_an_enclosure_or_a_media_player(client, db):
    ArticleFactory(title_ru="С файлом", video_url="https://video.example.org/report.mp4")
    ArticleFactory(
        title_ru="Со страницей",
        video_url="https://www.youtube.com/watch?v=abc",
        published_at=timezone.now() - timedelta(hours=2),
    )
    for path in ("/feed/", "/feed/atom/"):
        file_entry, page_entry = read(client, path)[1].entries
        [enclosure] = file_entry.enclosures
        assert enclosure.href == "https://video.example.org/report.mp4"
        assert enclosure.type == "video/mp4"
        assert file_entry.media_content[0]["url"] == "https://video.example.org/report.mp4"
        assert page_entry.enclosures == []
        assert page_entry.media_player["url"] == "https://www.youtube.com/watch?v=abc"


def test_a_fallback_entry_says_its_language_in_atom(client, db):
    ArticleFactory(title_ru="Только по-русски", title_en="")
    ArticleFactory(title_ru="По-русски", title_en="In English", body_en="<p>Text</p>")
    parsed = read(client, "/en/feed/atom/")[1]
    langs = {e.title: e.title_detail.language for e in parsed.entries}
    assert langs["Только по-русски"] == "ru"
    assert langs["In English"] == "en"
    # The English language feed holds only what exists in English.
    assert [e.title for e in read(client, "/en/feed/language/")[1].entries] == ["In English"]
    assert len(read(client, "/feed/language/")[1].entries) == 2


def test_unknown_subjects_are_404(client, db):
    for path in ("/rubrics/nope/feed/", "/tags/nope/feed/atom/", "/en/sources/nope/feed/"):
        assert client.get(path).status_code == 404


# Conditional GET ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/feed/", "/az/feed/atom/", "/tags/oon/feed/", "/en/rubrics/ikt/feed/atom/"]
)
def test_conditional_get_answers_304_without_rendering(
    client, seed, path, monkeypatch, django_assert_num_queries
):
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")

    def must_not_render(*args, **kwargs):
        raise AssertionError("the feed was rendered")

    monkeypatch.setattr(ArticleFeed, "get_feed", must_not_render)
    with django_assert_num_queries(0):  # the freshness rows are cached for this version
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    with django_assert_num_queries(0):
        response = client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    # Served from the cache when the validator does not match: still not rendered again.
    response = client.get(path, HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200
    assert response.content == first.content


def test_etag_differs_between_formats_and_languages(client, seed):
    etags = {client.get(p)["ETag"] for p in ("/feed/", "/feed/atom/", "/az/feed/", "/en/feed/")}
    assert len(etags) == 4


def test_new_published_article_enters_every_feed_and_leaves_when_unpublished(
    client, seed, django_capture_on_commit_callbacks
):
    rubric = seed.rubric
    tag = Tag.objects.get(slug="oon")
    paths = [
        "/feed/",
        "/feed/atom/",
        "/en/feed/",
        "/feed/language/",
        rubric.get_absolute_url() + "feed/",
        tag.get_absolute_url() + "feed/atom/",
        "/az/sources/apa/feed/",
    ]
    etags = {p: client.get(p)["ETag"] for p in paths}
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            title_ru="Свежая новость",
            rubric=rubric,
            source=seed.source,
            tags=[tag],
            status=Article.Status.DRAFT,
        )
    for path in paths:  # a draft is in no feed, and the feeds are still fresh
        assert client.get(path, HTTP_IF_NONE_MATCH=etags[path]).status_code in (200, 304)
        assert article.slug not in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.PUBLISHED
        article.save()
    for path in paths:
        response = client.get(path, HTTP_IF_NONE_MATCH=etags[path])
        assert response.status_code == 200, path
        assert (
            feedparser.parse(response.content)
            .entries[0]
            .link.endswith(f"/articles/{article.slug}/")
        ), path
        etags[path] = response["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    for path in paths:
        response = client.get(path, HTTP_IF_NONE_MATCH=etags[path])
        assert response.status_code == 200, path
        assert article.slug not in response.content.decode(), path


def test_a_scheduled_article_enters_the_feed_at_its_time(client, db, monkeypatch):
    ArticleFactory(title_ru="Сейчас")
    soon = timezone.now() + timedelta(minutes=10)
    ArticleFactory(title_ru="Позже", published_at=soon)
    first = client.get("/feed/")
    assert "Позже" not in first.content.decode()
    monkeypatch.setattr(timezone, "now", lambda: soon + timedelta(seconds=1))
    response = client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "Позже" in response.content.decode()


# Autodiscovery ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "subject_feed"),
    [
        ("/rubrics/ikt/", "/rubrics/ikt/feed/"),
        ("/az/tags/oon/", "/az/tags/oon/feed/"),
        ("/en/sources/apa/", "/en/sources/apa/feed/"),
        ("/", None),
        (f"/articles/{SEED_SLUG}/", "/rubrics/ikt/feed/"),
        ("/2024/08/", None),
    ],
)
def test_pages_announce_their_feeds(client, seed, page, subject_feed):
    doc = parse_html(client.get(page))
    links = [a for a in head_links(doc, "alternate") if "type" in a]
    hrefs = [a["href"] for a in links]
    prefix = page.split("/")[1] if page.split("/")[1] in ("az", "en") else ""
    site = f"/{prefix}/feed/" if prefix else "/feed/"
    assert site in hrefs and site + "atom/" in hrefs
    if subject_feed:
        assert hrefs[:2] == [subject_feed, subject_feed + "atom/"]
    for link in links:
        assert link["title"]
        assert link["type"] in ("application/rss+xml", "application/atom+xml")
        response, parsed = read(client, link["href"])
        assert parsed.entries


def test_feed_item_fields_for_an_article_with_everything(client, db):
    source = SourceFactory(name="Trend", url="https://trend.az")
    rubric = RubricFactory(name_ru="Политика", name_en="Politics")
    ArticleFactory(
        title_ru="Заголовок & «кавычки»",
        lead_ru="Лид <b>не HTML</b>",
        body_ru="<p>Абзац один.</p><p>Абзац два.</p>",
        source=source,
        source_url="https://trend.az/news/1",
        rubric=rubric,
        tags=[TagFactory(name_ru="Баку", name_en="Baku", kind=Tag.Kind.PLACE)],
    )
    rss = read(client, "/en/feed/")[1].entries[0]
    atom = read(client, "/en/feed/atom/")[1].entries[0]
    for entry in (rss, atom):
        assert entry.title == "Заголовок & «кавычки»"
        assert "Лид &lt;b&gt;не HTML&lt;/b&gt;" in entry.summary
        assert {t.term for t in entry.tags} == {"Politics", "Baku"}
        assert entry.author == "Trend"
    assert atom.content[0].value == "<p>Абзац один.</p><p>Абзац два.</p>"
    assert rss.content[0].value == "<p>Абзац один.</p><p>Абзац два.</p>"
    assert any(link.rel == "via" and link.href == "https://trend.az/news/1" for link in atom.links)


def test_if_modified_since_sees_a_later_change(
    client, seed, monkeypatch, django_capture_on_commit_callbacks
):
    first = client.get("/tags/oon/feed/")
    since = first["Last-Modified"]
    assert client.get("/tags/oon/feed/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    later = timezone.now() + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr("archive.cache.time.time", lambda: later.timestamp())
    with django_capture_on_commit_callbacks(execute=True):
        seed.title_ru = "Исправленный заголовок"
        seed.save()
    response = client.get("/tags/oon/feed/", HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200
    assert "Исправленный заголовок" in response.content.decode()


MARKUP_TITLE = "<b>Bold</b> & co"


def shown_text(detail):
    """A title as a feed reader shows it: both formats carry it as HTML, and that HTML
    is text only (no element a reader would render)."""
    assert detail.type == "text/html", detail
    fragment = html5lib.parseFragment(detail.value, namespaceHTMLElements=False)
    assert list(fragment) == [], detail.value
    return fragment.text


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_a_title_is_plain_text_in_both_formats(client, atom):
    """The same rule for RSS and Atom: an article's, a feed's and a source's title are
    text, so «<b>Bold</b> & co» reaches the reader as exactly that, in bold nowhere."""
    tag = TagFactory(name_ru=MARKUP_TITLE)
    ArticleFactory(title_ru=MARKUP_TITLE, source=SourceFactory(name=MARKUP_TITLE), tags=[tag])
    suffix = "feed/atom/" if atom else "feed/"
    _response, parsed = read(client, tag.get_absolute_url() + suffix)
    entry = parsed.entries[0]
    assert shown_text(entry.title_detail) == MARKUP_TITLE
    assert MARKUP_TITLE in shown_text(parsed.feed.title_detail)
    if atom:
        assert shown_text(entry.source.title_detail) == MARKUP_TITLE


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_control_characters_are_left_out_of_every_feed(client, atom):
    # XML 1.0 cannot carry them: an imported «\x1b[31m» made every feed with it a 500.
    # Saves leave them out now; rows stored before still hold them (update() skips save).
    tag = TagFactory(name_ru="Тег", slug="control")
    article = ArticleFactory(
        source=SourceFactory(name="Агентство", slug="agency"),
        rubric=RubricFactory(name_ru="Рубрика", slug="rubric"),
        tags=[tag],
    )
    Tag.objects.filter(pk=tag.pk).update(name_ru="Тег\x01")
    Source.objects.filter(pk=article.source_id).update(name="Агентство\x02")
    Rubric.objects.filter(pk=article.rubric_id).update(name_ru="Рубрика\x03")
    Article.objects.filter(pk=article.pk).update(
        title_ru="Заголовок\x0bс табуляцией\x1b[31m",
        lead_ru="Лид\x0cс переводом страницы",
        body_ru="<p>Абзац\x07 со звонком.</p>",
    )
    assert Article.objects.get(pk=article.pk).title_ru.endswith("\x1b[31m")
    suffix = "feed/atom/" if atom else "feed/"
    for path in ("/", "/tags/control/", "/sources/agency/", "/rubrics/rubric/"):
        _response, parsed = read(client, path + suffix)
        entry = parsed.entries[0]
        assert entry.title == "Заголовок с табуляцией[31m"
        assert "Лид с переводом страницы" in entry.summary
        assert entry.content[0].value == "<p>Абзац со звонком.</p>"
        assert {t.term for t in entry.tags} == {"Рубрика", "Тег"}
        assert entry.author == "Агентство"
    assert read(client, "/tags/control/" + suffix)[1].feed.title.endswith("Тег")


# Each feed's own validators ------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() and the content version's clock (time.time), moved by the test."""

    class Clock:
        at = timezone.now().replace(microsecond=0)

        def move(self, **delta):
            self.at += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.at)
    monkeypatch.setattr("archive.cache.time.time", lambda: clock.at.timestamp())
    return clock


@pytest.fixture
def two_rubrics(db, clock):
    a, b = RubricFactory(name_ru="Политика"), RubricFactory(name_ru="Спорт")
    start = clock.at - timedelta(days=2)
    articles = {
        rubric: [
            ArticleFactory(rubric=rubric, published_at=start + timedelta(hours=i)) for i in range(3)
        ]
        for rubric in (a, b)
    }
    clock.move(minutes=1)
    return a, b, articles


def validators(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response["ETag"], response["Last-Modified"]


def rubric_feeds(rubric):
    with translation.override("ru"):  # the client leaves the last request's active
        base = rubric.get_absolute_url()
    return [base + "feed/", base + "feed/atom/", "/en" + base + "feed/", "/az" + base + "feed/"]


def test_last_modified_is_the_newest_item_of_the_feed(client, two_rubrics):
    a, _b, articles = two_rubrics
    newest = articles[a][-1]
    for path in rubric_feeds(a):
        assert validators(client, path)[1] == http_date(newest.updated_at.timestamp())


def test_an_edit_in_one_rubric_changes_its_feeds_only(
    client, two_rubrics, clock, django_capture_on_commit_callbacks
):
    a, b, articles = two_rubrics
    before = {path: validators(client, path) for path in rubric_feeds(a) + rubric_feeds(b)}
    clock.move(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        oldest = articles[a][0]  # an edit to the oldest item moves Last-Modified too
        oldest.title_ru = "Исправленный заголовок"
        oldest.save()
    for path in rubric_feeds(a):
        etag, last_modified = validators(client, path)
        assert etag != before[path][0], path
        assert last_modified == http_date(clock.at.timestamp()) != before[path][1], path
        response = client.get(path, HTTP_IF_NONE_MATCH=before[path][0])
        assert response.status_code == 200 and "Исправленный" in response.content.decode()
    for path in rubric_feeds(b):
        assert validators(client, path) == before[path], path
        etag, last_modified = before[path]
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304, path
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304, path
    # The site's feed holds the edited article: it changed as well.
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=before[rubric_feeds(a)[0]][0]).status_code == 200


def test_an_item_leaving_a_feed_moves_its_last_modified(
    client, two_rubrics, clock, django_capture_on_commit_callbacks
):
    """Unpublishing the newest item leaves only older ones: the feed still says it
    changed, to If-None-Match and to If-Modified-Since alone."""
    a, b, articles = two_rubrics
    path, other_path = rubric_feeds(a)[0], rubric_feeds(b)[0]
    etag, last_modified = validators(client, path)
    other = validators(client, other_path)
    clock.move(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        # update(): no updated_at, as a status flipped in bulk (then content_changed)
        Article.objects.filter(pk=articles[a][-1].pk).update(status=Article.Status.DRAFT)
        from archive.cache import content_changed

        content_changed()
    response = client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200
    assert len(feedparser.parse(response.content).entries) == 2
    assert parsedate_to_datetime(response["Last-Modified"]) > parsedate_to_datetime(last_modified)
    assert response["ETag"] != etag
    assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    again = client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    assert validators(client, other_path) == other


def test_a_renamed_rubric_reaches_subscribers_and_a_new_tag_changes_nothing(
    client, two_rubrics, clock, django_capture_on_commit_callbacks
):
    """An item's rubric, tags and source are named in it, but are not its rows: a new
    name changes every feed's validators (any feed may show it); a tag only created
    changes none (no item shows it until an article is saved with it)."""
    a, b, _articles = two_rubrics
    path, other_path = rubric_feeds(a)[0], rubric_feeds(b)[0]
    etag, last_modified = validators(client, path)
    other = validators(client, other_path)
    clock.move(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        TagFactory(name_ru="Новый тег")
    assert validators(client, path) == (etag, last_modified)
    assert validators(client, other_path) == other
    with django_capture_on_commit_callbacks(execute=True):
        a.name_ru = "Внутренняя политика"
        a.save()
    for since in ({"HTTP_IF_NONE_MATCH": etag}, {"HTTP_IF_MODIFIED_SINCE": last_modified}):
        response = client.get(path, **since)
        assert response.status_code == 200, since
        entries = feedparser.parse(response.content).entries
        assert {t.term for e in entries for t in e.tags} >= {"Внутренняя политика"}
    etag_after, modified_after = validators(client, path)
    assert etag_after != etag and modified_after == http_date(clock.at.timestamp())
    assert client.get(path, HTTP_IF_NONE_MATCH=etag_after).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified_after).status_code == 304


def test_304_needs_no_query_and_the_body_is_rendered_once(
    client, two_rubrics, django_assert_num_queries
):
    a, _b, _articles = two_rubrics
    path = rubric_feeds(a)[1]
    etag, last_modified = validators(client, path)
    with django_assert_num_queries(0):
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


@pytest.mark.parametrize("atom", [False, True], ids=["rss", "atom"])
def test_an_english_feed_marks_what_it_shows_in_russian(client, db, atom):
    """/en/feed/ carries untranslated articles in the original: each entry says its
    language (dc:language, read by feedparser as entry.language, and xml:lang)."""
    ArticleFactory(title_ru="Только по-русски", title_en="", body_en="")
    ArticleFactory(title_ru="Переведена", title_en="Translated", body_en="<p>Text</p>")
    ArticleFactory(title_ru="Заголовок переведён", title_en="Title only", body_en="")
    path = "/en/feed/atom/" if atom else "/en/feed/"
    _response, parsed = read(client, path)
    assert parsed.feed.language == "en"
    entries = {e.title: e for e in parsed.entries}
    assert entries["Только по-русски"].language == "ru"
    assert entries["Только по-русски"].title_detail.language == "ru"
    assert entries["Translated"].language == "en"
    # The title is English, the text shown is the Russian original.
    assert entries["Title only"].language == "ru"
    assert entries["Title only"].title_detail.language == "en"
    assert entries["Title only"].content[0].language == "ru"
    # The Russian feed: everything in Russian, said once per entry.
    _response, parsed = read(client, path.removeprefix("/en"))
    assert {e.language for e in parsed.entries} == {"ru"}


def test_the_language_feed_holds_translations_only_and_says_so(client, db):
    ArticleFactory(title_ru="Только по-русски", title_az="")
    ArticleFactory(title_ru="Переведена", title_az="Tərcümə", body_az="<p>Mətn</p>")
    _response, parsed = read(client, "/az/feed/language/")
    assert [(e.title, e.language) for e in parsed.entries] == [("Tərcümə", "az")]
