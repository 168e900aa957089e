"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "archive.settings", **env},
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789abcdef",
    "ALLOWED_HOSTS": "archive.example.org",
    "DATABASE_URL": "sqlite:////tmp/archive-deploy-check.sqlite3",
}
PRODUCTION_KEY = {"SECRET_KEY": PRODUCTION["SECRET_KEY"]}


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_the_development_key():
    env = {**PRODUCTION, "SECRET_KEY": "django-insecure-local-development-key-not-secret"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def serve(**env):
    """Import the WSGI application as gunicorn and runserver do, in a clean process."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import archive.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "archive.settings", **env},
        timeout=120,
    )


def test_without_debug_the_server_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = serve(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set. With DEBUG off" in result.stderr
    assert serve(**PRODUCTION).returncode == 0, serve(**PRODUCTION).stderr
    # Local development keeps its default key (`make run` sets DEBUG=1 and no key), and
    # commands run without one (the deploy check names it).
    assert serve(DEBUG="1").returncode == 0
    assert manage("makemigrations", "--check", "--dry-run", DEBUG="0").returncode == 0
    deploy = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert deploy.returncode != 0 and "security.W009" in deploy.stdout + deploy.stderr


def test_deploy_check_fails_while_the_demo_account_exists(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}"}
    for args in (["migrate", "--verbosity", "0"], ["ensure_editor"]):
        assert manage(*args, DEBUG="1", **database).returncode == 0
    production = {**PRODUCTION, **database}
    result = manage("check", "--deploy", **production)
    assert result.returncode != 0
    assert "archive.E001" in result.stderr, result.stdout + result.stderr
    assert "The demo account 'editor' with its known password" in result.stderr

    renamed = "from django.contrib.auth.models import User; User.objects.update(username='ed')"
    assert manage("shell", "-c", renamed, **production).returncode == 0
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (PRODUCTION_KEY, "sqlite3 False"),
        ({"DEBUG": "1"}, "sqlite3 True"),
        (
            {"DATABASE_URL": "postgres://u@127.0.0.1:5432/archive", **PRODUCTION_KEY},
            "postgresql False",
        ),
    ],
)
def test_database_and_debug_come_from_the_environment(env, expected):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'].rsplit('.', 1)[1], s.DEBUG)"
    )
    result = manage("shell", "-c", code, **env)
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_the_file_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "from django.db import connection as c; c.ensure_connection(); "
        "cur = c.cursor(); cur.execute('PRAGMA journal_mode'); "
        "print(cur.fetchone()[0], c.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = manage("shell", "-c", code, ARCHIVE_VAR_DIR=str(tmp_path), DEBUG="1")
    assert result.stdout.strip().splitlines()[-1] == "wal IMMEDIATE", result.stderr
    assert (tmp_path / "archive.sqlite3").exists()


@pytest.mark.parametrize(
    ("env", "path"),
    [
        ({"WHOOSH_PATH": "/tmp/archive index%1"}, "/tmp/archive index%1"),
        ({"SEARCH_URL": "whoosh:///tmp/elsewhere", "WHOOSH_PATH": "/tmp/not"}, "/tmp/elsewhere"),
    ],
)
def test_search_url_names_the_index_and_whoosh_path_still_works(env, path):
    code = "from django.conf import settings; print(settings.HAYSTACK_CONNECTIONS['default'])"
    result = manage("shell", "--no-imports", "-c", code, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    assert f"'PATH': {path!r}" in result.stdout


def test_search_url_names_an_opensearch_cluster_and_its_alias():
    code = "from django.conf import settings; print(settings.HAYSTACK_CONNECTIONS['default'])"
    url = "opensearch://127.0.0.1:9201,127.0.0.1:9202/news"
    result = manage("shell", "--no-imports", "-c", code, DEBUG="1", SEARCH_URL=url)
    assert result.returncode == 0, result.stderr
    assert "'URL': ['http://127.0.0.1:9201', 'http://127.0.0.1:9202']" in result.stdout
    assert "'INDEX_NAME': 'news'" in result.stdout


def test_an_opensearch_url_with_tls_and_an_account():
    from archive.search_connection import search_connection

    found = search_connection(
        "opensearchs://reader:s3cret@a.example.org:9200,b.example.org:9200/news"
    )
    assert found["URL"] == [
        "https://reader:s3cret@a.example.org:9200",
        "https://reader:s3cret@b.example.org:9200",
    ]
    assert found["INDEX_NAME"] == "news"


@pytest.mark.parametrize(
    "url", ["solr://127.0.0.1:8983/archive", "opensearch://127.0.0.1:9201", "opensearch:///x"]
)
def test_an_engine_that_does_not_exist_or_an_incomplete_url_is_refused(url):
    result = manage("check", DEBUG="1", SEARCH_URL=url)
    assert result.returncode != 0
    assert "whoosh:///<path>" in result.stderr or "host:port" in result.stderr, result.stderr
