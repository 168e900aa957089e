"""One editor of load_test: a thread in the admin over HTTP, logged in with its own
account as a browser (cookies, CSRF token, every field of the form sent back), that
renames its articles, adds and removes tags, now and then adds an article or deletes one,
and remembers what it last saved for the search check after the load."""

import http.client
import json
import random
import re
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from archive.management.commands.benchmark_pages import HOST
from archive.models import Article

from .admin_forms import form_errors, form_fields, replaced

TITLE_WORDS = ["город", "рынок", "банк", "программа", "безопасность", "энергетика"]


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
