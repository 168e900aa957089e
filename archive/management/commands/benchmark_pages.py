"""manage.py benchmark_pages: requests per second and p95 of the reader's pages, served
by gunicorn on loopback.

Starts gunicorn (127.0.0.1 only, a free port, --workers 2 by default) on the database and
search index the settings point at (ARCHIVE_VAR_DIR), with production-like settings
(DEBUG off; plain HTTP allowed, static files unhashed), and for each of: home, an article,
a tag page, a search page, the latest-articles feed, and that feed answered 304 (sending
its ETag back in If-None-Match), runs a load generator (threads with http.client, one
connection per request, as gunicorn's sync workers close each) for --seconds (at most
20). Prints requests per second, median and p95 latency, and the workers' resident
memory; stops gunicorn whatever happens. Figures, not a test: the load generator runs on
the same cores as the server, so it takes a share of them.
"""

import http.client
import math
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.models import Article, Tag

HOST = "127.0.0.1"
MAX_SECONDS = 20
SERVER_ENV = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "LOG_LEVEL": "WARNING",
}
# The variables behind settings.RATE_LIMITS. One address makes all the load here,
# so the per-client limits would answer most of it 429: off (load_test --flood sets them).
RATE_LIMIT_VARIABLES = {
    "search": "SEARCH_RATE_LIMIT",
    "suggest": "SUGGEST_RATE_LIMIT",
    "feed": "SEARCH_FEED_RATE_LIMIT",
    "sitemap": "SITEMAP_RATE_LIMIT",
    "assist": "ASSIST_RATE_LIMIT",
}
SERVER_ENV.update(dict.fromkeys(RATE_LIMIT_VARIABLES.values(), "0/60"))
# Words a reader might search for (the demo articles' and the news corpus's).
SEARCH_WORDS = ["программа", "международный", "безопасность", "город", "рынок нефти", "банк"]


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port, path, headers=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        conn.close()


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[
        min(len(ordered), max(1, math.ceil(pct / 100 * len(ordered)))) - 1
    ]  # nearest rank


def load(port, paths, seconds, concurrency, expect, headers=None):
    """Requests as fast as `concurrency` threads can make them, for `seconds`."""
    latencies, errors = [], Counter()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(n):
        mine, bad = [], Counter()
        i = n
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += concurrency
            started = time.perf_counter()
            try:
                status, _headers, _body = request(port, path, headers)
            except OSError:
                status = None
            mine.append(time.perf_counter() - started)
            if status != expect:
                bad[status or "no answer"] += 1
        with lock:
            latencies.extend(mine)
            errors.update(bad)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, latencies, errors


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def server_env(**overrides):
    """This process's environment with the production-like settings, on the same var/."""
    # With DEBUG off the server needs a key of its own (archive/wsgi.py refuses the
    # development one): this command's, or a random one for this run.
    key = settings.SECRET_KEY
    if key == settings.INSECURE_SECRET_KEY:
        key = secrets.token_urlsafe(50)
    env = {**os.environ, **SERVER_ENV, "SECRET_KEY": key, **overrides}
    env.setdefault("ARCHIVE_VAR_DIR", str(settings.VAR_DIR))
    return env


def start_gunicorn(port, workers, env, stderr=None, config=None):
    """gunicorn on 127.0.0.1:port with `env` (server_env()); `config`: a gunicorn
    config file (hooks). Stop it with stop(), whatever happens."""
    command = [
        sys.executable, "-m", "gunicorn", "archive.wsgi",
        "--bind", f"{HOST}:{port}", "--workers", str(workers),
        "--log-level", "warning", "--graceful-timeout", "5",
    ]  # fmt: skip
    if config:
        command += ["--config", str(config)]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stderr=stderr)


def wait_until_up(server, port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn exited with {server.returncode}")
        try:
            request(port, "/robots.txt")
            return
        except OSError:
            time.sleep(0.2)
    raise CommandError("gunicorn did not answer within 60 s")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Command(BaseCommand):
    help = "Requests/s and p95 of home, article, tag, search and feed pages under gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2-4).")
        parser.add_argument(
            "--seconds", type=float, default=10.0, help=f"Per URL (at most {MAX_SECONDS})."
        )
        parser.add_argument("--concurrency", type=int, default=8, help="Client threads.")
        parser.add_argument("--port", type=int, help="Port on 127.0.0.1 (default: a free one).")

    def handle(self, workers, seconds, concurrency, port, **options):
        if not 1 <= workers <= 8:
            raise CommandError("--workers: 1 to 8")
        seconds = min(seconds, MAX_SECONDS)
        targets = self.targets()
        port = port or free_port()
        server = start_gunicorn(port, workers, server_env())
        try:
            wait_until_up(server, port)
            self.run(port, server, targets, workers, seconds, concurrency)
        finally:
            stop(server)

    def targets(self):
        articles = list(
            Article.objects.published()
            .order_by("-published_at")
            .values_list("slug", flat=True)[:50]
        )
        if not articles:
            raise CommandError("No published articles: generate_articles --count N first.")
        tag = Tag.objects.filter(articles__isnull=False).order_by("pk").first()
        return {
            "home": ["/"],
            "article (uncached)": [f"/articles/{slug}/" for slug in articles],
            "tag page": [f"/tags/{tag.slug}/"] if tag else ["/tags/"],
            "search page": [f"/search/?{urlencode({'q': w})}" for w in SEARCH_WORDS],
            "feed (RSS)": ["/feed/"],
        }

    def run(self, port, server, targets, workers, seconds, concurrency):
        out = self.stdout.write
        out(
            f"gunicorn {workers} sync workers on {HOST}:{port}; {concurrency} client threads, "
            f"{seconds:.0f} s per URL, one connection per request; CPUs: {os.cpu_count()}"
        )
        status, headers, _ = request(port, "/feed/")
        etag = headers.get("ETag")
        if status != 200 or not etag:
            raise CommandError("/feed/ sent no ETag")
        status, _, _ = request(port, "/feed/", {"If-None-Match": etag})
        if status != 304:
            raise CommandError(f"/feed/ with If-None-Match answered {status}, not 304")
        runs = [(name, paths, 200, None) for name, paths in targets.items()]
        runs.append(("feed answered 304", ["/feed/"], 304, {"If-None-Match": etag}))
        out(f"  {'':22} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>7}")
        rng = random.Random(1)
        for name, paths, expect, headers in runs:
            paths = rng.sample(paths, len(paths))
            for path in paths[:20]:  # warm each worker's cache and searcher
                for _ in range(workers):
                    request(port, path, headers)
            rate, latencies, errors = load(port, paths, seconds, concurrency, expect, headers)
            out(
                f"  {name:22} {rate:8.0f} {statistics.median(latencies) * 1000:10.1f} "
                f"{percentile(latencies, 95) * 1000:8.1f} {errors.total():7d}"
            )
            if errors:  # which answers were wrong, e.g. "503 x12"
                out("    " + ", ".join(f"{k} x{n}" for k, n in errors.most_common()))
        sizes = [rss_mb(pid) for pid in children(server.pid)]
        if sizes:
            out(
                "  worker resident memory after the run: "
                + ", ".join(f"{s:.0f} MB" for s in sizes)
                + f" (master {rss_mb(server.pid):.0f} MB)"
            )
