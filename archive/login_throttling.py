"""django-axes' app under a name in words: without one, the admin titles its section
with the package's label, "AXES", in every language. (A module of its own: beside
ArchiveConfig in apps.py, Django could no longer tell which config is the archive's.)"""

from axes.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginThrottlingConfig(AppConfig):
    verbose_name = _("Login throttling")
