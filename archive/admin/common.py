"""What every admin of the archive shares."""

from django.db import models

# Editors paste bare domains; assume https (Django 6's default) rather than http.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class SlugMedia:
    # Listed after urlify.js so the merged media loads ours second and it wraps Django's.
    js = ("admin/js/urlify.js", "archive/admin/slugify.js")
