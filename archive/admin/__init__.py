"""The newsroom desk: Django's admin, one module per part."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import accounts, articles, images, names, stories  # noqa: F401  (register the admins)
from .imports import TEXT_FILE_PROBLEMS, ArticleResource  # noqa: F401  (tests import them here)

admin.site.site_header = _("News archive")
admin.site.site_title = _("News archive")
