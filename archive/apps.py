from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("News archive")

    def ready(self):
        # Cache invalidation listens to saves in every process (commands too), not
        # only in those that happened to load the URLconf; the deploy check that
        # refuses the demo account registers on import; so does the login signal that
        # clears an editor's own failed logins; and a deleted image takes its files along.
        from . import cache, demo_account, renditions, security  # noqa: F401
