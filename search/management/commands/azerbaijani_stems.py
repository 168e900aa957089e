"""manage.py azerbaijani_stems [FILE …] [--shared]: what the Azerbaijani analysis makes of
real words, to read for wrong merges.

Reads the Azerbaijani text of the seed fixture (or the UTF-8 text FILEs given) and prints
each distinct word, folded, with the stems it can be read as (search.azerbaijani), then
how many index terms a word of the text stands for. With --shared it also lists each
stem that several distinct words share: the words a query for one of them also finds.
"""

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from archive.languages import fold_azerbaijani
from archive.sanitize import html_to_text
from search.analysis import WORD_PATTERN, azerbaijani_word_terms
from search.azerbaijani import stems

SEED = Path(settings.BASE_DIR) / "archive" / "fixtures" / "seed.json"


def seed_texts():
    for item in json.loads(SEED.read_text(encoding="utf-8")):
        for name, value in item["fields"].items():
            if name.endswith("_az") and isinstance(value, str):
                yield html_to_text(value)


class Command(BaseCommand):
    help = "Print each Azerbaijani word of a text with the stems it can be read as."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="UTF-8 text (default: the seed).")
        parser.add_argument("--shared", action="store_true", help="List stems words share.")

    def handle(self, files, shared, **options):
        texts = [f.read_text(encoding="utf-8") for f in files] if files else list(seed_texts())
        words = Counter(w for text in texts for w in re.findall(WORD_PATTERN, text))
        folded = sorted({fold_azerbaijani(w.lower()) for w in words})
        width = max(map(len, folded), default=0)
        for word in folded:
            self.stdout.write(f"{word:<{width}}  {' '.join(stems(word)[1:])}".rstrip())
        terms = sum(len(azerbaijani_word_terms(w)) * n for w, n in words.items())
        tokens = sum(words.values())
        self.stdout.write(
            f"{tokens} words ({len(folded)} distinct), "
            f"{terms / max(tokens, 1):.2f} index terms a word"
        )
        if shared:
            by_stem = defaultdict(set)
            for word in folded:
                for stem in stems(word):
                    by_stem[stem].add(word)
            groups = {s: ws for s, ws in sorted(by_stem.items()) if len(ws) > 1}
            self.stdout.write(f"{len(groups)} stems shared by several words:")
            for stem, sharing in groups.items():
                self.stdout.write(f"  {stem}: {' '.join(sorted(sharing))}")
