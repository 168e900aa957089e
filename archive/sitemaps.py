"""sitemap.xml: an index of sections, each URL in every language it exists in, with
hreflang alternates (x-default is the Russian original) and lastmod."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .dates import month_counts
from .languages import LANGUAGE_CODES, translated_languages, with_translation_flags
from .models import Article, Rubric, Source, Tag


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ArticleSitemap(I18nSitemap):
    changefreq = "monthly"

    def items(self):
        # Only the columns the sitemap needs; has_<lang> flags instead of the bodies.
        return with_translation_flags(
            Article.objects.published().only("pk", "slug", "updated_at", "published_at")
        ).order_by("-published_at", "-pk")

    def get_languages_for_item(self, item):
        return translated_languages(item)

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(at=Max("updated_at"))["at"]


class LabelSitemap(I18nSitemap):
    """Rubrics, tags or sources that have published articles; lastmod is their newest."""

    model = None
    changefreq = "weekly"

    def items(self):
        published = Q(articles__in=Article.objects.published())
        return (
            self.model.objects.annotate(lastmod=Max("articles__updated_at", filter=published))
            .filter(lastmod__isnull=False)
            .only("pk", "slug")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.lastmod

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(at=Max("updated_at"))["at"]


class RubricSitemap(LabelSitemap):
    model = Rubric


class TagSitemap(LabelSitemap):
    model = Tag


class SourceSitemap(LabelSitemap):
    model = Source


class PageSitemap(I18nSitemap):
    """The indexes: home, all articles, rubrics, tags, sources, the date archive."""

    changefreq = "daily"

    def items(self):
        return [
            "archive:home",
            "archive:article-list",
            "archive:rubric-index",
            "archive:tag-index",
            "archive:source-index",
            "archive:archive-index",
        ]

    def location(self, item):
        return reverse(item)

    def get_languages_for_item(self, item):
        return LANGUAGE_CODES


class DateSitemap(I18nSitemap):
    """Years and months that hold articles (days are left to the month pages' calendars)."""

    changefreq = "monthly"

    def items(self):
        months = sorted(month_counts())
        years = sorted({(y,) for y, _m in months})
        return years + months

    def location(self, item):
        name = "archive:archive-year" if len(item) == 1 else "archive:archive-month"
        return reverse(name, args=item)


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "rubrics": RubricSitemap,
    "tags": TagSitemap,
    "sources": SourceSitemap,
    "dates": DateSitemap,
}
