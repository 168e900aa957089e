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
NOT_INHERITED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL", "WHOOSH_PATH")


def scratch_env(var_dir, **extra):
    env = {**os.environ, "ARCHIVE_VAR_DIR": str(var_dir), "DEBUG": "1", **extra}
    for name in NOT_INHERITED:
        env.pop(name, None)
    return env


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
