"""manage.py search_quality [--corpus DIR] [--file FILE] [--misses]: known-item search
quality, as figures.

The known items (search/quality/known_items.tsv: what a reader types, in ten categories,
and the article it must find) are searched as the JSON endpoint searches them, in the
page's language; the command prints hit@10 (the target among the first ten results) and
the mean reciprocal rank by category and overall, beside the targets of issue 12. With
--misses or -v 2 it lists every query that missed the first ten, with its rank and
what was searched. The seed fixture is loaded and the shared corpus imported first when
they are not in the archive (--no-corpus skips the corpus). A target that names no
article, or several, is an error, never a silent miss.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from archive.models import Article
from search.quality import items, scoring

CORPUS_SOURCE = "NKTKLN/telegram-news-classifier"
# The workplace keeps the corpus beside the repository, never inside it.
DEFAULT_CORPUS = settings.BASE_DIR.parent / "shared" / "corpus"
SEED_SLUG = "podgotovlen-i-prinyat-itogovyy-proekt-konventsii-oon-protiv-kiberprestupnosti"


class Command(BaseCommand):
    help = "Print hit@10 and mean reciprocal rank of the known items, by category."

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus",
            type=Path,
            default=None,
            help=f"Import the corpus from DIR first if absent ({DEFAULT_CORPUS}).",
        )
        parser.add_argument("--no-corpus", action="store_true", help="Never import the corpus.")
        parser.add_argument(
            "--file", type=Path, default=items.KNOWN_ITEMS, help="The known items to score."
        )
        parser.add_argument(
            "--misses", action="store_true", help="List the queries that missed (as -v 2)."
        )

    def handle(self, corpus, no_corpus, file, misses, verbosity, **options):
        if not Article.objects.filter(slug=SEED_SLUG).exists():
            call_command("loaddata", "seed", verbosity=0)
        if not no_corpus:
            self._import_corpus(corpus or DEFAULT_CORPUS)
        try:
            outcomes = scoring.run(items.read(file))
        except items.KnownItemsError as error:
            raise CommandError(f"The known items are wrong:\n{error}") from error
        if misses or verbosity >= 2:
            self._misses(outcomes)
        self._table(scoring.summarize(outcomes))

    def _import_corpus(self, corpus):
        if Article.objects.filter(source__name=CORPUS_SOURCE).exists():
            return
        files = sorted(Path(corpus).glob("*.jsonl.gz"))
        if not files:
            raise CommandError(f"The corpus is not in the archive and not at {corpus}.")
        call_command("import_articles", *map(str, files), no_progress=True, verbosity=0)

    def _misses(self, outcomes):
        for o in outcomes:
            if o.hit:
                continue
            rank = f"rank {o.rank}" if o.rank else "not in 20"
            searched = "" if o.searched == o.item.query else f"  (searched: {o.searched})"
            self.stdout.write(f"{o.item.category:<10} {rank:>9}  {o.item.query}{searched}")

    def _table(self, scores):
        self.stdout.write(f"{'category':<10} {'queries':>7} {'hit@10':>7} {'MRR':>6}")
        for category, s in scores.items():
            below = category != scoring.ALL and s.hit_rate < scoring.TARGET_CATEGORY_HIT
            mark = "  below target" if below else ""
            line = f"{category:<10} {s.queries:>7} {s.hit_rate:>7.2f} {s.mrr:>6.3f}{mark}"
            self.stdout.write(line)
        self.stdout.write(
            f"targets: hit@10 >= {scoring.TARGET_HIT}, MRR >= {scoring.TARGET_MRR}, "
            f"every category hit@10 >= {scoring.TARGET_CATEGORY_HIT}: "
            + ("met" if scoring.meets_targets(scores) else "not met")
        )
