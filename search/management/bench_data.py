"""The articles and queries benchmark_search runs on: demo articles generated, or the
shared corpus imported, into a scratch database (never the one under var/), and one-,
two- and three-word Russian queries drawn from the articles' own words."""

import random
import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from archive.models import Article, Source
from archive.sanitize import html_to_text
from search.analysis import RUSSIAN_STOP_WORDS
from search.search_indexes import ArticleIndex

CORPUS_SOURCE = "NKTKLN/telegram-news-classifier"
DEFAULT_CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
# A query word: letters only (no digits, no hyphens), at least three of them.
QUERY_WORD = re.compile(r"[^\W\d_]{3,}")


def prepare_articles(count, words, seed, corpus):
    """Generate `count` demo articles and/or import the corpus at `corpus` (once), without
    indexing them: the benchmark builds its own indexes."""
    if not (count or corpus):
        return
    name = str(settings.DATABASES["default"].get("NAME", ""))
    var = Path(settings.BASE_DIR) / "var"
    if name and not name.startswith(("file:", ":memory:")) and var in Path(name).parents:
        raise CommandError(
            "Refusing to add benchmark data to the database under var/: "
            "set ARCHIVE_VAR_DIR to a scratch directory."
        )
    if Article._meta.db_table not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)  # a fresh scratch database
    if count:
        call_command(
            "generate_articles",
            count=count,
            seed=seed,
            words=words,
            no_index=True,
            verbosity=0,
        )
    if corpus and not Source.objects.filter(name=CORPUS_SOURCE).exists():
        files = sorted(str(p) for p in Path(corpus).glob("*.jsonl*"))
        if not files:
            raise CommandError(f"No *.jsonl files in {corpus}")
        call_command("import_articles", *files, no_index=True, no_progress=True, verbosity=0)


def article_texts(limit):
    """The plain text of the first `limit` published articles' Russian bodies, one by one."""
    source = (
        ArticleIndex().index_queryset().prefetch_related(None).values_list("body_ru", flat=True)
    )
    return (html_to_text(body) for body in source[:limit].iterator())


def draw_queries(texts, count, seed):
    """`count` queries of 1, 2 and 3 words in turn, each taken from a window of one
    article's words, so the words occur together as a reader would remember them."""
    rng = random.Random(seed)
    # A uniform sample of the articles (reservoir sampling): the word lists of all of
    # 100,000 articles took 2.5 GB, which the peak memory figure then reported.
    keep = max(1000, 4 * count)
    word_lists, seen = [], 0
    for text in texts:
        words = [w.lower() for w in QUERY_WORD.findall(text)]
        words = [w for w in words if w.replace("ё", "е") not in RUSSIAN_STOP_WORDS]
        if len(words) < 3:
            continue
        seen += 1
        if len(word_lists) < keep:
            word_lists.append(words)
        elif (slot := rng.randrange(seen)) < keep:
            word_lists[slot] = words
    if not word_lists:
        raise CommandError("No article has three words to draw queries from.")
    queries = []
    for n in range(count):
        size = 1 + n % 3
        window = []
        while len(set(window)) < size:
            words = rng.choice(word_lists)
            start = rng.randrange(max(1, len(words) - 11))
            window = words[start : start + 12]
        picked = []
        while len(picked) < size:
            word = rng.choice(window)
            if word not in picked:
                picked.append(word)
        queries.append(" ".join(picked))
    return queries
