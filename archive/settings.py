"""One settings file, read from the environment (django-environ).

The defaults run the archive locally on SQLite + Whoosh under var/. Production sets
the variables listed in the README ("Production") and passes `check --deploy`.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

VAR_DIR = Path(env("ARCHIVE_VAR_DIR", default=str(BASE_DIR / "var")))
# The embedded default keeps its database and index here; a fresh clone has no var/.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# Production must set SECRET_KEY; the local default is marked insecure, so
# `check --deploy` refuses it.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-key-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before admin to patch the admin forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "haystack",
    "simple_history",
    "import_export",
    "archive",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in WAL mode with a busy timeout and IMMEDIATE transactions, so the web
# server, an import and the index writer can all write without "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'archive.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Cached pages are dropped on every edit, so every process must share one cache: a
# file cache under var/ by default (a management command's import reaches the
# server), Redis in production (CACHE_URL=redis://...).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Russian is the original and the default (no URL prefix); Azerbaijani
# and English are translations under /az/ and /en/.
LANGUAGE_CODE = "ru"
# Each language is named in itself (the switcher shows endonyms).
LANGUAGES = [("ru", "Русский"), ("az", "Azərbaycanca"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Baku")
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
# The fallback rule (README, "Languages"): a missing translation shows Russian, the
# original; an item that exists only in English or Azerbaijani shows that instead.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ru", "en", "az")}
# The admin's translation tabs use jQuery UI; serve it from our static files, not a CDN.
JQUERY_UI_URL = "vendor/jquery-ui-1.13.3.min.js"
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "search.backends.ArchiveWhooshEngine",
        "PATH": env("WHOOSH_PATH", default=str(VAR_DIR / "whoosh_index")),
        # rebuild_index commits once per batch, and each commit may merge segments:
        # 2,000 per batch built 10,000 articles ~1.7x faster than 500 (issue 6). A
        # batch of 2,000 articles is ~50 MB in memory while it is indexed.
        "BATCH_SIZE": 2000,
    },
}
# The default (True) runs an extra unlimited search per query only to narrow results
# by model; the archive indexes one model.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.OnCommitSignalProcessor"

IMPORT_EXPORT_USE_TRANSACTIONS = True

ARCHIVE_PAGE_SIZE = 20
ARCHIVE_FEED_SIZE = 20
# Lists, feeds and sitemaps are cached this many seconds; any edit invalidates them.
ARCHIVE_CACHE_TIMEOUT = env.int("ARCHIVE_CACHE_TIMEOUT", default=600)

# Production hardening: on unless DEBUG; each can be overridden from the environment.
# Trust X-Forwarded-Proto only when a TLS proxy in front says so (BEHIND_TLS_PROXY).
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preload only marks the header; submitting the domain to browsers stays a decision.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "archive": {"level": env("LOG_LEVEL", default="INFO")},
        "search": {"level": env("LOG_LEVEL", default="INFO")},
    },
}
