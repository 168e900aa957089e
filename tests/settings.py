"""Lean test settings on top of the real ones: same apps, databases and search code."""

import os
import tempfile

# The tests run with DEBUG off, where the real settings refuse to start without a key
# (subprocesses the tests start inherit this one).
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-" + "0123456789abcdef" * 3)

from archive.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests talk plain HTTP to the test client and the live server.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Each test session gets its own index directory; tests that need a clean index
# use the `search_index` fixture, which points haystack at a fresh one.
HAYSTACK_CONNECTIONS["default"]["PATH"] = tempfile.mkdtemp(prefix="archive-test-index-") + "/index"  # noqa: F405
STATIC_ROOT = tempfile.mkdtemp(prefix="archive-test-static-")
# Uploaded pictures and renditions (the image tests point it at a directory per test).
MEDIA_ROOT = tempfile.mkdtemp(prefix="archive-test-media-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Background index threads (retries, repairs) stay off except in the tests that
# start them on purpose: a thread outliving its test would write to the next one's index.
SEARCH_BACKGROUND_RETRY = False
SEARCH_AUTO_REPAIR = False
# The suite asks for far more searches from one address than a reader would;
# tests/test_ratelimit.py sets the limits it checks.
RATE_LIMITS = {k: "0/60" for k in ("search", "suggest", "feed", "sitemap", "assist")}
