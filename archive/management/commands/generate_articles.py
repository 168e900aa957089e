"""manage.py generate_articles --count N [--seed S] [--words W]: synthetic demo articles.

For a fresh site and for benchmarks: deterministic for a seed, in all three
languages, with rubrics, tags of every kind and dates over about three years. Every
article is attributed to the source «Демо-генератор архива», so nobody mistakes it
for news. Bodies run to about W words (300 by default, an agency story's length).
Running it again with the same seed adds nothing.
"""

import time

from django.core.management.base import BaseCommand
from django.db import reset_queries, transaction
from tqdm import tqdm

from archive import demo
from archive.bulk import (
    SlugBook,
    batched,
    index_articles,
    insert_articles,
    refresh_statistics,
    translated,
)
from archive.models import Article, Rubric, Source, Tag


class Command(BaseCommand):
    help = "Generate N synthetic, clearly labelled demo articles (ru, az, en)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--words", type=int, default=300, help="Words per Russian body (default 300)."
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Leave the search index alone (run rebuild_index later).",
        )

    def handle(self, count, seed, batch_size, no_index, verbosity, words=300, **options):
        started = time.perf_counter()
        source, _ = Source.objects.get_or_create(name=demo.DEMO_SOURCE)
        rubrics = {slug: self._rubric(slug, names) for slug, *names in demo.RUBRICS}
        tags = {names[0]: self._tag(kind, names) for kind, *names in demo.TAGS}
        existing = set(
            Article.objects.filter(import_key__startswith=f"demo:{seed}:").values_list(
                "import_key", flat=True
            )
        )
        slugs = SlugBook(Article)
        pks = []
        show = verbosity >= 1 and self.stderr.isatty()
        items = tqdm(
            demo.generate(count, seed, words=words),
            total=count,
            disable=not show,
            desc="generate",
            unit="art",
        )
        with transaction.atomic():
            for batch in batched(items, batch_size):
                articles, tag_ids = [], []
                for item in batch:
                    key = f"demo:{seed}:{item['number']}"
                    if key in existing:
                        continue
                    article = Article(
                        status=Article.Status.PUBLISHED,
                        published_at=item["published"],
                        rubric_id=rubrics[item["rubric"][0]],
                        source=source,
                        import_key=key,
                        slug=slugs.reserve(item["title"][0], fallback="demo"),
                        **translated("title", *item["title"]),
                        **translated("lead", *item["lead"]),
                        **translated("body", *item["body"]),
                    )
                    articles.append(article)
                    tag_ids.append([tags[t[1]] for t in item["tags"]])
                pks += insert_articles(articles, tag_ids)
                # With DEBUG on, Django keeps every SQL statement, and each batch's INSERT
                # holds its bodies: 100,000 articles peaked at 2.6 GB without this.
                reset_queries()
        if pks:
            refresh_statistics()
        written = time.perf_counter() - started
        if pks and not no_index:
            index_articles(pks, batch_size)
        total = time.perf_counter() - started
        self.stdout.write(
            f"{len(pks)} demo articles created ({count - len(pks)} existed already); "
            f"{written:.1f} s database, {total - written:.1f} s indexing"
        )

    def _rubric(self, slug, names):
        rubric = Rubric.objects.filter(slug=slug).first()
        if rubric is None:
            rubric = Rubric(slug=slug, **translated("name", *names))
            rubric.save()
        return rubric.pk

    def _tag(self, kind, names):
        tag = Tag.objects.filter(kind=kind, name_ru=names[0]).first()
        if tag is None:
            tag = Tag(kind=kind, **translated("name", *names))
            tag.save()
        return tag.pk
