"""manage.py import_articles FILE [FILE ...]: JSON Lines (plain or gzip) and RSS/Atom.

Parsing lives in archive.importers; this command saves. Each file is one
transaction: a file that is broken as a whole (binary, not UTF-8, a truncated
gzip, a line over --max-line-bytes...; see archive.importers) leaves nothing
behind, even when it fails half-way, while bad records in a sound file are
reported as FILE:LINE: reason and skipped. Articles are
written with bulk_create in batches, which fires no signals, so once the files
have committed the command sends archive.bulk.articles_written, which the search app
answers by indexing the new articles.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from tqdm import tqdm

from archive.bulk import (
    SlugBook,
    batched,
    index_articles,
    insert_articles,
    refresh_statistics,
    translated,
)
from archive.importers import iter_records
from archive.importers.files import ImportFileError, file_size
from archive.importers.records import Problem
from archive.models import Article, Rubric, Source, Tag

# The corpus rubric codes (SOURCE.md): slug = code; names in ru / az / en; menu position.
RUBRICS = {
    "political": ("Политика", "Siyasət", "Politics", 10),
    "business": ("Бизнес", "Biznes", "Business", 20),
    "finances": ("Финансы", "Maliyyə", "Finance", 30),
    "moscow": ("Москва", "Moskva", "Moscow", 40),
    # Human-interest news: incidents, health, surveys, people's lives.
    "personal": ("Общество", "Cəmiyyət", "Society", 50),
    "science": ("Наука", "Elm", "Science", 60),
    "it": ("IT", "İT", "IT", 70),
    "gaming": ("Игры", "Oyunlar", "Gaming", 80),
    "weather": ("Погода", "Hava", "Weather", 90),
    # Days of the year, jokes, curiosities.
    "stuff": ("Разное", "Müxtəlif", "Miscellany", 100),
    "other": ("Другое", "Digər", "Other", 110),
    "advertisement": ("Реклама", "Reklam", "Advertising", 120),
}


class Stats:
    def __init__(self):
        self.created = self.skipped = self.bad = 0

    def add(self, other):
        self.created += other.created
        self.skipped += other.skipped
        self.bad += other.bad


class Command(BaseCommand):
    help = (
        "Import articles from JSON Lines files (plain or gzip) and RSS/Atom feeds. "
        "Re-importing a file creates no duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Articles per database batch."
        )
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="Do not update the search index (run `manage.py reconcile_index` later).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--max-line-bytes",
            type=int,
            default=None,
            metavar="N",
            help=(
                "Refuse a JSON Lines file with a line longer than N bytes, so memory stays "
                "bounded (default: the setting ARCHIVE_IMPORT_MAX_LINE_BYTES, 16 MiB)."
            ),
        )

    # --- output -------------------------------------------------------------------

    def _err(self, message, style=None):
        message = (style or (lambda m: m))(message)
        if self.bar is not None and not self.bar.disable:
            self.bar.write(message, file=self.bar_file)
        else:
            self.stderr.write(message)

    def _out(self, message):
        if self.verbosity < 1:
            return
        if self.bar is not None and not self.bar.disable:
            self.bar.write(message, file=sys.stdout)
        else:
            self.stdout.write(message)

    # --- main -------------------------------------------------------------------------

    def handle(self, *args, files, batch_size, no_index, no_progress, verbosity, **options):
        self.verbosity = verbosity
        self.max_line_bytes = options.get("max_line_bytes")
        if self.max_line_bytes is not None and self.max_line_bytes < 1:
            raise CommandError("--max-line-bytes must be a positive number of bytes.")
        self.batch_size = max(1, batch_size)
        self.bar_file = getattr(self.stderr, "_out", sys.stderr)
        self.show_progress = not no_progress and getattr(self.bar_file, "isatty", bool)()
        self.bar = self._progress_bar(sum(file_size(f) for f in files), "import", "B")
        self._load_caches()

        totals, failed, created_pks = Stats(), [], []
        started = time.perf_counter()
        try:
            for path in files:
                try:
                    result = self._import_file(path)
                except BaseException:
                    if created_pks:  # committed, but the index step will not run
                        self._err("Run `manage.py reconcile_index` for the files imported so far.")
                    raise
                if result is None:
                    failed.append(path)
                    continue
                stats, pks = result
                totals.add(stats)
                created_pks.extend(pks)
                self._out(
                    f"{path}: {stats.created} created, {stats.skipped} skipped, {stats.bad} bad"
                )
        finally:
            self.bar.close()
        if created_pks:
            refresh_statistics()
        db_seconds = time.perf_counter() - started

        # The index is updated once, after every file has committed (a commit per
        # 10,000 articles, not one per file). A writer per file made the corpus
        # import quadratic (Whoosh's update_document opens a searcher over all
        # segments for every document, and each commit adds a segment): 710 s
        # instead of ~90 s for the 11 corpus files.
        index_seconds = 0.0
        if created_pks and not no_index:
            started = time.perf_counter()
            try:
                self._index(created_pks)
            except Exception as exc:  # the articles are in; say how to finish
                self._err(
                    f"The articles are imported, but updating the search index failed: {exc!r}; "
                    "they are queued and will be indexed when the index is free "
                    "(or run `manage.py reconcile_index`)",
                    self.style.ERROR,
                )
            index_seconds = time.perf_counter() - started

        self._summary(files, failed, totals, db_seconds, index_seconds, no_index)
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(files)} files could not be imported: {', '.join(failed)}"
            )
        # An index write that failed is queued (search.indexing): the import has done
        # its part, and the message above says what happens next.

    def _progress_bar(self, total, desc, unit):
        return tqdm(
            total=total,
            desc=desc,
            unit=unit,
            unit_scale=unit == "B",
            file=self.bar_file,
            disable=not self.show_progress,
            dynamic_ncols=True,
        )

    def _summary(self, files, failed, totals, db_seconds, index_seconds, no_index):
        if self.verbosity < 1:
            return
        total_seconds = db_seconds + index_seconds
        db_rate = totals.created / db_seconds if db_seconds else 0
        rate = totals.created / total_seconds if total_seconds else 0
        lines = [
            f"Files: {len(files)} ({len(files) - len(failed)} imported, {len(failed)} failed)",
            f"Articles: {totals.created} created, {totals.skipped} skipped as duplicates "
            f"(already imported or repeated), {totals.bad} bad records",
            f"Time: {db_seconds:.1f} s parsing + database, {index_seconds:.1f} s indexing; "
            f"{db_rate:.0f} articles/s (parse + database), {rate:.0f} articles/s overall",
        ]
        if no_index and totals.created:
            lines.append("Search index not updated (--no-index): run `manage.py reconcile_index`.")
        self.stdout.write("\n".join(lines), self.style.SUCCESS if not failed else None)

    # --- caches -----------------------------------------------------------------------

    def _load_caches(self):
        """Everything matched or made unique in memory, read once."""
        self.article_slugs = SlugBook(Article)
        self.tag_slugs = SlugBook(Tag)
        self.tags = {  # Russian name -> pk, for kind "topic" (tag_unique_name_kind)
            name: pk
            for name, pk in Tag.objects.filter(kind=Tag.Kind.TOPIC).values_list("name_ru", "pk")
        }
        self.rubrics = {}  # the string in the file -> pk
        self.sources = {}  # name -> pk

    def _snapshot(self):
        return (set(self.article_slugs.taken), set(self.tag_slugs.taken), dict(self.tags))

    def _restore(self, snapshot):
        # After a rollback: forget rows that no longer exist. Rubrics and sources
        # are few and looked up again.
        self.article_slugs.taken, self.tag_slugs.taken, self.tags = snapshot
        self.rubrics, self.sources = {}, {}

    def _rubric_id(self, value):
        if not value:
            return None
        if value not in self.rubrics:
            self.rubrics[value] = self._get_or_create_rubric(value)
        return self.rubrics[value]

    def _get_or_create_rubric(self, value):
        code = value.strip().lower()
        if code in RUBRICS:
            ru, az, en, position = RUBRICS[code]
            rubric = (
                Rubric.objects.filter(slug=code).first()
                or Rubric.objects.filter(name_ru=ru).first()
            )
            if rubric is None:
                rubric = Rubric(slug=code, position=position)
                rubric.name = rubric.name_ru = ru
                rubric.name_az, rubric.name_en = az, en
                rubric.save()
            return rubric.pk
        # An unknown rubric is named by its string.
        rubric = Rubric.objects.filter(name_ru=value).first()
        if rubric is None:
            rubric = Rubric()
            rubric.name = rubric.name_ru = value
            rubric.save()
        return rubric.pk

    def _source_id(self, name, site):
        if not name:
            return None
        if name not in self.sources:
            source = Source.objects.filter(name=name).first()
            if source is None:
                source = Source(name=name, url=site or "")
                source.save()
            self.sources[name] = source.pk
        return self.sources[name]

    def _tag_ids(self, names):
        """pk of every name, creating the missing topic tags in one bulk_create."""
        missing = {n for n in names if n not in self.tags}
        if missing:
            found = Tag.objects.filter(kind=Tag.Kind.TOPIC, name_ru__in=missing).values_list(
                "name_ru", "pk"
            )
            self.tags.update(found)
            new = []
            for name in sorted(n for n in missing if n not in self.tags):
                tag = Tag(kind=Tag.Kind.TOPIC)
                tag.name = tag.name_ru = name
                tag.slug = self.tag_slugs.reserve(name, fallback="tag")
                tag.fill_search_key()  # bulk_create sends no pre_save
                new.append(tag)
            Tag.objects.bulk_create(new)
            self.tags.update((t.name_ru, t.pk) for t in new)
        return [self.tags[n] for n in names]

    # --- one file ---------------------------------------------------------------------

    def _import_file(self, path):
        """(Stats, created pks), or None when the file failed (and nothing of it stays)."""
        snapshot = self._snapshot()
        stats, pks, seen = Stats(), [], set()
        position = 0

        def progress(offset):
            nonlocal position
            self.bar.update(max(0, offset - position))
            position = max(position, offset)

        try:
            with transaction.atomic():
                items = iter_records(path, progress, max_line_bytes=self.max_line_bytes)
                records = self._good_records(items, stats)
                for batch in batched(records, self.batch_size):
                    pks.extend(self._save_batch(batch, stats, seen))
        except (ImportFileError, DatabaseError) as exc:
            # DatabaseError: e.g. another process took a slug meanwhile; the file is
            # rolled back and the next one still goes in.
            self._restore(snapshot)
            self.bar.update(max(0, file_size(path) - position))
            reason = exc if isinstance(exc, ImportFileError) else f"database error: {exc}"
            self._err(
                f"CommandError: {path}: {reason}; nothing from this file was imported",
                self.style.ERROR,
            )
            return None
        self.bar.update(max(0, file_size(path) - position))
        return stats, pks

    def _good_records(self, items, stats):
        for item in items:
            if isinstance(item, Problem):
                stats.bad += 1
                self._err(str(item), self.style.WARNING)
            else:
                yield item

    def _save_batch(self, records, stats, seen):
        keys = [r.import_key for r in records]
        existing = set(
            Article.objects.filter(import_key__in=keys).values_list("import_key", flat=True)
        )
        new = []
        for record in records:
            if record.import_key in existing or record.import_key in seen:
                stats.skipped += 1
                if self.verbosity >= 2:
                    self._out(f"{record.where}: skipped, already imported")
                continue
            seen.add(record.import_key)
            new.append(record)
        if not new:
            return []

        tag_names = sorted({name for r in new for name in r.tags})
        tag_pk = dict(zip(tag_names, self._tag_ids(tag_names), strict=True))
        articles = []
        for record in new:
            article = Article(
                published_at=record.published_at,
                time_known=record.time_known,
                status=Article.Status.PUBLISHED,
                rubric_id=self._rubric_id(record.rubric),
                source_id=self._source_id(record.source, record.source_site),
                source_url=record.url,
                video_url=record.video_url,
                has_video=record.has_video,
                import_key=record.import_key,
                # Every translated column given (also spares modeltranslation
                # computing nine defaults); the others are empty.
                **translated("title", record.title),
                **translated("lead", record.lead),
                **translated("body", record.body_html),
            )
            # bulk_create skips save(): a unique slug from the in-memory book.
            article.slug = self.article_slugs.reserve(record.title, fallback="article")
            articles.append(article)
        pks = insert_articles(articles, [[tag_pk[name] for name in r.tags] for r in new])
        stats.created += len(pks)
        return pks

    # --- search index -----------------------------------------------------------------

    def _index(self, pks):
        self.bar = self._progress_bar(len(pks), "index", "art")
        try:
            index_articles(pks, self.batch_size, self.bar.update)
        finally:
            self.bar.close()
