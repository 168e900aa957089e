"""manage.py load_test: readers, editors and index maintenance at once, under gunicorn.

Starts gunicorn as benchmark_pages does (loopback, production-like settings) on the
database and index of ARCHIVE_VAR_DIR, which must be a scratch folder: the run renames,
tags, adds and deletes articles and creates admin accounts. For --seconds:

- readers (threads) fetch the home page, article and tag pages, feeds, search pages and
  the JSON search API with Russian words;
- editors (threads, each logged in to the admin with its own account, as a browser:
  cookies, CSRF token, every field of the form sent back) change an article's Russian
  title to a unique one and add or remove a tag; now and then one adds an article or
  deletes one through the confirmation page. Each editor has its own articles, so the
  last title it saved is the article's title;
- `reconcile_index` runs twice and `rebuild_index --noinput` once, as other processes;
- with --kill-node N (the index on the project's cluster, `make cluster`): node N's JVM
  is killed (SIGKILL) at 30 % of --seconds and restarted at 55 %, and must rejoin.

Load goes on until the maintenance has finished. Then, once the index queue has
drained, every article an editor saved must be found through /api/search/ by its last
title, with its tags, and no deleted article may be found. PASS also needs no 5xx, every
save answered with a redirect, and no request waiting more than 2 s for the index lock:
gunicorn's log is read with each line's thread name, so the waits of the background
retrier (not a request) are shown apart.

The work is in search.management: load_traffic (the readers, the maintainers and the
tallies), load_editor and admin_forms (an editor in the admin), load_checks (the drain
and the search check), load_report (the figures, the verdict) and flood (--flood).
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from archive.management.commands.benchmark_pages import (
    HOST,
    RATE_LIMIT_VARIABLES,
    free_port,
    server_env,
    start_gunicorn,
    stop,
    wait_until_up,
)
from archive.models import Article
from search import engines
from search.management import flood as flood_scenario
from search.management.load_checks import check_search, drain
from search.management.load_report import GUNICORN_CONFIG, report
from search.management.load_traffic import (
    editor_accounts,
    maintenance_plans,
    reader_paths,
    run_load,
    share_articles,
)
from search.reconcile import reconcile


class Command(BaseCommand):
    help = "Readers, editors, reconciliation and a rebuild at once under gunicorn: PASS or FAIL."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=60.0)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")
        parser.add_argument("--readers", type=int, default=4, help="Reader threads.")
        parser.add_argument("--editors", type=int, default=3, help="Editor threads.")
        parser.add_argument(
            "--articles", type=int, default=300, help="Generate articles first up to this many."
        )
        parser.add_argument(
            "--flood",
            type=int,
            metavar="CONNECTIONS",
            help="Instead: flood suggestions, the costliest search and the sitemap with this "
            "many connections for --seconds each, while a prober opens the home page.",
        )
        parser.add_argument(
            "--no-limits", action="store_true", help="With --flood: rate limits off."
        )
        parser.add_argument(
            "--kill-node",
            type=int,
            choices=(1, 2, 3),
            help="SIGKILL this node of the local cluster during the load, then restart it "
            "(SEARCH_URL=opensearch://..., make cluster).",
        )

    def handle(self, seconds, workers, readers, editors, articles, flood=None, **options):
        if options.get("kill_node") and engines.current().name != "opensearch":
            raise CommandError(
                "--kill-node needs the index on the cluster: SEARCH_URL=opensearch://..."
            )
        plans = maintenance_plans(options.get("kill_node"))
        name = str(settings.DATABASES["default"].get("NAME", ""))
        if not settings.DEBUG or Path(settings.BASE_DIR) / "var" in Path(name).parents:
            raise CommandError(
                "load_test edits and deletes articles: run it with DEBUG=1 and "
                "ARCHIVE_VAR_DIR set to a scratch directory."
            )
        if not (1 <= workers <= 8 and readers >= 1 and editors >= 1):
            raise CommandError("--workers 1 to 8, at least one reader and one editor")
        if Article.objects.published().count() < articles:
            call_command("generate_articles", count=articles, verbosity=0)
        out = self.stdout.write
        out(f"index before the run: {reconcile(fix=True).summary()}")
        if flood:
            return self.flood(flood, workers, seconds, options["no_limits"])
        published = list(Article.objects.published().values_list("pk", "slug"))
        pools, reader_slugs = share_articles(published, editors)
        accounts = editor_accounts(editors)
        port = free_port()
        log_path = settings.VAR_DIR / "load_test-gunicorn.log"
        config = settings.VAR_DIR / "load_test-gunicorn.conf.py"
        config.write_text(GUNICORN_CONFIG)
        env = server_env(LOG_LEVEL="INFO")
        with open(log_path, "w") as log:
            server = start_gunicorn(port, workers, env, stderr=log, config=config)
            try:
                wait_until_up(server, port)
                out(
                    f"gunicorn {workers} sync workers on {HOST}:{port}; {readers} readers, "
                    f"{editors} editors for {seconds:.0f} s; {len(published)} published "
                    f"articles; CPUs: {os.cpu_count()}"
                )
                paths = reader_paths(reader_slugs)
                result = run_load(port, env, paths, pools, accounts, readers, seconds, plans)
                result["drain"] = drain()
                # Another process's searchers see a commit within refresh_seconds.
                time.sleep(2 * engines.current().refresh_seconds)
                result["search"] = check_search(port, result["editors"], workers)
            finally:
                stop(server)
        result["log"] = log_path.read_text(errors="replace")
        report(out, result, log_path)

    def flood(self, connections, workers, seconds, no_limits):
        # SERVER_ENV turns the per-client limits off; a flood is measured with the limits
        # a production site has (this process's settings), unless --no-limits.
        limits = {} if no_limits else {
            RATE_LIMIT_VARIABLES[kind]: rate for kind, rate in settings.RATE_LIMITS.items()
        }  # fmt: skip
        port, log_path = free_port(), settings.VAR_DIR / "load_test-gunicorn.log"
        with open(log_path, "w") as log:
            server = start_gunicorn(port, workers, server_env(**limits), stderr=log)
            try:
                wait_until_up(server, port)
                self.stdout.write(
                    f"gunicorn {workers} sync workers on {HOST}:{port}; "
                    f"{Article.objects.published().count():,} published articles; rate limits "
                    + ("off" if no_limits else str(settings.RATE_LIMITS))
                )
                passed = flood_scenario.run(port, connections, seconds, self.stdout.write)
            finally:
                stop(server)
        if not passed:
            raise CommandError(f"flood: FAIL (gunicorn log: {log_path})")
