"""Honest times: a time of day only when the source gave one, «сегодня, 14:20» and
«вчера» for the last two days in the site's time zone, on every page that shows a date,
and cached pages that do not outlive midnight. Time is frozen by passing `now` or by
replacing timezone.now; nothing sleeps."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone, translation

from archive.importers import iter_records
from archive.importers.records import import_key
from archive.models import Article
from archive.times import Publication, dateline, machine_time

from . import pages_support
from .factories import ArticleFactory, TagFactory
from .pages_support import SEED_SLUG, parse_html, text_of

empty_cache = pages_support.empty_cache
seed = pages_support.seed

BAKU = timezone.get_default_timezone()


def baku(*args):
    return datetime(*args, tzinfo=BAKU)


# 10 March 2025, 00:30 in Baku: still 9 March (20:30) in UTC, so a day counted in UTC
# would be wrong here.
NOW = baku(2025, 3, 10, 0, 30)


# The words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["сегодня, 00:05", "сегодня", "вчера, 23:50", "вчера", "8 марта 2025 г."]),
        ("az", ["bu gün, 00:05", "bu gün", "dünən, 23:50", "dünən", "8 mart 2025"]),
        ("en", ["today, 00:05", "today", "yesterday, 23:50", "yesterday", "March 8, 2025"]),
    ],
)
def test_today_and_yesterday_in_words_in_the_site_time_zone(lang, expected):
    moments = [
        (baku(2025, 3, 10, 0, 5), True),
        (baku(2025, 3, 10, 12), False),
        (baku(2025, 3, 9, 23, 50), True),  # 19:50 UTC: the same UTC day as NOW
        (baku(2025, 3, 9, 12), False),
        (baku(2025, 3, 8, 23, 59), True),  # the day before yesterday: a date, no time
    ]
    with translation.override(lang):
        assert [dateline(m, known, now=NOW) for m, known in moments] == expected


def test_older_items_show_the_time_on_the_article_page_only_when_known():
    with translation.override("ru"):
        assert dateline(baku(2024, 8, 9, 14, 20), True, "full", NOW) == "9 августа 2024 г., 14:20"
        assert dateline(baku(2024, 8, 9, 12), False, "full", NOW) == "9 августа 2024 г."
        assert dateline(baku(2024, 8, 9, 14, 20), True, "date", NOW) == "9 августа 2024 г."
        assert dateline(baku(2024, 8, 9, 14, 20), True, "short", NOW) == "09.08.2024"
        # A moment given in UTC is shown in Baku: 21:10 UTC is 01:10 the next day.
        late = datetime(2025, 3, 9, 21, 10, tzinfo=UTC)
        assert dateline(late, True, "full", NOW) == "сегодня, 01:10"


def test_the_machine_readable_time_is_a_date_alone_when_the_time_is_unknown():
    moment = datetime(2024, 8, 9, 8, 0, tzinfo=UTC)
    assert machine_time(moment, False) == "2024-08-09"
    assert machine_time(moment, True) == "2024-08-09T12:00:00+04:00"


def test_the_filter_renders_a_time_element(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    article = Article(published_at=baku(2025, 3, 9, 9, 5), time_known=True)
    template = Template('{% load archive_tags %}{{ a|published }}|{{ d|published:"full" }}')
    with translation.override("ru"):
        moment = Publication(baku(2025, 3, 10, 0, 1), time_known=False)
        html = template.render(Context({"a": article, "d": moment}))
    assert html == (
        '<time datetime="2025-03-09T09:05:00+04:00">вчера, 09:05</time>|'
        '<time datetime="2025-03-10">сегодня</time>'  # a search result, date alone
    )


# The pages ------------------------------------------------------------------------------


def times_on(client, path):
    doc = parse_html(client.get(path))
    return [(t.get("datetime"), text_of(t)) for t in doc.iter("time")]


@pytest.mark.django_db
def test_the_seed_shows_no_time_of_day_anywhere(client, seed):
    """The source gave dates only; they are stored as 12:00 and shown without it."""
    assert Article.objects.filter(time_known=True).count() == 0
    article_page = f"/articles/{SEED_SLUG}/"
    for path in (article_page, "/", "/tags/oon/", "/2024/08/09/", "/en/2024/", "/az/rubrics/ikt/"):
        shown = times_on(client, path)
        assert shown, path
        for machine, text in shown:
            assert len(machine) == 10 and ":" not in text, (path, machine, text)
    assert times_on(client, article_page)[0] == ("2024-08-09", "9 августа 2024 г.")
    assert times_on(client, "/en" + article_page)[0] == ("2024-08-09", "Aug. 9, 2024")
    doc = parse_html(client.get(article_page))
    data = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    assert data["datePublished"] == "2024-08-09"
    meta = {m.get("property"): m.get("content") for m in doc.findall(".//meta[@property]")}
    assert meta["article:published_time"] == "2024-08-09"


@pytest.fixture
def frozen(monkeypatch):
    """timezone.now() at NOW, or wherever the test moves `frozen.at`."""

    class Clock:
        at = NOW

    monkeypatch.setattr(timezone, "now", lambda: Clock.at)
    return Clock


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_recent_items_read_today_and_yesterday_on_every_page(client, frozen, lang):
    tag = TagFactory(name_ru="Погода", slug="pogoda")
    ArticleFactory(title_ru="Утро", published_at=baku(2025, 3, 10, 0, 20), tags=[tag])
    ArticleFactory(title_ru="Вечер", published_at=baku(2025, 3, 9, 23, 50), tags=[tag])
    ArticleFactory(
        title_ru="Без часа", published_at=baku(2025, 3, 9, 12), time_known=False, tags=[tag]
    )
    old = ArticleFactory(title_ru="Давно", published_at=baku(2025, 2, 1, 9, 15), tags=[tag])
    words = {
        "ru": ("сегодня, 00:20", "вчера, 23:50", "вчера", "1 февраля 2025 г.", ", 09:15"),
        "az": ("bu gün, 00:20", "dünən, 23:50", "dünən", "1 fevral 2025", ", 09:15"),
        "en": ("today, 00:20", "yesterday, 23:50", "yesterday", "Feb. 1, 2025", ", 09:15"),
    }[lang]
    prefix = pages_support.PREFIX[lang]
    cards = [text for _m, text in times_on(client, f"{prefix}/tags/pogoda/")]
    assert cards == list(words[:4])
    assert [t for _m, t in times_on(client, f"{prefix}/2025/03/09/")] == list(words[1:3])
    with translation.override(lang):
        article_page = old.get_absolute_url()
    assert times_on(client, article_page)[0] == (
        "2025-02-01T09:15:00+04:00",
        words[3] + words[4],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "az", "en"])
def test_search_results_show_the_time_of_day_only_when_known(client, frozen, search_index, lang):
    """As on cards: «вчера, 08:40» when the source gave the time, the date alone for older
    items, and a machine-readable time only where it is real."""
    ArticleFactory(title_ru="Утренний выпуск", published_at=baku(2025, 3, 9, 8, 40))
    ArticleFactory(title_ru="Вечерний выпуск", published_at=baku(2025, 2, 3, 19, 5))
    ArticleFactory(title_ru="Дневной выпуск", published_at=baku(2025, 2, 3, 12), time_known=False)
    call_command("rebuild_index", interactive=False, verbosity=0)
    prefix = pages_support.PREFIX[lang]
    doc = parse_html(client.get(f"{prefix}/search/", {"q": "выпуск", "sort": "date"}))
    yesterday, older = {
        "ru": ("вчера, 08:40", "3 февраля 2025 г."),
        "az": ("dünən, 08:40", "3 fevral 2025"),
        "en": ("yesterday, 08:40", "Feb. 3, 2025"),
    }[lang]
    assert [(t.get("datetime"), text_of(t)) for t in doc.iter("time")] == [
        ("2025-03-09T08:40:00+04:00", yesterday),
        ("2025-02-03T19:05:00+04:00", older),
        ("2025-02-03", older),
    ]
    results = client.get(f"{prefix}/api/search/", {"q": "выпуск", "sort": "date"}).json()["results"]
    assert [r["time_known"] for r in results] == [True, True, False]


@pytest.mark.django_db
def test_a_cached_page_does_not_say_today_after_midnight(client, frozen):
    """List pages are cached (archive/cache.py) with the site's date in the key: the
    same content is rendered again on the next day, where «сегодня» became «вчера»."""
    tag = TagFactory(name_ru="Ночь", slug="noch")
    ArticleFactory(title_ru="Поздно", published_at=baku(2025, 3, 10, 22, 40), tags=[tag])
    frozen.at = baku(2025, 3, 10, 23, 59)
    assert [t for _m, t in times_on(client, "/tags/noch/")] == ["сегодня, 22:40"]
    frozen.at = baku(2025, 3, 10, 23, 59, 30)  # still today: served from the cache
    assert [t for _m, t in times_on(client, "/tags/noch/")] == ["сегодня, 22:40"]
    frozen.at = baku(2025, 3, 11, 0, 0, 1)
    assert [t for _m, t in times_on(client, "/tags/noch/")] == ["вчера, 22:40"]
    frozen.at = baku(2025, 3, 12, 0, 0, 1)
    assert [t for _m, t in times_on(client, "/tags/noch/")] == ["10 марта 2025 г."]


# Where time_known comes from -----------------------------------------------------------


def records_of(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return [r for r in iter_records(path)]


def test_json_lines_with_a_date_only_are_stored_at_noon_without_a_time(tmp_path):
    lines = [
        {"title": "Только дата", "published": "2024-11-08"},
        {"title": "Со временем", "published": "2024-11-08T17:08:11+00:00"},
        {"title": "Полночь названа", "published": "2024-11-08T00:00:00Z"},
    ]
    text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    dated, timed, midnight = records_of(tmp_path, "news.jsonl", text)
    assert (dated.time_known, timed.time_known, midnight.time_known) == (False, True, True)
    assert dated.published_at == baku(2024, 11, 8, 12)
    assert timed.published_at == datetime(2024, 11, 8, 17, 8, 11, tzinfo=UTC)
    assert midnight.published_at == datetime(2024, 11, 8, tzinfo=UTC)
    # The key is the one the record always had (midnight UTC): a file imported before
    # time_known existed is still recognised.
    old_key = import_key(source=None, title="Только дата", published=midnight.published_at)
    assert dated.import_key == old_key


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Лента</title><link>https://example.org/</link>
<item><title>Дата без часа</title><link>https://example.org/1</link>
  <pubDate>Fri, 08 Nov 2024</pubDate></item>
<item><title>Дата с часом</title><link>https://example.org/2</link>
  <pubDate>Fri, 08 Nov 2024 17:08:11 +0000</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Лента</title><id>urn:x</id>
<updated>2024-11-08</updated>
<entry><title>Дата без часа</title><id>urn:1</id><updated>2024-11-08</updated></entry>
<entry><title>Дата с часом</title><id>urn:2</id><updated>2024-11-08T06:15:00Z</updated></entry>
</feed>"""


@pytest.mark.parametrize(("name", "text"), [("news.rss", FEED), ("news.atom", ATOM)])
def test_feed_dates_without_a_time_are_detected(tmp_path, name, text):
    dated, timed = records_of(tmp_path, name, text)
    assert not dated.time_known and dated.published_at == baku(2024, 11, 8, 12)
    assert timed.time_known and timed.published_at.astimezone(UTC).day == 8


@pytest.mark.django_db
def test_the_import_command_saves_time_known(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "news.rss"
    path.write_text(FEED, encoding="utf-8")
    call_command("import_articles", str(path), "--no-progress", "--no-index", stdout=None)
    known = dict(Article.objects.values_list("title_ru", "time_known"))
    assert known == {"Дата без часа": False, "Дата с часом": True}


# The admin -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_form_shows_and_saves_time_known(editor_client, seed):
    response = editor_client.get(f"/admin/archive/article/{seed.pk}/change/")
    doc = parse_html(response)
    [box] = [i for i in doc.iter("input") if i.get("name") == "time_known"]
    assert box.get("type") == "checkbox" and box.get("checked") is None
    label = doc.find(".//label[@for='id_time_known']")
    assert text_of(label).startswith("Время известно")
    seed.time_known = True
    seed.save()
    doc = parse_html(editor_client.get(f"/admin/archive/article/{seed.pk}/change/"))
    [box] = [i for i in doc.iter("input") if i.get("name") == "time_known"]
    assert box.get("checked") is not None


@pytest.mark.django_db
def test_times_in_feeds_stay_full_timestamps(client, seed):
    """A feed needs a moment: RFC 822 and RFC 3339 carry the stored noon."""
    import feedparser

    entry = feedparser.parse(client.get("/feed/atom/").content).entries[-1]
    assert entry.published_parsed[:6] == (2019, 12, 27, 8, 0, 0)
