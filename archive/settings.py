"""One settings file, read from the environment (django-environ).

The defaults run the archive locally on SQLite + Whoosh under var/. Production sets
the variables listed in the README ("Production") and passes `check --deploy`.
"""

import base64
import hashlib
from pathlib import Path
from urllib.parse import quote

import environ
from import_export.formats.base_formats import CSV, JSON, TSV, XLSX

from .search_connection import search_connection

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

VAR_DIR = Path(env("ARCHIVE_VAR_DIR", default=str(BASE_DIR / "var")))
# The embedded default keeps its database and index here; a fresh clone has no var/.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
# Sessions and password resets are signed with SECRET_KEY: on a public default anyone
# could forge them, so with DEBUG off the server does not start on it (archive/wsgi.py).
# Management commands still run (migrate, makemigrations --check, check --deploy, which
# flags it): they sign nothing a visitor sees.
INSECURE_SECRET_KEY = "django-insecure-local-development-key-not-secret"
SECRET_KEY = env("SECRET_KEY", default="") or INSECURE_SECRET_KEY
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
    # search before haystack: its rebuild_index (build aside, switch) replaces haystack's.
    "search",
    "haystack",
    "simple_history",
    "import_export",
    "archive.login_throttling.LoginThrottlingConfig",  # django-axes, named in words
    # The article body's editor: its static files (archive/richtext.py).
    "django_prose_editor",
    "archive",
]

MIDDLEWARE = [
    # First, so its headers reach the responses that inner layers make themselves.
    "archive.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "archive.admin.language.AdminLanguageMiddleware",  # /admin/: cookie, then browser
    # CommonMiddleware, with /ru/... and a missing slash sent to the canonical URL in one hop.
    "archive.addresses.CanonicalAddressMiddleware",
    # Before the CSRF check: a POST to a reader's page is a 405, not a 403.
    "archive.security.ReadOnlyPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
            # `capfirst` writing Azerbaijani's dotted capital İ (archive/capitals.py).
            "builtins": ["archive.templatetags.capitals"],
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
CACHE_URL = env("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")
# django-environ would map redis:// to django-redis whenever that happens to be installed;
# the archive uses Django's own backend, which needs only the `redis` package.
CACHES = {
    "default": environ.Env.cache_url_config(
        CACHE_URL,
        backend="django.core.cache.backends.redis.RedisCache"
        if CACHE_URL.startswith(("redis://", "rediss://"))
        else None,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The login throttle (django-axes, settings under "Production hardening") checks first.
# Then the user database, where the demo account (editor / editor) logs in only with DEBUG.
AUTHENTICATION_BACKENDS = [
    "archive.security.LoginThrottleBackend",
    "archive.demo_account.NoDemoAccountBackend",
]

# Languages: Russian is the original and the default (no URL prefix); Azerbaijani
# and English are translations under /az/ and /en/.
LANGUAGE_CODE = "ru"
# Each language is named in itself (the switcher shows endonyms).
LANGUAGES = [("ru", "Русский"), ("az", "Azərbaycanca"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["archive.formats"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Baku")
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
# The fallback rule (README, "Languages"): a missing translation shows Russian, the
# original; an item that exists only in English or Azerbaijani shows that instead.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ru", "en", "az")}
# modeltranslation's admin scripts take the admin's own jQuery, never a CDN's. Its jQuery UI
# tabs are not loaded at all: archive/admin/translation_tabs.py replaces them.
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
# Files served at the site's root: /favicon.ico and /apple-touch-icon.png, which browsers
# ask for without a link (archive/icons.py draws them).
WHITENOISE_ROOT = BASE_DIR / "archive" / "root"
# whitenoise knows no .webmanifest: the pages' manifests went out as application/octet-stream.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}
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

# The search engine and where its index is (search.engines): whoosh:///<absolute path>,
# the default (WHOOSH_PATH, the older setting, still names its path), or an OpenSearch
# cluster, opensearch://host:port[,host:port...]/<alias> (README, "Scaling out").
SEARCH_URL = env(
    "SEARCH_URL",
    default="whoosh://" + quote(env("WHOOSH_PATH", default=str(VAR_DIR / "whoosh_index"))),
)


HAYSTACK_CONNECTIONS = {"default": search_connection(SEARCH_URL)}
# The default (True) runs an extra unlimited search per query only to narrow results
# by model; the archive indexes one model.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.OnCommitSignalProcessor"
# "inline": a save writes the index after commit, a background thread retries what
# could not be written (no extra process). "worker": saves only queue; run
# `manage.py index_worker` beside the web processes (README, "Production").
SEARCH_INDEX_WRITES = env("SEARCH_INDEX_WRITES", default="inline")

# Requests per client (an IPv4 address, an IPv6 /64) per window, "count/seconds", on the
# endpoints that cost the most (archive.ratelimit); "0/60" turns one off. A reader clicks
# a few times a minute and types a few letters a second; a feed reader polls every few
# minutes; a crawler reads a sitemap's pages in a burst, a few times a day.
RATE_LIMITS = {
    "search": env("SEARCH_RATE_LIMIT", default="60/60"),
    "suggest": env("SUGGEST_RATE_LIMIT", default="120/60"),
    "feed": env("SEARCH_FEED_RATE_LIMIT", default="30/60"),
    "sitemap": env("SITEMAP_RATE_LIMIT", default="120/60"),
    # Per editor's address: the article form asks once on opening and on each click.
    "assist": env("ASSIST_RATE_LIMIT", default="30/60"),
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
# What the admin's import and export offer (README, "The admin"), each tested both ways
# in tests/test_admin_formats.py; rows a spreadsheet program left empty are skipped.
IMPORT_EXPORT_FORMATS = [CSV, TSV, JSON, XLSX]
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True
# Imports refuse what would not fit in memory (archive.importers): one JSON Lines line,
# one RSS/Atom file, one upload in the admin.
ARCHIVE_IMPORT_MAX_LINE_BYTES = env.int("ARCHIVE_IMPORT_MAX_LINE_BYTES", default=16 * 2**20)
ARCHIVE_IMPORT_MAX_FEED_BYTES = env.int("ARCHIVE_IMPORT_MAX_FEED_BYTES", default=64 * 2**20)
ARCHIVE_ADMIN_IMPORT_MAX_BYTES = env.int("ARCHIVE_ADMIN_IMPORT_MAX_BYTES", default=16 * 2**20)

# Image uploads (archive/images.py): bytes, pixels and the longer side an upload may
# have; a bigger file is refused with a message naming the limit (README, "The admin").
ARCHIVE_IMAGE_MAX_BYTES = env.int("ARCHIVE_IMAGE_MAX_BYTES", default=10 * 2**20)
ARCHIVE_IMAGE_MAX_PIXELS = env.int("ARCHIVE_IMAGE_MAX_PIXELS", default=50_000_000)
ARCHIVE_IMAGE_MAX_SIDE = env.int("ARCHIVE_IMAGE_MAX_SIDE", default=12_000)

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

# Content-Security-Policy (archive/security.py): scripts and styles only from our own
# static files, nothing inline, no plugins, no framing, forms post only to us. Article
# bodies and video links may point at an agency's images and video files (https only);
# images and media cannot run code.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "https:"],
    "media-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def inline_source(value: str) -> str:
    """A CSP source allowing exactly this inline attribute value (with 'unsafe-hashes')."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'"


# (path regex, extra sources): the exact inline attributes two third-party admin pages
# carry, allowed by hash on those pages only (tests/test_security_browser.py finds them).
CONTENT_SECURITY_POLICY_EXCEPTIONS = [
    # django-import-export's export form: the "select all" box has an inline onchange
    # handler and two style attributes (admin/import_export/export.html).
    (
        r"^/admin/[^/]+/[^/]+/export/$",
        {
            "script-src-attr": ["'unsafe-hashes'", inline_source("onSelectToggleChange(event)")],
            "style-src-attr": [
                "'unsafe-hashes'",
                inline_source("padding: 0;"),
                inline_source("font-weight: bold;"),
            ],
        },
    ),
    # django-simple-history's history list: one style attribute on its paginator.
    (
        r"^/admin/[^/]+/[^/]+/[^/]+/history/$",
        {"style-src-attr": ["'unsafe-hashes'", inline_source("border-top: 0")]},
    ),
]
# Report instead of block: on in development, so Django's debug pages keep their
# inline styles; set CSP_REPORT_ONLY=1 to try a changed policy in production first.
CONTENT_SECURITY_POLICY_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=DEBUG)

# Admin login throttling (django-axes), counted in the database so every worker sees
# the same count: one user name from one address is locked out after
# LOGIN_FAILURES_PER_USER failures, one address (whatever names it tries: spraying)
# after LOGIN_FAILURES_PER_ADDRESS, for AXES_COOLOFF_HOURS (0: until
# `manage.py axes_reset`). Another address (the real editor) can still log in; a
# success before the limit clears the count. archive.security.failure_limit joins them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
LOGIN_FAILURES_PER_USER = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_FAILURE_LIMIT = "archive.security.failure_limit"
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# A successful login clears that user name's failures from that address only
# (archive.security.forget_own_failures): axes' own reset would also clear every other
# name tried from the address, lifting an intruder's lock whenever a colleague logs in.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "archive.security.lockout_response"
# The client address is REMOTE_ADDR: a forged X-Forwarded-For changes nothing. Behind
# proxies that append to X-Forwarded-For, say how many (archive.security.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "archive.security.client"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # A flood refused with 429 would otherwise write a warning per request.
        "not_429": {
            "()": "django.utils.log.CallbackFilter",
            "callback": lambda record: getattr(record, "status_code", None) != 429,
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["not_429"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "archive": {"level": env("LOG_LEVEL", default="INFO")},
        "search": {"level": env("LOG_LEVEL", default="INFO")},
        # Failed logins and lockouts (warnings), not a banner and a line per login.
        "axes": {"level": "WARNING"},
        # The OpenSearch client logs every refused node it fails over from and every 404
        # the engine expects (an alias not made yet); the engine logs what matters.
        "elasticsearch": {"level": "ERROR"},
    },
}
