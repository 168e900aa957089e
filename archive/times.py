"""When an article was published, as readers see it: honest about the time of day, and
in words for the last two days.

A time of day is shown only when the source gave one (`Article.time_known`): items
whose source gave a date only are stored at noon and shown with the date alone. Today's
and yesterday's items read «сегодня, 14:20», «вчера» (no time when it is unknown); days
are counted in the site's time zone (settings.TIME_ZONE), as the date archive counts them.
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.utils import formats, timezone
from django.utils.translation import pgettext

# How the date of an older item is written, per place (`dateline(..., style)`).
STYLES = {
    "date": "DATE_FORMAT",  # cards, date archives, search results: «9 августа 2024 г.»
    "short": "SHORT_DATE_FORMAT",  # compact lists: «09.08.2024»
    "full": "DATE_FORMAT",  # the article page: with the time of day, when known
}


class Publication(NamedTuple):
    """When something was published, for `{{ …|published }}` where there is no article
    at hand (a search result)."""

    published_at: datetime
    time_known: bool


def site_time(value: datetime) -> datetime:
    return timezone.localtime(value, timezone.get_default_timezone())


def site_today(now: datetime | None = None):
    """Today's date in the site's time zone (cached pages carry it in their key)."""
    return site_time(now or timezone.now()).date()


def relative_day(day, now=None):
    """«сегодня» or «вчера» in the active language, or None for any other day."""
    today = site_today(now)
    if day == today:
        return pgettext("published", "today")
    if day == today - timedelta(days=1):
        return pgettext("published", "yesterday")
    return None


def dateline(published_at: datetime, time_known: bool, style="date", now=None) -> str:
    """«сегодня, 14:20», «вчера», «9 августа 2024 г., 14:20» or «9 августа 2024 г.».

    The time is given for today's and yesterday's items and, in the "full" style (the
    article page), for older ones, always only when it is known.
    """
    local = site_time(published_at)
    day = relative_day(local.date(), now)
    hour = formats.time_format(local, "H:i") if time_known else None
    if day is None:
        day = formats.date_format(local, STYLES[style])
        if style != "full":
            hour = None
    return f"{day}, {hour}" if hour else day


def machine_time(published_at: datetime, time_known: bool) -> str:
    """The <time datetime> value and schema.org's datePublished: the moment when the
    time is known, the date alone (in the site's time zone) when it is not."""
    local = site_time(published_at)
    return local.isoformat() if time_known else local.date().isoformat()


def desk_time(published_at: datetime, time_known: bool) -> str:
    """The admin's compact moment, «25.10.2025 14:20», or «25.10.2025» when the source
    gave the date alone (the stored noon is no time an editor should read)."""
    local = site_time(published_at)
    return formats.date_format(
        local, "SHORT_DATETIME_FORMAT" if time_known else "SHORT_DATE_FORMAT"
    )
