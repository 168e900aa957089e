"""manage.py in a subprocess with the real settings, on a scratch database and index.

For the tests that need real processes (gunicorn, a killed writer). Everything that
would point the subprocess elsewhere is dropped: the CI run against PostgreSQL sets
DATABASE_URL, whose database may hold another run's articles.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
NOT_INHERITED = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CACHE_URL",
    "WHOOSH_PATH",
    "SEARCH_URL",
)


def scratch_env(var_dir, **extra):
    """The environment of a scratch manage.py: this one's, less what would point it at
    another database, cache or index, plus `extra` (which may name another on purpose)."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {**env, "ARCHIVE_VAR_DIR": str(var_dir), "DEBUG": "1", **extra}


def run_manage(env, *args, timeout=300, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )
