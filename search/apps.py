from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        # Bulk writes (imports, demo content) fire no save signals; archive announces
        # them with one signal of its own, so it never has to import search.
        from archive.bulk import articles_written

        from .indexing import index_articles

        articles_written.connect(index_articles, dispatch_uid="search.index_articles")
