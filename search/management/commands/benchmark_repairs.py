"""manage.py benchmark_repairs: what query repairs cost and find, as figures.

On the index the settings name (SEARCH_URL: Whoosh, or an alias on the cluster) and the
articles in the database, read only: queries of one to three words are drawn from
articles' titles and leads (deterministic for --seed), then typed as a reader might get
them wrong: on the Latin keyboard layout, in Latin letters (BGN/PCGN-like, soft signs
dropped), with the last word cut short by three letters. Each is searched once through
search.service (as the page and the JSON endpoint are), after a warm-up, and the command
prints, per kind: how many found their article in the first 20 results, how many were
repaired, the time in ms of the whole search (median, p95) and of the repair alone
(search.repairs.repair, for the queries that asked for one), the engine calls per query
(searches, other calls) and the terms priced per repair (document frequencies asked).

Figures, not a test: run it on a quiet machine, and again when a figure looks noisy.
"""

import random
import re
import time

from django.core.management.base import BaseCommand, CommandError

from archive.models import Article
from archive.sanitize import html_to_text
from search import repairs, service
from search.analysis import RUSSIAN_STOP_WORDS
from search.management.engine_bench import Timings
from search.management.engine_calls import counting

QUERY_WORD = re.compile(r"[а-яё]{4,}")
_RUSSIAN = "йцукенгшщзхъфывапролджэячсмитьбюё"
_ON_LATIN_KEYS = str.maketrans(_RUSSIAN, "qwertyuiop[]asdfghjkl;'zxcvbnm,.`")
# How a reader without a Russian keyboard spells: BGN/PCGN letters, ь and ъ dropped.
_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)
KINDS = ("as typed", "wrong layout", "latin letters", "cut short")


def in_latin_letters(text):
    text = text.replace("ий", "iy").replace("ый", "yy")
    return "".join(_LATIN.get(ch, ch) for ch in text).replace("_", "")


def cut_short(text):
    *before, last = text.split()
    return " ".join([*before, last[:-3]]) if len(last) >= 8 else None


TYPED_AS = {
    "as typed": lambda q: q,
    "wrong layout": lambda q: q.translate(_ON_LATIN_KEYS),
    "latin letters": in_latin_letters,
    "cut short": cut_short,
}


def draw(articles, count, seed):
    """`count` (query, article id) pairs: 1 to 3 words in turn from one article's
    title and lead, in their order, as a reader remembers them."""
    rng = random.Random(seed)
    worded = []
    for pk, text in articles:
        words = [w for w in QUERY_WORD.findall(text.lower()) if w not in RUSSIAN_STOP_WORDS]
        if len(words) >= 3:
            worded.append((pk, words))
    if not worded:
        raise CommandError("No article has three words of four letters to draw queries from.")
    drawn = []
    for n in range(count):
        pk, words = rng.choice(worded)
        size = 1 + n % 3
        start = rng.randrange(len(words) - size + 1)
        drawn.append((" ".join(words[start : start + size]), pk))
    return drawn


class Command(BaseCommand):
    help = "Query repairs on the current index: found, repaired, ms and engine calls."

    def add_arguments(self, parser):
        parser.add_argument("--queries", type=int, default=120, help="Queries drawn.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--show",
            type=int,
            default=3,
            help="Print this many queries of each kind that missed their article.",
        )

    def handle(self, *args, **options):
        rows = Article.objects.published().values_list("pk", "title_ru", "lead_ru")
        articles = [(pk, f"{title} {html_to_text(lead)}") for pk, title, lead in rows]
        if not articles:
            raise CommandError("No published articles.")
        drawn = draw(articles, options["queries"], options["seed"])
        for query, _pk in drawn[:5]:  # warm-up: the searcher opens, caches fill
            service.perform({"q": TYPED_AS["wrong layout"](query)}, "ru")
        out = self.stdout.write
        out(f"Articles: {len(articles):,}; {len(drawn)} queries, seed {options['seed']}")
        out(
            f"  {'':14} {'queries':>7} {'found':>6} {'repaired':>8}   search ms: median {'p95':>7}"
            f"   repair ms: median {'p95':>7}   calls: {'searches':>8} {'others':>6}"
            f"          terms priced: mean {'max':>5}"
        )
        for kind in KINDS:
            self.report(kind, drawn, options["show"])

    def report(self, kind, drawn, show):
        times, repair_times, examples = Timings(), Timings(), []
        found = repaired = 0
        searches, others, priced = [], [], []
        for query, pk in drawn:
            typed = TYPED_AS[kind](query)
            if typed is None:
                continue
            with counting() as calls:
                started = time.perf_counter()
                page = service.perform({"q": typed}, "ru")
                times.add(time.perf_counter() - started)
            searches.append(calls["search"])
            others.append(sum(calls.values()) - calls["search"])
            if others[-1]:  # a repair was tried: once more alone, warm
                priced.append(calls.asked["document_frequencies"])
                started = time.perf_counter()
                repairs.repair(typed)
                repair_times.add(time.perf_counter() - started)
            hit = pk in {r["id"] for r in page.results}
            found += hit
            repaired += page.suggestion is not None
            if not hit and len(examples) < show:
                shown = page.query if page.original_query is not None else page.suggestion
                examples.append(f"«{typed}» -> «{shown or typed}» ({page.count})")
        n = len(times)
        if not n:
            return
        self.stdout.write(
            f"  {kind:14} {n:7} {found:6} {repaired:8}   {times.median:17.1f} {times.p95:7.1f}"
            f"   {repair_times.median:17.1f} {repair_times.p95:7.1f}"
            f"   {sum(searches) / n:15.2f} {sum(others) / n:6.2f} (max {max(others)})"
            f"   {sum(priced) / max(1, len(priced)):23.0f} {max(priced, default=0):5}"
        )
        for example in examples:
            self.stdout.write(f"  {'':14} {example}")
