"""The date archive: an index of years, and pages per year, month and day.

Django's generic date views share one mixin. An empty period is a 404, and the previous
and next links skip to periods that hold articles; one query counts the articles of
every month, which also draws the timeline (an SVG bar chart rendered on the server).
"""

import calendar
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate, TruncMonth
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import format
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from .cache import TIMEOUT, content_version, safe_get, safe_set
from .capitals import capfirst_local
from .models import Article
from .templatetags.archive_tags import articles_count
from .views import PublishedArticlesMixin


def month_counts():
    """{(year, month): number of published articles}, months in the site's time zone.

    Counted once per content version for every date page, language and the sitemap:
    on SQLite the month of each row is a Python call (89 of a cold month page's 111 ms
    at 20,000 articles)."""
    key = f"archive:month-counts:{content_version().token}:{settings.TIME_ZONE}"
    counts = safe_get(key)
    if counts is None:
        rows = (
            Article.objects.published()
            .annotate(month=TruncMonth("published_at"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .order_by("month")
        )
        counts = {(m.year, m.month): n for m, n in rows}
        safe_set(key, counts, TIMEOUT)
    return counts


def timeline(counts, months, current=None, labels=True, top=None):
    """Bars for the SVG chart: one per (year, month) in `months`, height by article count.

    With labels (a year page) each bar has its month's name and count; without (a row of
    the archive index, scaled to the busiest month of all, `top`) the chart is a small line.
    """
    top = top or max((counts.get(m, 0) for m in months), default=0) or 1
    width, gap = (36, 6) if labels else (12, 3)
    pad, height, label_row = (18, 120, 24) if labels else (0, 36, 0)
    bars = []
    for i, (year, month) in enumerate(months):
        n = counts.get((year, month), 0)
        h = max(round(height * n / top), 2) if n else 0
        x = i * (width + gap)
        bars.append(
            {
                "x": x,
                "y": pad + height - h,
                "width": width,
                "height": h,
                "center": x + width // 2,
                "count": n,
                "count_y": pad + height - h - 4,
                # «İyn», not Python's «Iyn»: Azerbaijani capitalises i with a dot.
                "label": capfirst_local(MONTHS_3[month]),
                "title": f"{capfirst_local(MONTHS[month])} {year}: {articles_count(n)}",
                "url": reverse("archive:archive-month", args=[year, month]) if n else None,
                "current": (year, month) == current,
            }
        )
    return {
        "bars": bars,
        "labels": labels,
        "width": max(len(months) * (width + gap) - gap, 1),
        "plot_height": pad + height,
        "height": pad + height + label_row,
        "label_y": pad + height + label_row - 7,
    }


@require_safe
def archive_index(request):
    """Every year with its articles, and a row of twelve bars for its months."""
    counts = month_counts()
    top = max(counts.values(), default=1)
    years = defaultdict(int)
    for (y, _m), n in counts.items():
        years[y] += n
    rows = [
        (year, n, timeline(counts, [(year, m) for m in range(1, 13)], labels=False, top=top))
        for year, n in sorted(years.items(), reverse=True)
    ]
    return render(
        request, "archive/archive_index.html", {"rows": rows, "total": sum(counts.values())}
    )


class DateArchiveMixin(PublishedArticlesMixin):
    """Shared by the year, month and day pages.

    An empty period is a 404, and the previous/next links skip to periods that have
    articles, using one query of counts per month (which also draws the timeline).
    """

    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    template_name = "archive/article_archive.html"
    context_object_name = "articles"
    allow_future = False
    allow_empty = False

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except (ValueError, OverflowError) as exc:  # a year like 99999 or month 13
            raise Http404(str(exc)) from exc

    @property
    def counts(self):
        if not hasattr(self, "_counts"):
            self._counts = month_counts()
        return self._counts

    def _adjacent_month(self, year, month, step):
        months = sorted(self.counts)
        candidates = [m for m in months if (m > (year, month) if step > 0 else m < (year, month))]
        if not candidates:
            return None
        y, m = candidates[0] if step > 0 else candidates[-1]
        return date(y, m, 1)

    def get_previous_month(self, date):
        return self._adjacent_month(date.year, date.month, -1)

    def get_next_month(self, date):
        return self._adjacent_month(date.year, date.month, +1)

    def get_previous_year(self, date):
        found = self._adjacent_month(date.year, 1, -1)
        return found.replace(month=1) if found else None

    def get_next_year(self, date):
        found = self._adjacent_month(date.year, 12, +1)
        return found.replace(month=1) if found else None

    def year_chart(self, year, current=None):
        return timeline(self.counts, [(year, m) for m in range(1, 13)], current=current)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period_count"] = self.paginator_count(context)
        context["the_date"] = context.get("day") or context.get("month") or context.get("year")
        context["breadcrumbs"] = self.breadcrumbs(context)
        return context

    def breadcrumbs(self, context):
        """After «Home» (includes/breadcrumbs.html): the archive, the year, the month and
        the day, as far as the page goes; the page itself last, unlinked."""
        the_date = context["the_date"]
        crumbs = [
            (reverse("archive:archive-index"), _("Archive")),
            (reverse("archive:archive-year", args=[the_date.year]), format(the_date, "Y")),
        ]
        if context.get("month") or context.get("day"):
            url = reverse("archive:archive-month", args=[the_date.year, the_date.month])
            crumbs.append((url, format(the_date, "F")))
        if context.get("day"):
            crumbs.append((None, format(the_date, "j")))
        else:
            crumbs[-1] = (None, crumbs[-1][1])
        return crumbs

    def paginator_count(self, context):
        paginator = context.get("paginator")
        return paginator.count if paginator else len(context["object_list"])


class ArticleYearArchive(DateArchiveMixin, YearArchiveView):
    make_object_list = True

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        year = int(self.get_year())
        months = [date(year, m, 1) for (y, m) in sorted(self.counts) if y == year]
        if not months:
            raise Http404("No articles this year")
        return months

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = context["year"].year
        context.update(
            period="year",
            chart=self.year_chart(year),
            months=[(d, self.counts[(year, d.month)]) for d in context["date_list"]],
        )
        return context


class ArticleMonthArchive(DateArchiveMixin, MonthArchiveView):
    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        rows = (
            queryset.annotate(day=TruncDate("published_at"))
            .values_list("day")
            .annotate(n=Count("pk"))
            .order_by("day")
        )
        self.day_counts = dict(rows)
        if not self.day_counts:
            raise Http404("No articles this month")
        return sorted(self.day_counts)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = context["month"]
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
        context.update(
            period="month",
            chart=self.year_chart(month.year, current=(month.year, month.month)),
            weeks=[
                [(d, self.day_counts.get(d, 0) if d.month == month.month else None) for d in week]
                for week in weeks
            ],
            weekdays=[capfirst_local(WEEKDAYS_ABBR[i]) for i in range(7)],
        )
        return context


class ArticleDayArchive(DateArchiveMixin, DayArchiveView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(period="day", **kwargs)
