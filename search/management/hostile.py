"""The costliest requests a visitor can build, for benchmark_search and load_test.

Each one attacks a cost that grows with the archive, not with the request: prefixes
that begin thousands of words, OR floods, phrases of common words, a query of typos
that sends every word through did-you-mean, exclusions, and suggestions after one to
three letters (two typed letters once took 4 s on the shared corpus).
"""

import random
import time

from django.test import Client

from .engine_bench import Timings

PREFIXES = "при* про* пре* кон* сов* мин* пол* рас* ста* нов* вып* зак*"
WORST_QUERIES = {
    "12 prefixes": PREFIXES,
    "12 prefixes, OR": " OR ".join(PREFIXES.split()),
    "phrase of 12 prefixes": f'"{PREFIXES}"',
    "phrase of common words": '"по словам президента россии в ходе встречи '
    'с министром на этой неделе"',
    "12 phrases of common words, OR": " OR ".join(
        f'"{a} {b}"'
        for a, b in [("россия", "президент"), ("год", "министр"), ("время", "страна")] * 4
    ),
    "12 common words, OR": "россия OR президент OR год OR министр OR сообщить OR заявить OR "
    "время OR страна OR работа OR компания OR день OR человек",
    "12 typos": "кнвенция прзидент миниср прравительство сбщил зяавил гсударство "
    "оргнизация рссия уркаина мсква бку",
    "12 Latin spellings": "prezident ministr pravitelstvo soobshil zayavil gosudarstvo "
    "organizaciya rossiya ukraina moskva baku konvenciya",
    "12 words on the Latin layout": "ghtpbltyn vbybcnh ghfdbntkmcndj cjj,obk pfzdbk "
    "ujcelfhcndj jhufybpfwbz hjccbz erhfbyf vjcrdf ,fre rjydtywbz",
    "a word less 11 prefixes": "россия " + " ".join(f"-{p}" for p in PREFIXES.split()[:11]),
    "two-letter prefixes, OR": " OR ".join(["пр*", "по*", "ко*", "на*", "за*", "ст*"] * 2),
}
WORST_QUERY = WORST_QUERIES["12 prefixes, OR"]  # the flood's query (load_test)


def timed(client, url, params, host="localhost"):
    started = time.perf_counter()
    response = client.get(url, params, HTTP_HOST=host, secure=True)
    return (time.perf_counter() - started) * 1000, response


def suggestion_prefixes(words, seed=1, per_length=60):
    """Up to `per_length` distinct 1-, 2- and 3-letter beginnings of the words,
    the most common beginnings included (they are the costly ones)."""
    rng = random.Random(seed)
    found = {}
    for length in (1, 2, 3):
        counts = {}
        for word in words:
            if len(word) >= length:
                counts[word[:length]] = counts.get(word[:length], 0) + 1
        common = sorted(counts, key=counts.get, reverse=True)
        picked = common[: per_length // 2]
        rest = common[per_length // 2 :]
        picked += rng.sample(rest, min(len(rest), per_length - len(picked)))
        found[length] = picked
    return found


def measure_worst(repeat=5, urls=("/api/search/", "/search/", "/search/feed/")):
    """{(label, url): [ms, ...]} for every worst query, `repeat` times each, after one
    warm-up round; a response other than 200 raises."""
    client = Client()
    times = {}
    for round_ in range(repeat + 1):
        for label, q in WORST_QUERIES.items():
            for url in urls:
                ms, response = timed(client, url, {"q": q})
                if response.status_code != 200:
                    raise RuntimeError(f"{url}?q={q}: HTTP {response.status_code}")
                if round_:
                    times.setdefault((label, url), []).append(ms)
    return times


def measure_suggestions(prefixes):
    """{length: [ms, ...]} of /api/suggest/ for each prefix, after a warm-up of each
    length's first (a real worker has served suggestions before)."""
    client = Client()
    times = {}
    for length, items in prefixes.items():
        timed(client, "/api/suggest/", {"q": items[0]})
        for prefix in items:
            ms, response = timed(client, "/api/suggest/", {"q": prefix})
            if response.status_code != 200:
                raise RuntimeError(f"/api/suggest/?q={prefix}: HTTP {response.status_code}")
            times.setdefault(length, []).append(ms)
    return times


def report(out, queries, engine=""):
    """Suggestions after 1-3 letters and the costliest queries one can build, for
    benchmark_search: the cost of each request, rate limits off (the command's doing);
    `engine` ends the headings when two engines are timed."""
    words = [w for q in queries for w in q.split()]
    by_length = measure_suggestions(suggestion_prefixes(words))
    worst = measure_worst()
    out("")
    out(f"Suggestions (/api/suggest/), ms, by letters typed{engine}")
    out(f"  {'':44} {'median':>8} {'p95':>8} {'max':>8}")
    for length, times in by_length.items():
        times = Timings(times)
        label = f"{length} letter(s), {len(times)} beginnings"
        out(f"  {label:44} {times.median:8.1f} {times.p95:8.1f} {max(times):8.1f}")
    out("")
    out(f"Costliest queries, ms (5 runs each after a warm-up){engine}")
    out(f"  {'':44} {'median':>8} {'max':>8}")
    every = Timings()
    for (label, url), times in worst.items():
        every.extend(times)
        times = Timings(times)
        out(f"  {label[:30] + ' ' + url:44} {times.median:8.1f} {max(times):8.1f}")
    out(f"  all of them: p95 {every.p95:.1f} ms, max {max(every):.1f} ms")
