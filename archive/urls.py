from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from . import dates, preview, stories, views
from .cache import cached_page
from .canonical import (
    KIND,
    ONLY_PAGE,
    PAGE,
    SITEMAP_PAGE,
    DayConverter,
    MonthConverter,
    YearConverter,
)
from .feeds.formats import AtomFeed
from .feeds.subjects import (
    LanguageFeed,
    LatestFeed,
    RubricFeed,
    SourceFeed,
    StoryFeed,
    TagFeed,
)
from .ratelimit import limited
from .sitemaps import SITEMAPS

register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")
register_converter(DayConverter, "day")

# Lists, indexes and the date archive are cached (archive/cache.py); articles are not.
# Each cached page names the query parameters it takes (archive/canonical.py): any other
# spelling of its URL is a 301 to the canonical one, a bad value a 404.
LIST = (PAGE,)  # a list paged with ?page=N
archive_patterns = [
    path("", cached_page(views.home, params=(ONLY_PAGE,)), name="home"),
    path("articles/", cached_page(views.LatestView.as_view(), params=LIST), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    # Editors only, never cached (archive/preview.py).
    path("preview/<int:pk>/", preview.ArticlePreviewView.as_view(), name="article-preview"),
    path(
        "rubrics/", cached_page(views.RubricIndexView.as_view(), params=LIST), name="rubric-index"
    ),
    path(
        "rubrics/<slug:slug>/",
        cached_page(views.RubricView.as_view(), params=LIST),
        name="rubric-detail",
    ),
    path("tags/", cached_page(views.TagIndexView.as_view(), params=(KIND, PAGE)), name="tag-index"),
    path("tags/<slug:slug>/", cached_page(views.TagView.as_view(), params=LIST), name="tag-detail"),
    path(
        "sources/", cached_page(views.SourceIndexView.as_view(), params=LIST), name="source-index"
    ),
    path(
        "sources/<slug:slug>/",
        cached_page(views.SourceView.as_view(), params=LIST),
        name="source-detail",
    ),
    path(
        "stories/", cached_page(stories.StoryIndexView.as_view(), params=LIST), name="story-index"
    ),
    path(
        "stories/<slug:slug>/",
        cached_page(stories.StoryDetailView.as_view(), params=LIST),
        name="story-detail",
    ),
    path("archive/", cached_page(dates.archive_index, params=(ONLY_PAGE,)), name="archive-index"),
    path(
        "<year:year>/",
        cached_page(dates.ArticleYearArchive.as_view(), params=LIST),
        name="archive-year",
    ),
    path(
        "<year:year>/<month:month>/",
        cached_page(dates.ArticleMonthArchive.as_view(), params=LIST),
        name="archive-month",
    ),
    path(
        "<year:year>/<month:month>/<day:day>/",
        cached_page(dates.ArticleDayArchive.as_view(), params=LIST),
        name="archive-day",
    ),
    # Feeds: RSS at .../feed/, Atom at .../feed/atom/ (cached and conditional:
    # feeds/conditional.py).
    path("feed/", LatestFeed(), name="feed"),
    path("feed/atom/", LatestFeed(AtomFeed), name="feed-atom"),
    path("feed/language/", LanguageFeed(), name="language-feed"),
    path("feed/language/atom/", LanguageFeed(AtomFeed), name="language-feed-atom"),
    path("rubrics/<slug:slug>/feed/", RubricFeed(), name="rubric-feed"),
    path("rubrics/<slug:slug>/feed/atom/", RubricFeed(AtomFeed), name="rubric-feed-atom"),
    path("tags/<slug:slug>/feed/", TagFeed(), name="tag-feed"),
    path("tags/<slug:slug>/feed/atom/", TagFeed(AtomFeed), name="tag-feed-atom"),
    path("sources/<slug:slug>/feed/", SourceFeed(), name="source-feed"),
    path("sources/<slug:slug>/feed/atom/", SourceFeed(AtomFeed), name="source-feed-atom"),
    path("stories/<slug:slug>/feed/", StoryFeed(), name="story-feed"),
    path("stories/<slug:slug>/feed/atom/", StoryFeed(AtomFeed), name="story-feed-atom"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's set_language: the admin's language switch sets the cookie the admin follows.
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        limited("sitemap")(cached_page(require_safe(sitemap_views.index), params=())),
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "sitemap-section",
            "template_name": "archive/sitemap_index.xml",
        },
        name="sitemap",
    ),  # fmt: skip
    path(
        "sitemap-<section>.xml",
        limited("sitemap")(
            cached_page(require_safe(sitemap_views.sitemap), params=(SITEMAP_PAGE,))
        ),
        {"sitemaps": SITEMAPS, "template_name": "archive/sitemap.xml"},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(
            template_name="robots.txt", content_type="text/plain", http_method_names=["get", "head"]
        ),
        name="robots",
    ),
]
# Russian is the default and needs no prefix; /az/ and /en/ carry the translations.
# (More apps add their pages here, e.g. path("search/", include("search.urls")).)
urlpatterns += i18n_patterns(
    path("", include((archive_patterns, "archive"))),
    path("", include("search.urls")),
    prefix_default_language=False,
)

# Uploaded pictures' renditions (MEDIA_ROOT) in development; in production the web server
# in front serves them (README, "The admin"). static() adds nothing unless DEBUG is on.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
