"""Honest times in Chromium: today's and yesterday's items in words, the seed's dates
without a time of day, in three languages at 1280 and 390 px. The clock is frozen (the
live server runs in this process), so the words do not depend on when the test runs.
Screenshots: test-output/screenshots/times-*.png."""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from .browser import chromium_page, screenshot
from .factories import ArticleFactory, TagFactory
from .pages_support import SEED_SLUG

pytestmark = [
    pytest.mark.browser,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
]

BAKU = timezone.get_default_timezone()
NOW = datetime(2025, 10, 27, 15, 0, tzinfo=BAKU)  # two days after the seed's newest item
PREFIX = {"ru": "", "az": "/az", "en": "/en"}
# Newest first: today 14:20, yesterday (no time given), yesterday 09:05; the seed's newest.
WORDS = {
    "ru": ["сегодня, 14:20", "вчера", "вчера, 09:05", "25 октября 2025 г."],
    "az": ["bu gün, 14:20", "dünən", "dünən, 09:05", "25 oktyabr 2025"],
    "en": ["today, 14:20", "yesterday", "yesterday, 09:05", "Oct. 25, 2025"],
}
SEED_DAY = {"ru": "9 августа 2024 г.", "az": "9 avqust 2024", "en": "Aug. 9, 2024"}


@pytest.fixture
def site(live_server, monkeypatch):
    cache.clear()
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    call_command("loaddata", "seed", verbosity=0)
    oon = TagFactory(name_ru="ООН-хроника", slug="oon-khronika")
    news = [
        ("Комитет ООН собрался на внеочередное заседание", datetime(2025, 10, 27, 14, 20), True),
        ("Делегации получили проект доклада", datetime(2025, 10, 26, 9, 5), True),
        ("Опубликован календарь сессий (время не указано)", datetime(2025, 10, 26, 12), False),
    ]
    for title, moment, known in news:
        ArticleFactory(
            title_ru=title,
            published_at=moment.replace(tzinfo=BAKU),
            time_known=known,
            tags=[oon],
        )
    with chromium_page(live_server.url) as page:
        yield page, live_server.url
        assert page.outside_requests == []
        assert page.errors == []
    cache.clear()


def shown_times(page):
    return [t.inner_text() for t in page.locator("main time").all()]


@pytest.mark.parametrize("width", [1280, 390])
def test_recent_items_in_words_and_no_invented_times(site, width):
    page, base = site
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    for lang, prefix in PREFIX.items():
        page.goto(f"{base}{prefix}/tags/oon-khronika/")
        assert shown_times(page) == WORDS[lang][:3]
        screenshot(page, f"times-tag-{lang}-{width}")
        page.goto(f"{base}{prefix}/")
        times = shown_times(page)
        assert WORDS[lang][0] in times and WORDS[lang][3] in times, times
        screenshot(page, f"times-home-{lang}-{width}")
        page.goto(f"{base}{prefix}/articles/{SEED_SLUG}/")
        header_time = page.locator("article header time")
        assert header_time.inner_text() == SEED_DAY[lang]
        assert header_time.get_attribute("datetime") == "2024-08-09"
        screenshot(page, f"times-article-{lang}-{width}")
