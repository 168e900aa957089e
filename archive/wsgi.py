import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# gunicorn and runserver serve through this module: with DEBUG off they refuse to start
# on the public development key, which would let anyone forge sessions.
if not settings.DEBUG and settings.SECRET_KEY == settings.INSECURE_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off the archive needs a secret key of its "
        'own: set SECRET_KEY to a long random string (README, "Production"), or '
        "DEBUG=1 for local development."
    )
