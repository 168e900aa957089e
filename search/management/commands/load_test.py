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
"""

import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import html5lib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from archive.management.commands.benchmark_pages import (
    HOST,
    RATE_LIMIT_VARIABLES,
    SEARCH_WORDS,
    free_port,
    percentile,
    request,
    server_env,
    start_gunicorn,
    stop,
    wait_until_up,
)
from archive.models import Article, Tag
from search import engines
from search.indexing import EDITOR_LOCK_WAIT
from search.management import flood as flood_scenario
from search.models import PendingUpdate
from search.reconcile import reconcile

LOCK_WAIT_LIMIT = 2.0  # seconds a request may wait for the index lock
DRAIN_SECONDS = 30.0
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
TITLE_WORDS = ["город", "рынок", "банк", "программа", "безопасность", "энергетика"]
# gunicorn hook: prefix every log line with its thread, so that a request's lock wait
# (a sync worker serves requests on MainThread) is told from the retrier's.
GUNICORN_CONFIG = """import logging


def post_worker_init(worker):
    formatter = logging.Formatter("[%(threadName)s] %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
"""
WAITED = re.compile(r"^(?:\[(\S+)\] \S+ \S+: )?waited ([\d.]+) s for the index lock", re.M)
GAVE_UP = re.compile(r"^\[MainThread\] WARNING search\.indexing: search index write", re.M)
SERVER_ERROR = re.compile(
    r"^\[[^\]]+\] (?:\[\d+\] \[)?(?:ERROR|CRITICAL)\]? .*(?:\n(?!\[).*)*", re.M
)


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


def form_fields(page, form_id=None, submit=None):
    """What a browser submits from the form (by id, else the one with a `post` field),
    plus the `submit` button's name and value."""
    doc = html5lib.parse(page, transport_encoding="utf-8", namespaceHTMLElements=False)
    forms = [f for f in doc.iter("form") if f.get("id") == form_id] if form_id else [
        f for f in doc.iter("form") if f.find(".//input[@name='post']") is not None
    ]  # fmt: skip
    if not forms:
        raise ValueError(f"no form {form_id or 'with a post field'} on the page")
    fields = []
    for el in forms[0].iter():
        name = el.get("name")
        if not name or "disabled" in el.attrib:
            continue
        if el.tag == "input":
            kind = el.get("type", "text").lower()
            if kind == "submit":
                if name == submit:
                    fields.append((name, el.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in el.attrib:
                    fields.append((name, el.get("value", "on")))
            elif kind not in ("button", "image", "reset", "file"):
                fields.append((name, el.get("value", "")))
        elif el.tag == "textarea":
            fields.append((name, el.text or ""))
        elif el.tag == "select":
            options = list(el.iter("option"))
            chosen = [o for o in options if "selected" in o.attrib]
            if not chosen and "multiple" not in el.attrib:
                chosen = options[:1]
            fields += [(name, o.get("value", o.text or "")) for o in chosen]
    return fields


def replaced(fields, **values):
    """The fields with these names given these values (a list for several)."""
    kept = [(k, v) for k, v in fields if k not in values]
    for name, value in values.items():
        kept += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return kept


def form_errors(page):
    doc = html5lib.parse(page, transport_encoding="utf-8", namespaceHTMLElements=False)
    lists = [ul for ul in doc.iter("ul") if "errorlist" in ul.get("class", "")]
    return "; ".join(" ".join("".join(ul.itertext()).split()) for ul in lists)[:300]


class Editor(threading.Thread):
    """One editor in the admin, over HTTP: a cookie jar, one connection per request."""

    def __init__(self, number, port, account, pool, run, tally, saves, stop_event):
        super().__init__(name=f"editor-{number}")
        self.number, self.port, self.account, self.run_id = number, port, account, run
        self.pool, self.tally, self.saves, self.stop_event = list(pool), tally, saves, stop_event
        self.rng = random.Random(number)
        self.cookies, self.tag_ids, self.count = {}, [], 0
        self.saved = {}  # pk: (title, tag ids), as last saved
        self.deleted = {}  # pk: its last title
        self.actions, self.errors = Counter(), []

    def send(self, path, fields=None, expect=200):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields).encode()
            origin = f"http://{HOST}:{self.port}"
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin}
            headers["Referer"] = origin + path
        started = time.perf_counter()
        status = "no answer"
        try:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                conn.request("POST" if body is not None else "GET", path, body, headers)
                response = conn.getresponse()
                page, status = response.read(), response.status
            finally:
                conn.close()
        finally:
            seconds = time.perf_counter() - started
            self.tally.add(seconds, status, expect)
            if fields is not None:
                self.saves.add(seconds, status, expect)
        for header in response.msg.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return status, response.getheader("Location", ""), page

    def run(self):
        try:
            self.log_in()
        except Exception as exc:
            self.errors.append(f"editor {self.number} could not log in: {exc}")
            return
        while not self.stop_event.is_set():
            renamed = list(self.saved)
            roll = self.rng.random()
            action = (
                "delete" if roll < 0.08 and len(renamed) > 2 else "add" if roll < 0.16 else "edit"
            )
            try:
                getattr(self, action)(*([self.rng.choice(renamed)] if action == "delete" else []))
                self.actions[action] += 1
            except Exception as exc:
                self.errors.append(f"editor {self.number}, {action}: {exc}")

    def log_in(self):
        path = "/admin/login/?next=/admin/"
        status, _, page = self.send(path)
        username, password = self.account
        fields = replaced(form_fields(page, "login-form"), username=username, password=password)
        status, location, page = self.send(path, fields, expect=302)
        if status != 302:
            raise RuntimeError(f"login answered {status}: {form_errors(page)}")
        query = urlencode({"app_label": "archive", "model_name": "article", "field_name": "tags"})
        status, _, page = self.send(f"/admin/autocomplete/?{query}&term=")
        self.tag_ids = [item["id"] for item in json.loads(page)["results"]]

    def new_title(self):
        self.count += 1
        token = f"р{self.run_id}и{self.number}н{self.count}"  # one word, found only here
        return f"Нагрузка {token} {self.rng.choice(TITLE_WORDS)}"

    def save(self, path, fields):
        status, location, page = self.send(path, fields, expect=302)
        if status != 302:
            raise RuntimeError(f"{path} answered {status}: {form_errors(page)}")
        return location

    def edit(self):
        pk = self.rng.choice(self.pool)
        path = f"/admin/archive/article/{pk}/change/"
        status, _, page = self.send(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        fields = form_fields(page, "article_form", submit="_save")
        tags = [v for k, v in fields if k == "tags"]
        if tags and (self.rng.random() < 0.5 or len(tags) >= len(self.tag_ids)):
            tags.remove(self.rng.choice(tags))
        else:
            tags.append(self.rng.choice([t for t in self.tag_ids if t not in tags]))
        title = self.new_title()
        self.save(path, replaced(fields, title_ru=title, tags=tags))
        self.saved[pk] = (title, sorted(int(t) for t in tags))

    def add(self):
        path = "/admin/archive/article/add/"
        status, _, page = self.send(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        title, tags = self.new_title(), self.rng.sample(self.tag_ids, 2)
        fields = replaced(
            form_fields(page, "article_form", submit="_continue"),
            title_ru=title,
            lead_ru="Статья добавлена нагрузочной проверкой архива.",
            body_ru=f"<p>{title}: проверка поиска под нагрузкой.</p>",
            status=Article.Status.PUBLISHED,
            tags=tags,
        )
        location = self.save(path, fields)
        found = re.search(r"/article/(\d+)/change/", location)
        if not found:
            raise RuntimeError(f"the new article's redirect went to {location!r}")
        pk = int(found.group(1))
        self.pool.append(pk)
        self.saved[pk] = (title, sorted(int(t) for t in tags))

    def delete(self, pk):
        path = f"/admin/archive/article/{pk}/delete/"
        status, _, page = self.send(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        self.save(path, form_fields(page))
        self.pool.remove(pk)
        self.deleted[pk] = self.saved.pop(pk)[0]


def read(port, paths, tally, stop_event, seed):
    rng = random.Random(seed)
    while not stop_event.is_set():
        started = time.perf_counter()
        try:
            status, _headers, _body = request(port, rng.choice(paths))
        except OSError:
            status = "no answer"
        tally.add(time.perf_counter() - started, status, 200)


def search_ids(port, text):
    status, _headers, body = request(port, "/api/search/?" + urlencode({"q": text}))
    if status != 200:
        raise RuntimeError(f"/api/search/ answered {status} for «{text}»")
    return {r["id"]: r for r in json.loads(body)["results"]}


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
        self.plans = MAINTENANCE
        if options.get("kill_node"):
            fault = [
                (at, [a.format(n=options["kill_node"]) for a in args]) for at, args in NODE_FAULT
            ]
            self.plans = [*MAINTENANCE, fault]
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
        random.Random(1).shuffle(published)
        split = max(editors, int(len(published) * EDITOR_SHARE))
        pools = [[pk for pk, _ in published[n:split:editors]] for n in range(editors)]
        accounts = self.accounts(editors)
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
                paths = self.reader_paths([slug for _, slug in published[split:]])
                result = self.load(port, env, paths, pools, accounts, readers, seconds)
                result["drain"] = self.drain()
                # Another process's searchers see a commit within refresh_seconds.
                time.sleep(2 * engines.current().refresh_seconds)
                result["search"] = self.check_search(port, result["editors"], workers)
            finally:
                stop(server)
        result["log"] = log_path.read_text(errors="replace")
        self.report(result, log_path)

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

    def accounts(self, count):
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

    def reader_paths(self, slugs):
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

    def load(self, port, env, paths, pools, accounts, readers, seconds):
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
            threading.Thread(target=self.maintain, args=(plan, env, started, seconds, maintenance))
            for plan in self.plans
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

    def maintain(self, plan, env, started, seconds, done):
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

    def drain(self):
        """Wait until the queue is empty and the index matches the database."""
        started = time.monotonic()
        while True:
            pending, report = PendingUpdate.objects.count(), reconcile(fix=False)
            waited = time.monotonic() - started
            if (not pending and not report.drift) or waited > DRAIN_SECONDS:
                return pending, report, waited
            time.sleep(1.0)

    def check_search(self, port, team, workers):
        names = dict(Tag.objects.values_list("pk", "name_ru"))
        saved = {pk: record for e in team for pk, record in e.saved.items()}
        deleted = {pk: title for e in team for pk, title in e.deleted.items()}

        def found(item):
            pk, (title, tags) = item
            hit = search_ids(port, title).get(pk)
            if hit is None:
                return f"article {pk} is not found by its title «{title}»"
            if hit["title"] != title:
                return f"article {pk} is found as «{hit['title']}», saved as «{title}»"
            if sorted(hit["tags"]) != sorted(names[t] for t in tags):
                return f"article {pk} is found with tags {hit['tags']}, saved with {tags}"
            return None

        def gone(item):
            pk, title = item
            if pk in search_ids(port, title):
                return f"deleted article {pk} is found by «{title}»"
            return None

        with ThreadPoolExecutor(workers) as pool:
            lost = [p for p in pool.map(found, saved.items()) if p]
            phantoms = [p for p in pool.map(gone, deleted.items()) if p]
        return len(saved), lost, len(deleted), phantoms

    def report(self, result, log_path):
        out, failures = self.stdout.write, []
        out(
            f"  ran {result['elapsed']:.1f} s (until the maintenance had finished); "
            "one connection per request"
        )
        out(f"  {'':24} {'requests':>9} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} "
            f"{'5xx':>5} {'other':>6}")  # fmt: skip
        for name, key in (("readers", "reads"), ("editors (all requests)", "edits"),
                          ("editor saves (POST)", "saves")):  # fmt: skip
            tally = result[key]
            times = tally.latencies or [0.0]
            out(
                f"  {name:24} {len(tally.latencies):9d} "
                f"{len(tally.latencies) / result['elapsed']:7.1f} "
                f"{statistics.median(times) * 1000:10.1f} {percentile(times, 95) * 1000:8.1f} "
                f"{tally.server_errors:5d} {tally.unexpected.total():6d}"
            )
            if tally.server_errors:
                failures.append(f"{tally.server_errors} 5xx answers to the {name}")
            if tally.unexpected:
                wrong = ", ".join(f"{s} x{n}" for s, n in tally.unexpected.most_common())
                failures.append(f"unexpected answers to the {name}: {wrong}")
        team = result["editors"]
        actions = sum((e.actions for e in team), Counter())
        errors = [error for e in team for error in e.errors]
        out(
            f"  editors: {actions['edit']} edits, {actions['add']} articles added, "
            f"{actions['delete']} deleted; {len(errors)} errors"
        )
        failures += errors[:10]
        if not actions["edit"]:
            failures.append("no editor saved an article")
        command_waits = []
        for name, at, took, run in sorted(result["maintenance"], key=lambda m: m[1]):
            said = run.stdout.strip() or run.stderr.strip()[-300:]
            out(f"  {name} at {at:.1f} s, took {took:.1f} s: " + said.replace("\n", "\n    "))
            command_waits += [float(s) for _t, s in WAITED.findall(run.stderr)]
            if run.returncode:
                failures.append(f"{name} exited with {run.returncode}: {run.stderr[-500:]}")
        failures += self.lock_waits(result["log"], command_waits)
        pending, drift, waited = result["drain"]
        out(f"  after the load, in {waited:.1f} s: {pending} queued; {drift.summary()}")
        if pending or drift.drift:
            failures.append(f"the index did not catch up in {DRAIN_SECONDS:.0f} s")
        saved, lost, deleted, phantoms = result["search"]
        out(
            f"  search: {saved - len(lost)} of {saved} saved articles found by their last "
            f"title and tags; {deleted - len(phantoms)} of {deleted} deleted articles not found"
        )
        failures += lost[:10] + phantoms[:10]
        crashes = SERVER_ERROR.findall(result["log"])
        if crashes:
            out(f"  first error in the gunicorn log:\n{crashes[0]}")
        out(f"  gunicorn log: {log_path}")
        if failures:
            out("FAIL")
            raise CommandError("FAIL:\n" + "\n".join(f"  {f}" for f in failures))
        out("PASS")

    def lock_waits(self, log, command_waits):
        waits = WAITED.findall(log)
        in_requests = [float(s) for thread, s in waits if thread == "MainThread"]
        background = [float(s) for thread, s in waits if thread != "MainThread"]
        gave_up = len(GAVE_UP.findall(log))  # each of those requests waited EDITOR_LOCK_WAIT

        def waits_line(values):
            return f"{len(values)}, longest {max(values, default=0):.3f} s"

        self.stdout.write(
            f"  index lock waits of 0.1 s or more: requests {waits_line(in_requests)} "
            f"({gave_up} left to the retrier after {EDITOR_LOCK_WAIT} s); background retrier "
            f"{waits_line(background)}; commands {waits_line(command_waits)}"
        )
        longest = max([*in_requests, EDITOR_LOCK_WAIT if gave_up else 0.0])
        if longest > LOCK_WAIT_LIMIT:
            return [f"a request waited {longest:.3f} s for the index lock (limit 2 s)"]
        return []
