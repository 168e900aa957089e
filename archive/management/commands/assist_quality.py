"""How well the editor assist (archive.assist) finds an article's people, organisations
and places, and what the model costs.

The gold set is the person, organisation and place tags the articles carry: on the seed
APA's item the tags the project attached from the agency's own tag list, on its related
notes the project's. A suggestion is right when it is one of those tags, or a new tag of
the same name. Names a reader would tag but the gold set lacks are listed in JUDGED and
counted in the "judged" figures only; the "strict" ones are against the tags alone.
"""

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from ... import assist
from ...admin.assist import MAX_TEXT_CHARS
from ...models import Article, Tag
from ...sanitize import html_to_text
from ...tag_names import NAMED_KINDS, name_key, same_name

SEED_SLUG = "podgotovlen-i-prinyat-itogovyy-proekt-konventsii-oon-protiv-kiberprestupnosti"
# Right, named in the text, and not among the article's tags (read by the team):
JUDGED = {
    # «прошедшей в Нью-Йорке»: where the committee's final session was held.
    "generalnaya-assambleya-oon-prinyala-konventsiyu-protiv-kiberprestupnosti": ["Нью-Йорк"],
    # «учреждённого резолюцией 74/247 Генеральной Ассамблеи ООН»
    "v-nyu-yorke-proshla-pervaya-peregovornaya-sessiya-komiteta-ad-hoc": [
        "Генеральная Ассамблея ООН"
    ],
    # «на церемонии в Ханое (Вьетнам)»: where the convention was opened for signature.
    "konventsiya-oon-protiv-kiberprestupnosti-otkryta-dlya-podpisaniya-v-khanoe": [
        "Ханой",
        "Вьетнам",
    ],
}
MODES = {
    "model": "the model's names, matched to the archive's tags",
    "model+tags": "and the archive's tags named in the text (what the editor sees)",
    "leave-one-out": "as model+tags, the tags only this article carries hidden",
}


@dataclass
class Score:
    suggested: int = 0
    right: int = 0
    gold: int = 0
    found: int = 0
    notes: list = field(default_factory=list)

    def add(self, other):
        for name in ("suggested", "right", "gold", "found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self):
        precision = self.right / self.suggested if self.suggested else 1.0
        recall = self.found / self.gold if self.gold else 1.0
        return (
            f"P {precision:6.1%} ({self.right}/{self.suggested})  "
            f"R {recall:6.1%} ({self.found}/{self.gold})"
        )


def article_text(article):
    return "\n\n".join([article.title_ru, article.lead_ru, html_to_text(article.body_ru)])


def score(suggestions, gold):
    """`gold`: [(tag id or None, name)]. Each gold entry is found once at most."""
    result = Score(suggested=len(suggestions), gold=len(gold))
    left = list(gold)
    for suggestion in suggestions:
        key = name_key(suggestion.name)
        hit = next(
            (g for g in left if g[0] == suggestion.tag_id or same_name(key, name_key(g[1]))),
            None,
        )
        if hit:
            left.remove(hit)
            result.right += 1
        else:
            result.notes.append(f"+ {suggestion.name} ({suggestion.kind})")
    result.found = result.gold - len(left)
    result.notes += [f"- {name}" for _pk, name in left]
    return result


class Command(BaseCommand):
    help = "Precision and recall of the tag suggestions against articles' own tags, and cost."

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs", nargs="*", help="Articles to score (default: the seed and its related)."
        )
        parser.add_argument("--verbose-notes", action="store_true", help="List misses/extras.")

    def handle(self, *args, slugs, verbose_notes, **options):
        articles = self.articles(slugs)
        rss_before = assist.resident_bytes()
        assist.models()
        stats = assist.load_stats
        carried = dict(
            Tag.objects.filter(kind__in=NAMED_KINDS)
            .annotate(n=Count("articles"))
            .values_list("pk", "n")
        )
        totals = {(mode, judged): Score() for mode in MODES for judged in (False, True)}
        timings = []
        for article in articles:
            text = article_text(article)
            own = list(article.tags.filter(kind__in=NAMED_KINDS))
            gold = [(t.pk, t.name_ru) for t in own]
            judged_gold = gold + [(None, name) for name in JUDGED.get(article.slug, [])]
            only_here = {t.pk for t in own if carried.get(t.pk) == 1}
            self.stdout.write(f"\n{article.slug[:70]}  ({len(text)} characters)")
            for mode in MODES:
                started = time.perf_counter()
                found = assist.suggest(
                    text,
                    hidden=only_here if mode == "leave-one-out" else (),
                    named_tags=mode != "model",
                )
                if mode == "model+tags":
                    timings.append(time.perf_counter() - started)
                strict, judged = score(found, gold), score(found, judged_gold)
                totals[(mode, False)].add(strict)
                totals[(mode, True)].add(judged)
                self.stdout.write(
                    f"  {mode:14} strict {strict.figures()}   judged {judged.figures()}"
                )
                if verbose_notes and judged.notes:
                    self.stdout.write("                 " + "; ".join(judged.notes))
        self.stdout.write(f"\nTotal over {len(articles)} articles (micro-averaged):")
        for mode, description in MODES.items():
            self.stdout.write(f"  {mode:14} {description}")
            for judged in (False, True):
                label = "judged" if judged else "strict"
                self.stdout.write(f"    {label}  {totals[(mode, judged)].figures()}")
        self.report_cost(stats, rss_before, timings, articles)

    def articles(self, slugs):
        if not slugs:
            seed = Article.objects.filter(slug=SEED_SLUG).first()
            if seed is None:
                raise CommandError("No seed article: run `manage.py loaddata seed` first.")
            return [seed, *seed.related.order_by("published_at")]
        found = list(Article.objects.filter(slug__in=slugs))
        missing = set(slugs) - {a.slug for a in found}
        if missing:
            raise CommandError(f"No article with the slug {', '.join(sorted(missing))}.")
        return found

    def report_cost(self, stats, rss_before, timings, articles):
        from natasha.data import NEWS_EMBEDDING, NEWS_MORPH, NEWS_NER
        from razdel import sentenize

        megabytes = 2**20
        paths = (NEWS_EMBEDDING, NEWS_NER, NEWS_MORPH)
        files = sum(Path(p).stat().st_size for p in paths) / megabytes
        self.stdout.write("\nCost:")
        self.stdout.write(
            f"  model files (navec news embedding, slovnet NER and morphology) "
            f"{files:.1f} MB on disk"
        )
        if stats:
            self.stdout.write(
                f"  load {stats['seconds']:.2f} s; resident memory +"
                f"{stats['added_bytes'] / megabytes:.0f} MB just after loading, "
                f"the process {rss_before / megabytes:.0f} MB before it and "
                f"{assist.resident_bytes() / megabytes:.0f} MB at the end"
            )
        else:
            self.stdout.write("  the model was loaded before this command measured it")
        ms = sorted(t * 1000 for t in timings)
        self.stdout.write(
            f"  per article (model+tags): median {statistics.median(ms):.0f} ms, "
            f"max {ms[-1]:.0f} ms (the first includes reading the tags' names)"
        )
        texts = [article_text(a) for a in articles]
        # The worst case for the morphology model: people named in every sentence.
        with_people = [
            sentence.text
            for text in texts
            for sentence in sentenize(text)
            if any(m.kind == Tag.Kind.PERSON for m in assist.mentions(sentence.text))
        ]
        limit = MAX_TEXT_CHARS
        for label, parts in (("these articles", texts), ("sentences naming people", with_people)):
            if not parts:
                continue
            text = "\n\n".join(parts)
            text = (text * (limit // len(text) + 1))[:limit]
            started = time.perf_counter()
            assist.suggest(text)
            self.stdout.write(
                f"  {limit} characters (the endpoint's limit) of {label} repeated: "
                f"{time.perf_counter() - started:.2f} s"
            )
