"""What load_test checks once the load has stopped: that the index queue drains and the
index matches the database, and that every article an editor saved is found through
/api/search/ by its last title, with its tags, and no deleted one is found."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from archive.management.commands.benchmark_pages import request
from archive.models import Tag
from search.models import PendingUpdate
from search.reconcile import reconcile

DRAIN_SECONDS = 30.0


def drain():
    """Wait until the queue is empty and the index matches the database."""
    started = time.monotonic()
    while True:
        pending, report = PendingUpdate.objects.count(), reconcile(fix=False)
        waited = time.monotonic() - started
        if (not pending and not report.drift) or waited > DRAIN_SECONDS:
            return pending, report, waited
        time.sleep(1.0)


def search_ids(port, text):
    status, _headers, body = request(port, "/api/search/?" + urlencode({"q": text}))
    if status != 200:
        raise RuntimeError(f"/api/search/ answered {status} for «{text}»")
    return {r["id"]: r for r in json.loads(body)["results"]}


def check_search(port, team, workers):
    """(saved articles, what was wrong with those found, deleted articles, those still
    found) for the editors of `team`, asked `workers` at a time."""
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
