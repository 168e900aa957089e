from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import views

archive_patterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("rubrics/<slug:slug>/", views.RubricView.as_view(), name="rubric-detail"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag-detail"),
    path("sources/<slug:slug>/", views.SourceView.as_view(), name="source-detail"),
    path("<int:year>/", views.ArticleYearArchive.as_view(), name="archive-year"),
    path("<int:year>/<int:month>/", views.ArticleMonthArchive.as_view(), name="archive-month"),
    path(
        "<int:year>/<int:month>/<int:day>/", views.ArticleDayArchive.as_view(), name="archive-day"
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]
# Russian is the default and needs no prefix; /az/ and /en/ carry the translations.
urlpatterns += i18n_patterns(
    path("", include((archive_patterns, "archive"))),
    prefix_default_language=False,
)
