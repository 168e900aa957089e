"""sitemap.xml: an index of sections, each URL in every language it exists in, with
hreflang alternates (x-default is the Russian original) and lastmod."""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.urls import reverse

from .dates import month_counts
from .languages import LANGUAGE_CODES, translated_languages, with_translation_flags
from .models import Article, Rubric, Source, Story, Tag


class ItemsInLanguages(Paginator):
    """Pages of items, each item then listed once per language it exists in. Django's
    i18n sitemaps build every (item, language) pair of every item to cut one page: 0.5 s
    a page at 20,916 articles, and the index counted them all again per section."""

    def __init__(self, items, per_page, languages_of):
        super().__init__(items, per_page)
        self.languages_of = languages_of

    def _get_page(self, object_list, number, paginator):
        pairs = [(item, lang) for item in object_list for lang in self.languages_of(item)]
        return super()._get_page(pairs, number, paginator)


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Items a page (?p=N), each in up to three languages with its alternates: Django's
    # 50,000 made the articles one page of 10.7 MB at 20,916 articles, which a few
    # crawlers at once could not be sent without starving every reader (~0.7 MB now).
    limit = 500

    @property
    def paginator(self):
        return ItemsInLanguages(self.items(), self.limit, self.get_languages_for_item)


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
    """Rubrics, tags, sources or stories that have published articles; lastmod is their newest."""

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


class StorySitemap(LabelSitemap):
    model = Story


class PageSitemap(I18nSitemap):
    """The indexes: home, all articles, rubrics, tags, sources, stories, the date archive."""

    changefreq = "daily"

    def items(self):
        return [
            "archive:home",
            "archive:article-list",
            "archive:rubric-index",
            "archive:tag-index",
            "archive:source-index",
            "archive:story-index",
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
    "stories": StorySitemap,
    "dates": DateSitemap,
}
