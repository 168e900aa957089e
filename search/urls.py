from django.urls import path

from archive.feeds.formats import AtomFeed
from archive.ratelimit import limited

from . import views
from .feeds import SearchFeed

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="page"),
    path("api/search/", views.search_api, name="api"),
    path("api/suggest/", views.suggest_api, name="suggest"),
    path("search/feed/", limited("feed")(SearchFeed()), name="feed"),
    path("search/feed/atom/", limited("feed")(SearchFeed(AtomFeed)), name="feed-atom"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
