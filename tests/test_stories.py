"""Stories (archive/timelines.py, stories.py): the seed's story as a dated thread on its
own page, as a block on each of its articles' pages, in a feed and in the sitemap; drafts
and scheduled articles stay out; the queries are bounded and the pages cached.

Everything goes through Django's test client against the real URLconf, templates and
SQLite database; feeds are read with feedparser, pages parsed with strict html5lib."""

from datetime import timedelta

import feedparser
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from archive.models import Article, Story
from archive.renditions import renditions_of
from archive.timelines import TIMELINE_WINDOW, article_timeline

from . import pages_support
from .factories import ArticleFactory
from .pages_support import PREFIX, SEED_SLUG, parse_html, text_of

empty_cache = pages_support.empty_cache  # an autouse fixture
pytestmark = pytest.mark.django_db

STORY_SLUG = "konventsiya-oon-protiv-kiberprestupnosti"
STORY_URL = f"/stories/{STORY_SLUG}/"
STORY_NAMES = {
    "ru": "Конвенция ООН против киберпреступности",
    "az": "BMT-nin Kibercinayətkarlığa qarşı Konvensiyası",
    "en": "United Nations Convention against Cybercrime",
}
# The convention's path, oldest first: (slug, date, its day and month as each language
# writes it under the year label).
THREAD = [
    (
        "generalnaya-assambleya-oon-uchredila-komitet-ad-hoc-po-razrabotke-konventsii",
        "2019-12-27",
        {"ru": "27 декабря", "az": "27 dekabr", "en": "December 27"},
    ),
    (
        "v-nyu-yorke-proshla-pervaya-peregovornaya-sessiya-komiteta-ad-hoc",
        "2022-03-11",
        {"ru": "11 марта", "az": "11 mart", "en": "March 11"},
    ),
    (SEED_SLUG, "2024-08-09", {"ru": "9 августа", "az": "9 avqust", "en": "August 9"}),
    (
        "generalnaya-assambleya-oon-prinyala-konventsiyu-protiv-kiberprestupnosti",
        "2024-12-24",
        {"ru": "24 декабря", "az": "24 dekabr", "en": "December 24"},
    ),
    (
        "konventsiya-oon-protiv-kiberprestupnosti-otkryta-dlya-podpisaniya-v-khanoe",
        "2025-10-25",
        {"ru": "25 октября", "az": "25 oktyabr", "en": "October 25"},
    ),
]
# A year label on the first step of each year: 2024 holds two steps.
YEAR_LABELS = ["2019", "2022", "2024", None, "2025"]


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)
    return Story.objects.get(slug=STORY_SLUG)


def article_url(slug, lang):
    with translation.override(lang):
        return reverse("archive:article-detail", kwargs={"slug": slug})


def steps_of(doc, list_class):
    [ol] = [el for el in doc.iter("ol") if list_class in el.get("class", "").split()]
    return [li for li in ol if li.tag == "li"]


def year_label(li):
    span = li.find("span")
    return span.text if span is not None and span.get("class") == "timeline-year" else None


def date_of(li):
    return li.find(".//time")


def title_link(li):
    return li.find(".//a[@class='timeline-title']")


def _day_month(time, lang):
    return time.text


# -- the seed's story -------------------------------------------------------------------


def test_the_seed_loads_its_story_once(seed):
    call_command("loaddata", "seed", verbosity=0)
    assert Story.objects.count() == 1
    story = Story.objects.get()
    assert (story.name_ru, story.name_az, story.name_en) == tuple(STORY_NAMES.values())
    assert story.description_ru and story.description_az and story.description_en
    assert sorted(story.articles.values_list("slug", flat=True)) == sorted(s for s, *_ in THREAD)


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_story_page_lists_the_five_articles_in_date_order(client, seed, lang):
    response = client.get(PREFIX[lang] + STORY_URL)
    assert response.status_code == 200
    doc = parse_html(response)
    assert text_of(doc.find(".//h1")) == STORY_NAMES[lang]
    description = doc.find(".//p[@class='timeline-description']")
    assert text_of(description) == getattr(seed, f"description_{lang}")
    steps = steps_of(doc, "timeline-thread")
    assert len(steps) == 5
    for li, (slug, day, written) in zip(steps, THREAD, strict=True):
        article = Article.objects.get(slug=slug)
        assert date_of(li).get("datetime") == day
        assert _day_month(date_of(li), lang) == written[lang]
        link = title_link(li)
        assert link.get("href") == article_url(slug, lang)
        assert link.text == getattr(article, f"title_{lang}")
        assert link.get("aria-current") is None  # no step is "this page" here
    assert [year_label(li) for li in steps] == YEAR_LABELS
    # The seed article has no lead: its first words stand in; the notes show their lead.
    assert text_of(steps[0].find(".//p[@class='timeline-lead']")) == getattr(
        Article.objects.get(slug=THREAD[0][0]), f"lead_{lang}"
    )
    seed_summary = text_of(steps[2].find(".//p[@class='timeline-lead']"))
    assert seed_summary.startswith({"ru": "Заключительная", "az": "BMT", "en": "The"}[lang])
    # Its own feed, announced in the head and linked under the heading.
    with translation.override(lang):
        feed = reverse("archive:story-feed", args=[STORY_SLUG])
    heads = [link.get("href") for link in doc.findall(".//head/link[@type='application/rss+xml']")]
    assert heads[0] == feed
    assert doc.find(".//a[@class='feed-link']").get("href") == feed
    crumbs = [text_of(li) for li in doc.findall(".//nav[@class='breadcrumbs']/ol/li")]
    assert crumbs[1:] == [
        {"ru": "Сюжеты", "az": "Süjetlər", "en": "Stories"}[lang],
        text_of(doc.find(".//h1")),
    ]


def test_story_page_shows_each_steps_lead_image(client, seed, settings, tmp_path):
    from archive.illustrations import ensure_seed_images

    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert ensure_seed_images() == 15
    doc = parse_html(client.get(STORY_URL))
    steps = steps_of(doc, "timeline-thread")
    for li, (slug, *_rest) in zip(steps, THREAD, strict=True):
        [picture] = li.findall(".//picture")
        assert picture.get("class") == "timeline-thumbnail"
        img = picture.find("img")
        image = Article.objects.get(slug=slug).lead_image
        assert img.get("src") in [image.file.storage.url(r.jpeg) for r in renditions_of(image)]
        assert img.get("alt") == "" and img.get("loading") == "lazy"


@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_article_page_timeline_marks_the_current_article(client, seed, lang):
    doc = parse_html(client.get(article_url(SEED_SLUG, lang)))
    [block] = [s for s in doc.iter("section") if s.get("class") == "timeline-block"]
    heading = {"ru": "Хронология сюжета", "az": "Süjetin xronologiyası", "en": "Story timeline"}
    assert text_of(block.find("h2")) == heading[lang]
    with translation.override(lang):
        story_url = seed.get_absolute_url()
    story_link = block.find("p[@class='timeline-story']/a")
    assert (story_link.get("href"), story_link.text) == (story_url, STORY_NAMES[lang])
    steps = steps_of(block, "timeline-list")
    assert [date_of(li).get("datetime") for li in steps] == [day for _s, day, _w in THREAD]
    assert [_day_month(date_of(li), lang) for li in steps] == [w[lang] for *_x, w in THREAD]
    assert [year_label(li) for li in steps] == YEAR_LABELS
    assert [title_link(li).get("href") for li in steps] == [
        article_url(slug, lang) for slug, *_ in THREAD
    ]
    current = [li for li in steps if title_link(li).get("aria-current") == "page"]
    assert current == [steps[2]]
    assert "timeline-current" in steps[2].get("class").split()
    assert all("timeline-current" not in li.get("class").split() for li in steps if li != steps[2])
    # The four related notes are all in the timeline: no «Related articles» block repeats them.
    assert not [s for s in doc.iter("section") if s.get("class") == "related"]
    css = [link.get("href") for link in doc.findall(".//head/link[@rel='stylesheet']")]
    assert "/static/archive/timeline.css" in css


def test_related_articles_outside_the_story_are_still_listed(client, seed):
    other = ArticleFactory(title_ru="Статья не из сюжета")
    seed_article = Article.objects.get(slug=SEED_SLUG)
    seed_article.related.add(other)
    doc = parse_html(client.get(seed_article.get_absolute_url()))
    [related] = [s for s in doc.iter("section") if s.get("class") == "related"]
    assert [text_of(h) for h in related.iter("h3")] == ["Статья не из сюжета"]


def test_an_article_alone_in_its_story_has_no_timeline(client, db):
    story = Story.objects.create(name_ru="Одиночный сюжет")
    alone = ArticleFactory(story=story)
    ArticleFactory(story=story, status=Article.Status.DRAFT)
    doc = parse_html(client.get(alone.get_absolute_url()))
    assert not [s for s in doc.iter("section") if s.get("class") == "timeline-block"]
    css = [link.get("href") for link in doc.findall(".//head/link[@rel='stylesheet']")]
    assert "/static/archive/timeline.css" not in css


# -- the feed -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("atom", ["", "atom/"])
def test_story_feed_has_the_five_items_newest_first(client, seed, lang, atom):
    path = f"{PREFIX[lang]}{STORY_URL}feed/{atom}"
    response = client.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    site = {"ru": "Архив новостей", "en": "News archive"}[lang]
    assert feed.feed.title == f"{site}: {STORY_NAMES[lang]}"
    assert feed.feed.get("subtitle") == getattr(seed, f"description_{lang}")
    links = [entry.link for entry in feed.entries]
    assert links == [f"http://testserver{article_url(s, lang)}" for s, *_ in reversed(THREAD)]
    assert [entry.title for entry in feed.entries] == [
        getattr(Article.objects.get(slug=s), f"title_{lang}") for s, *_ in reversed(THREAD)
    ]
    # Conditional GET, as the other feeds: the same ETag answers 304 with nothing to send.
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_story_feed_hears_of_a_new_step(client, seed):
    first = client.get(STORY_URL + "feed/")
    ArticleFactory(title_ru="Конвенция вступила в силу", story=seed)
    second = client.get(STORY_URL + "feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    entries = feedparser.parse(second.content).entries
    assert [e.title for e in entries][:1] == ["Конвенция вступила в силу"]
    assert len(entries) == 6


# -- what readers must not see --------------------------------------------------------------


def test_drafts_and_scheduled_articles_stay_out_of_the_story(client, seed):
    ArticleFactory(title_ru="Черновик сюжета", story=seed, status=Article.Status.DRAFT)
    ArticleFactory(
        title_ru="Запланировано в сюжете",
        story=seed,
        published_at=timezone.now() + timedelta(days=2),
    )
    hidden = ("Черновик сюжета", "Запланировано в сюжете")
    for path in (STORY_URL, article_url(SEED_SLUG, "ru"), STORY_URL + "feed/", "/stories/"):
        text = client.get(path).content.decode()
        assert not any(title in text for title in hidden), path
    doc = parse_html(client.get(STORY_URL))
    assert len(steps_of(doc, "timeline-thread")) == 5
    assert "5 статей" in text_of(doc.find(".//header[@class='page-header timeline-header']"))
    feed = feedparser.parse(client.get(STORY_URL + "feed/").content)
    assert len(feed.entries) == 5


def test_unknown_and_unpublished_stories_are_404(client, seed):
    secret = Story.objects.create(name_ru="Отставка, о которой ещё не объявлено")
    ArticleFactory(title_ru="Черновик", story=secret, status=Article.Status.DRAFT)
    for slug in ("no-such-story", secret.slug):
        for lang in ("ru", "en"):
            base = f"{PREFIX[lang]}/stories/{slug}/"
            for path in (base, base + "feed/", base + "feed/atom/"):
                assert client.get(path).status_code == 404, path
    assert "Отставка" not in client.get("/stories/").content.decode()
    assert secret.slug not in client.get("/sitemap-stories.xml").content.decode()


# -- the index and the sitemap ----------------------------------------------------------


def test_stories_index(client, seed):
    later = Story.objects.create(name_ru="Сюжет посвежее", name_en="A fresher story")
    ArticleFactory(story=later, published_at=timezone.now() - timedelta(hours=2))
    doc = parse_html(client.get("/en/stories/"))
    assert text_of(doc.find(".//h1")) == "Stories"
    cards = [a for a in doc.iter("article") if "timeline-story-card" in a.get("class", "")]
    assert [text_of(c.find("h2")) for c in cards] == ["A fresher story", STORY_NAMES["en"]]
    meta = text_of(cards[1].find("p[@class='meta']"))
    assert meta.startswith("5 articles · 2019–2025")
    assert cards[1].find("h2/a").get("href") == f"/en/stories/{STORY_SLUG}/"
    ru = parse_html(client.get("/stories/"))
    assert text_of(ru.find(".//h1")) == "Сюжеты"


def test_sitemap_lists_stories_in_every_language(client, seed):
    text = client.get("/sitemap-stories.xml").content.decode()
    for lang in ("ru", "az", "en"):
        assert f"<loc>http://testserver{PREFIX[lang]}{STORY_URL}</loc>" in text
    assert "<lastmod>2025-10-25T12:00:00+04:00</lastmod>" in text
    assert "http://testserver/stories/</loc>" in client.get("/sitemap-pages.xml").content.decode()


# -- queries and the cache -------------------------------------------------------------


def make_story(n):
    story = Story.objects.create(name_ru=f"Сюжет из {n} статей")
    start = timezone.now() - timedelta(days=n + 1)
    articles = [
        ArticleFactory(title_ru=f"Шаг {i}", story=story, published_at=start + timedelta(days=i))
        for i in range(n)
    ]
    return story, articles


@pytest.mark.parametrize("size", [3, 30])
def test_story_page_queries_do_not_grow_with_the_story(
    client, db, size, django_assert_max_num_queries, django_assert_num_queries
):
    story, _articles = make_story(size)
    with django_assert_max_num_queries(5):  # the content version, story, count, page
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="timeline-step"') == size
    with django_assert_num_queries(0):  # cached
        assert client.get(story.get_absolute_url()).content == response.content


@pytest.mark.parametrize("size", [3, 30])
def test_article_page_timeline_costs_two_queries(client, db, size, django_assert_num_queries):
    _story, articles = make_story(size)
    article = articles[size // 2]
    client.get(article.get_absolute_url())  # the content version, read once
    # The article page's three (article, tags, related) and the steps before and after.
    with django_assert_num_queries(5):
        response = client.get(article.get_absolute_url())
    doc = parse_html(response)
    steps = steps_of(doc, "timeline-list")
    assert len(steps) == min(size, TIMELINE_WINDOW)
    alone = ArticleFactory()
    with django_assert_num_queries(3):
        client.get(alone.get_absolute_url())


def test_story_page_follows_edits_at_once(client, seed):
    assert STORY_NAMES["ru"] in client.get(STORY_URL).content.decode()
    seed.name_ru = "Конвенция ООН против киберпреступности: путь"
    seed.save()
    assert "Конвенция ООН против киберпреступности: путь" in client.get(STORY_URL).content.decode()
    draft = ArticleFactory(title_ru="Новый шаг", story=seed, status=Article.Status.DRAFT)
    assert "Новый шаг" not in client.get(STORY_URL).content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "Новый шаг" in client.get(STORY_URL).content.decode()


# -- the window on the article page ----------------------------------------------------


@pytest.mark.parametrize(
    "index, shown, earlier, later",
    [
        (0, range(0, 7), False, True),
        (2, range(0, 7), False, True),
        (10, range(7, 14), True, True),
        (18, range(13, 20), True, False),
        (19, range(13, 20), True, False),
    ],
)
def test_the_article_page_shows_a_window_around_the_article(db, index, shown, earlier, later):
    _story, articles = make_story(20)
    article = Article.objects.select_related("story").get(pk=articles[index].pk)
    timeline = article_timeline(article)
    assert [step.article.pk for step in timeline.steps] == [articles[i].pk for i in shown]
    assert [step.current for step in timeline.steps] == [i == index for i in shown]
    assert (timeline.earlier, timeline.later) == (earlier, later)


def test_a_long_story_links_to_the_rest(client, db):
    story, articles = make_story(20)
    doc = parse_html(client.get(articles[10].get_absolute_url()))
    [block] = [s for s in doc.iter("section") if s.get("class") == "timeline-block"]
    more = [text_of(p) for p in block.findall("p[@class='timeline-more']")]
    assert more == ["Ранее в этом сюжете", "Далее в этом сюжете"]
    assert {a.get("href") for a in block.findall("p[@class='timeline-more']/a")} == {
        story.get_absolute_url()
    }


def test_preview_of_a_draft_shows_where_it_will_stand(client, seed, admin_user):
    client.force_login(admin_user)
    draft = ArticleFactory(
        title_ru="Черновик: конвенция вступила в силу",
        story=seed,
        status=Article.Status.DRAFT,
        published_at=timezone.now() + timedelta(days=30),
    )
    response = client.get(reverse("archive:article-preview", kwargs={"pk": draft.pk}))
    doc = parse_html(response)
    steps = steps_of(doc, "timeline-list")
    assert len(steps) == 6
    assert title_link(steps[-1]).get("aria-current") == "page"
    assert title_link(steps[-1]).text == "Черновик: конвенция вступила в силу"
    css = [link.get("href") for link in doc.findall(".//head/link[@rel='stylesheet']")]
    assert "/static/archive/timeline.css" in css


def test_one_address_per_story_page(client, seed):
    response = client.get(STORY_URL + "?utm_source=mail")
    assert (response.status_code, response["Location"]) == (301, STORY_URL)
    response = client.get(STORY_URL + "?page=1")
    assert (response.status_code, response["Location"]) == (301, STORY_URL)
    assert client.get(STORY_URL + "?page=2").status_code == 404  # one page of five
    response = client.get(STORY_URL + "feed/?utm_source=mail")
    assert (response.status_code, response["Location"]) == (301, STORY_URL + "feed/")
    assert client.post(STORY_URL).status_code == 405


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_the_neighbours_are_read_down_the_story_index(db):
    """Without the (story, status, published_at) index SQLite walked the archive's dates
    from the article back to its first one (114 ms for a story of 5 among 5,000 articles)."""
    _story, articles = make_story(3)
    article = Article.objects.select_related("story").get(pk=articles[1].pk)
    with CaptureQueriesContext(connection) as captured:
        article_timeline(article)
    assert len(captured) == 2
    for query in captured:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "INDEX article_story_date_idx (story_id=? AND status=? AND published_at" in plan
