"""load_test's traffic: readers, editors and maintainers started together against one
gunicorn, each kind of client's requests tallied, for --seconds and until the
maintenance (a rebuild, reconciliations and, with --kill-node, a node's fault) is done."""

import random
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model

from archive.management.commands.benchmark_pages import SEARCH_WORDS, request
from archive.models import Tag

from .load_editor import Editor

EDITOR_SHARE = 0.4  # of the published articles, split between the editors
# Two maintainers, each running its commands in turn, at these fractions of --seconds:
# a rebuild (which takes most of a minute under this load on two cores), and
# reconciliations that may overlap it, as a cron job would.
MAINTENANCE = [
    [(0.2, ["rebuild_index", "--noinput"])],
    [(0.1, ["reconcile_index"]), (0.6, ["reconcile_index"])],
]
# --kill-node N: the fault, as a third maintainer (make's targets, see the Makefile).
NODE_FAULT = [
    (0.3, ["make", "-s", "cluster-kill", "N={n}"]),
    (0.55, ["make", "-s", "cluster-node", "N={n}"]),
]


class Tally:
    """Latency and answer of every request of one kind of client, from all its threads."""

    def __init__(self):
        self.latencies, self.statuses, self.unexpected = [], Counter(), Counter()
        self._lock = threading.Lock()

    def add(self, seconds, status, expected):
        with self._lock:
            self.latencies.append(seconds)
            self.statuses[status] += 1
            if status != expected and not (isinstance(status, int) and status >= 500):
                self.unexpected[status] += 1

    @property
    def server_errors(self):
        return sum(n for s, n in self.statuses.items() if isinstance(s, int) and s >= 500)


def maintenance_plans(kill_node=None):
    """The maintainers' plans: MAINTENANCE, and the fault on node `kill_node` if given."""
    if not kill_node:
        return MAINTENANCE
    fault = [(at, [a.format(n=kill_node) for a in args]) for at, args in NODE_FAULT]
    return [*MAINTENANCE, fault]


def share_articles(published, editors):
    """Each editor's own article ids, from the published (pk, slug) pairs, and the slugs
    of the rest, which the readers open."""
    published = list(published)
    random.Random(1).shuffle(published)
    split = max(editors, int(len(published) * EDITOR_SHARE))
    pools = [[pk for pk, _ in published[n:split:editors]] for n in range(editors)]
    return pools, [slug for _, slug in published[split:]]


def editor_accounts(count):
    """(username, password) of `count` superusers load-editor-N, made or given a new
    password."""
    users, accounts = get_user_model().objects, []
    for n in range(1, count + 1):
        username, password = f"load-editor-{n}", secrets.token_urlsafe(16)
        user = users.filter(username=username).first() or users.create_superuser(
            username, f"{username}@localhost", password
        )
        user.set_password(password)
        user.save()
        accounts.append((username, password))
    return accounts


def reader_paths(slugs):
    tags = list(
        Tag.objects.filter(articles__isnull=False).distinct().values_list("slug", flat=True)
    )[:10]
    searches = [urlencode({"q": w}) for w in SEARCH_WORDS]
    return (
        ["/"] * 2
        + [f"/articles/{s}/" for s in slugs[:40]]
        + [f"/tags/{t}/" for t in tags]
        + [f"/tags/{t}/feed/" for t in tags[:3]]
        + ["/feed/"] * 2
        + [f"/search/?{q}" for q in searches] * 3
        + [f"/api/search/?{q}" for q in searches] * 3
    )


def read(port, paths, tally, stop_event, seed):
    rng = random.Random(seed)
    while not stop_event.is_set():
        started = time.perf_counter()
        try:
            status, _headers, _body = request(port, rng.choice(paths))
        except OSError:
            status = "no answer"
        tally.add(time.perf_counter() - started, status, 200)


def run_load(port, env, paths, pools, accounts, readers, seconds, plans):
    """Readers, editors and maintainers at once: the tallies, the editors, what each
    maintenance command did, and the seconds it all took."""
    stop_event = threading.Event()
    reads, edits, saves = Tally(), Tally(), Tally()
    run_id = secrets.randbelow(9000) + 1000
    team = [
        Editor(n + 1, port, accounts[n], pool, run_id, edits, saves, stop_event)
        for n, pool in enumerate(pools)
    ]
    threads = [
        threading.Thread(target=read, args=(port, paths, reads, stop_event, n))
        for n in range(readers)
    ]
    maintenance = []
    started = time.monotonic()
    maintainers = [
        threading.Thread(target=maintain, args=(plan, env, started, seconds, maintenance))
        for plan in plans
    ]
    for thread in [*team, *threads, *maintainers]:
        thread.start()
    time.sleep(seconds)
    for thread in maintainers:  # the load goes on until the maintenance is done
        thread.join()
    stop_event.set()
    for thread in [*team, *threads]:
        thread.join()
    elapsed = time.monotonic() - started
    return {"reads": reads, "edits": edits, "saves": saves, "editors": team,
            "maintenance": maintenance, "elapsed": elapsed}  # fmt: skip


def maintain(plan, env, started, seconds, done):
    for at, args in plan:
        time.sleep(max(0.0, started + at * seconds - time.monotonic()))
        began = time.monotonic()
        command = args if args[0] == "make" else [sys.executable, "manage.py", *args]
        run = subprocess.run(
            command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
            timeout=600,
        )  # fmt: skip
        name = " ".join(args[2:]) if args[0] == "make" else args[0]
        done.append((name, began - started, time.monotonic() - began, run))
