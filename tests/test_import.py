"""manage.py import_articles and archive.importers: JSON Lines (plain, gzip), RSS, Atom."""

import gzip
import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive.importers import iter_records
from archive.importers.records import Problem, Record, import_key, make_lead
from archive.models import Article, Rubric, Source, Tag

DATA = Path(__file__).parent / "data"


def run(*files, index=False, **options):
    """call_command; returns (stdout, stderr). Raises CommandError like the command."""
    out, err = StringIO(), StringIO()
    args = [str(f) for f in files] + ["--no-progress"]
    if not index:
        args.append("--no-index")
    call_command("import_articles", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def line(title="Заголовок", **fields):
    record = {
        "title": title,
        "body": f"{title}\n\nТекст новости. Второе предложение.",
        "published": "2024-11-08T17:08:11+00:00",
        "rubric": "political",
        "tags": ["РИА Новости"],
        "url": None,
        "source": "NKTKLN/telegram-news-classifier",
    }
    record.update(fields)
    return json.dumps(record, ensure_ascii=False)


def write_lines(path, lines, compress=False):
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


# --- JSON Lines ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name,compress", [("news.jsonl", False), ("news.jsonl.gz", True)])
def test_jsonl_plain_and_gzip(tmp_path, name, compress):
    path = tmp_path / name
    path.write_bytes(
        gzip.compress((DATA / "sample.jsonl").read_bytes())
        if compress
        else (DATA / "sample.jsonl").read_bytes()
    )

    out, err = run(path)

    assert err == ""
    assert "3 created" in out and "Search index not updated" in out
    assert Article.objects.count() == 3
    article = Article.objects.get(title_ru__startswith="Генассамблея")
    assert article.status == Article.Status.PUBLISHED
    assert article.is_visible
    assert article.published_at == datetime(2024, 11, 8, 17, 8, 11, tzinfo=UTC)
    assert article.rubric.slug == "political"
    assert (article.rubric.name_ru, article.rubric.name_az, article.rubric.name_en) == (
        "Политика",
        "Siyasət",
        "Politics",
    )
    assert sorted(t.name_ru for t in article.tags.all()) == ["ООН", "РИА Новости"]
    assert {t.kind for t in article.tags.all()} == {Tag.Kind.TOPIC}
    assert article.source.name == "NKTKLN/telegram-news-classifier"
    assert article.slug.startswith("genassambleya-oon")
    assert len(article.import_key) == 64
    # Plain text became paragraphs, stored as it is (the body repeats the title).
    assert article.body_ru.startswith("<p>Генассамблея ООН приняла резолюцию")
    assert article.body_ru.count("<p>") == 2
    assert article.lead_ru == "За проголосовали 140 стран."

    it = Article.objects.get(rubric__slug="it")
    assert it.source_url == "https://t.me/example/1"
    assert it.rubric.name_ru == "IT"
    assert it.lead_ru.startswith("Релиз принёс")
    snow = Article.objects.get(rubric__slug="moscow")
    assert snow.lead_ru == ""  # the body is just the title
    assert snow.rubric.name_en == "Moscow"


@pytest.mark.django_db
def test_gzip_is_recognised_by_magic_bytes_not_name(tmp_path):
    path = tmp_path / "export.jsonl"  # gzip data under a plain name
    path.write_bytes(gzip.compress((DATA / "sample.jsonl").read_bytes()))
    run(path)
    assert Article.objects.count() == 3


@pytest.mark.django_db
def test_reimport_creates_no_duplicates(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [line("Первая"), line("Вторая"), line("Первая")])

    out, _ = run(path)
    assert "2 created, 1 skipped" in out  # the repeated line within the file

    out, _ = run(path)
    assert "0 created, 3 skipped" in out
    assert Article.objects.count() == 2
    assert Tag.objects.count() == 1
    # Made by bulk_create, which sends no pre_save: suggestions still find it.
    assert Tag.objects.get().search_key == " риа новости"
    assert Rubric.objects.count() == 1
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_existing_rubrics_tags_and_slugs_are_reused(tmp_path):
    rubric = Rubric.objects.create(name_ru="Политика")  # slug "politika", made by an editor
    tag = Tag.objects.create(name_ru="РИА Новости", kind=Tag.Kind.TOPIC)
    Tag.objects.create(name_ru="ООН", kind=Tag.Kind.PLACE)  # another kind: not this tag
    Article.objects.create(title_ru="Заголовок")  # takes the slug "zagolovok"
    path = write_lines(
        tmp_path / "a.jsonl",
        [line(), line(published="2024-11-09T10:00:00Z", tags=["РИА Новости", "ООН"])],
    )

    run(path)

    imported = Article.objects.exclude(import_key=None)
    assert {a.rubric_id for a in imported} == {rubric.pk}
    assert all(tag in a.tags.all() for a in imported)
    assert Tag.objects.filter(name_ru="ООН").count() == 2
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "zagolovok",
        "zagolovok-2",
        "zagolovok-3",
    ]


@pytest.mark.django_db
def test_control_characters_are_left_out_of_imported_records(tmp_path):
    """A terminal colour code or a stray control byte in a record: pages would show a box,
    feeds could not carry it. Left out of every text; a vertical tab is a space."""
    path = write_lines(
        tmp_path / "a.jsonl",
        [
            line(
                "Заголовок\x1b[31m с\x0bцветом\x01",
                body="Первый\x07 абзац.\n\nВторой\x02 абзац, подлиннее первого.",
                rubric="Культура\x03",
                tags=["РИА\x04 Новости"],
                source="Агентство\x05",
            )
        ],
    )
    run(path)
    article = Article.objects.get()
    texts = [article.title_ru, article.lead_ru, article.body_ru, article.rubric.name_ru]
    texts += [t.name_ru for t in article.tags.all()] + [article.source.name]
    assert article.title_ru == "Заголовок[31m с цветом"
    assert article.body_ru == "<p>Первый абзац.</p><p>Второй абзац, подлиннее первого.</p>"
    assert (article.rubric.name_ru, article.source.name) == ("Культура", "Агентство")
    assert [t.name_ru for t in article.tags.all()] == ["РИА Новости"]
    assert not any(ch < " " and ch not in "\t\n\r" for text in texts for ch in text), texts


@pytest.mark.django_db
def test_a_save_leaves_control_characters_out_of_every_text():
    tag = Tag.objects.create(name_ru="Тег\x01", name_az="Teq\x0c1")
    article = Article.objects.create(
        title_ru="Статья\x1b[0m", lead_en="Lead\x0bline", body_ru="<p>Текст\x07</p>"
    )
    article.tags.add(tag)
    tag.refresh_from_db()
    article.refresh_from_db()
    assert (tag.name_ru, tag.name_az) == ("Тег", "Teq 1")
    assert (article.title_ru, article.lead_en, article.body_ru) == (
        "Статья[0m",
        "Lead line",
        "<p>Текст</p>",
    )
    assert "\x1b" not in article.history.first().title_ru  # the history row too


@pytest.mark.django_db
def test_unknown_rubric_is_named_by_its_string(tmp_path):
    path = write_lines(tmp_path / "a.jsonl", [line(rubric="Культура")])
    run(path)
    rubric = Article.objects.get().rubric
    assert (rubric.name_ru, rubric.slug) == ("Культура", "kultura")


@pytest.mark.django_db
def test_broken_lines_are_reported_and_skipped(tmp_path):
    path = tmp_path / "broken.jsonl"
    lines = [
        line("Хорошая первая").encode(),
        b'{"title": "no end',
        line("").encode(),
        line("Плохая дата", published="8 ноября").encode(),
        line("Битая кодировка").encode().replace("кодировка".encode(), b"\xff\xfe"),
        line("Теги строкой", tags="ООН").encode(),
        line("Дата числом", published=20241108).encode(),
        b"[1, 2]",
        b"",
        line("Хорошая последняя").encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")

    out, err = run(path)  # no CommandError: the file as a whole is fine

    assert sorted(Article.objects.values_list("title_ru", flat=True)) == [
        "Хорошая первая",
        "Хорошая последняя",
    ]
    assert "2 created, 0 skipped, 7 bad" in out
    name = str(path)
    assert f"{name}:2: invalid JSON" in err
    assert f"{name}:3: missing title" in err
    assert f"{name}:4: unparseable date '8 ноября'" in err
    assert f"{name}:5: not UTF-8 text" in err
    assert f"{name}:6: tags must be a list of strings" in err
    assert f"{name}:7: published must be an ISO 8601 string, got int" in err
    assert f"{name}:8: expected a JSON object, got list" in err
    assert f"{name}:9:" not in err  # an empty line is no record
    assert "Хорошая" not in err


@pytest.mark.django_db
def test_binary_file_fails_alone_and_imports_nothing(tmp_path):
    garbage = tmp_path / "garbage.jsonl.gz"
    garbage.write_bytes(bytes(range(256)) * 40)
    good = write_lines(tmp_path / "good.jsonl", [line()])

    with pytest.raises(CommandError, match="2 of 3 files could not be imported"):
        run(garbage, tmp_path / "missing.jsonl", good)

    assert list(Article.objects.values_list("title_ru", flat=True)) == ["Заголовок"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content,message",
    [
        (bytes(range(256)) * 40, "binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 30, "binary data"),
        (b"<html><body><p>Just a web page</p></body></html>", "not an RSS/Atom feed"),
        (b"id;title\n1;hello\n", "neither JSON Lines"),
    ],
)
def test_unreadable_files_give_a_clear_error(tmp_path, content, message):
    path = tmp_path / "input.dat"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--no-index", stdout=StringIO(), stderr=err)
    assert f"{path}: " in err.getvalue() and message in err.getvalue()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_file_of_only_bad_lines_is_given_up(tmp_path):
    path = tmp_path / "table.jsonl"
    path.write_text("".join(f"{i};name {i}\n" for i in range(100)))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--no-index", stdout=StringIO(), stderr=err)
    assert f"{path}:20: invalid JSON" in err.getvalue()
    assert f"{path}:21:" not in err.getvalue()
    assert "the first 20 records are all invalid" in err.getvalue()


@pytest.mark.django_db
def test_missing_file(tmp_path):
    err = StringIO()
    with pytest.raises(CommandError, match="could not be imported"):
        call_command("import_articles", str(tmp_path / "nope.jsonl"), stderr=err, stdout=StringIO())
    assert "nope.jsonl: no such file" in err.getvalue()


@pytest.mark.django_db
def test_file_failing_half_way_leaves_nothing(tmp_path):
    """A gzip stream cut short after several batches: the whole file is rolled back."""
    data = "\n".join(
        line(f"Новость {i}", published=f"2024-01-01T00:{i:02d}:00Z") for i in range(50)
    )
    compressed = gzip.compress(data.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) - 40])

    with pytest.raises(CommandError):
        run(path, batch_size=5)

    assert Article.objects.count() == 0
    assert Tag.objects.count() == 0
    # The in-memory slug set was rolled back too: a later file reuses the slugs.
    good = write_lines(tmp_path / "good.jsonl", [line("Новость 0")])
    run(good)
    assert Article.objects.get().slug == "novost-0"


@pytest.mark.django_db
def test_database_error_fails_that_file_only(tmp_path, monkeypatch):
    from django.db import IntegrityError

    real_bulk_create = Article.objects.bulk_create
    calls = []

    def bulk_create(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 1:  # as if another process took a slug meanwhile
            raise IntegrityError("UNIQUE constraint failed: archive_article.slug")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Article.objects, "bulk_create", bulk_create)
    first = write_lines(tmp_path / "first.jsonl", [line("Первая")])
    second = write_lines(tmp_path / "second.jsonl", [line("Вторая")])
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 2 files"):
        call_command(
            "import_articles", str(first), str(second), "--no-index", stdout=StringIO(), stderr=err
        )
    assert f"{first}: database error: UNIQUE constraint failed" in err.getvalue()
    assert list(Article.objects.values_list("title_ru", flat=True)) == ["Вторая"]
    assert Tag.objects.count() == 1  # the first file's tag was rolled back, then made again


# --- feeds ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rss_feed():
    out, err = run(DATA / "sample.rss")
    assert err == "" and "2 created" in out

    first = Article.objects.get(source_url="https://apa.example.org/news/1001")
    assert first.title_ru == "Баку принял конференцию по климату"
    assert first.published_at == datetime(2024, 11, 8, 13, 8, 11, tzinfo=UTC)
    assert sorted(t.name_ru for t in first.tags.all()) == ["Климат", "Экология"]
    assert first.source.name == "Лента АПА"
    assert first.source.url == "https://apa.example.org/"
    assert first.body_ru.startswith("<p>Делегаты обсудили")
    assert first.lead_ru == "Делегаты обсудили Рамочную конвенцию ООН."
    assert not first.has_video and first.rubric is None

    video = Article.objects.get(source_url="https://apa.example.org/news/1002")
    assert video.has_video and video.video_url == "https://video.example.org/1002.mp4"
    assert video.body_ru == "<p>Река вышла из берегов.</p>"

    out, _ = run(DATA / "sample.rss")
    assert "0 created, 2 skipped" in out


@pytest.mark.django_db
def test_atom_feed():
    out, err = run(DATA / "sample.atom")
    assert err == "" and "2 created" in out

    django = Article.objects.get(title_ru="Вышел Django 5.2")
    assert django.source_url == "https://habr.example.org/articles/42/"
    assert django.published_at == datetime(2024, 12, 1, 6, 15, tzinfo=UTC)
    assert sorted(t.name_ru for t in django.tags.all()) == ["Python", "django"]
    assert django.source.name == "Хабр: разработка"
    assert django.body_ru == "<p>Новая версия с долгой поддержкой.</p><p>Обновляйтесь.</p>"
    assert django.lead_ru == "Новая версия с долгой поддержкой."

    plain = Article.objects.get(title_ru="Запись без ссылки")
    assert plain.source_url == ""
    assert plain.published_at == datetime(2024, 12, 2, 8, tzinfo=UTC)  # updated, no published
    assert plain.body_ru == "<p>Первый абзац.</p><p>Второй абзац.</p>"


FEED_XSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Злая лента</title>
<item>
  <title>Безобидный &lt;script&gt;alert(1)&lt;/script&gt; заголовок</title>
  <link>javascript:alert(document.cookie)</link>
  <guid>evil-1</guid>
  <pubDate>Fri, 08 Nov 2024 17:08:11 GMT</pubDate>
  <description><![CDATA[<p onclick="steal()">Текст<script>alert(1)</script>
  <img src="x.png" onerror="alert(2)"> <a href="javascript:alert(3)">ссылка</a>
  <a href="https://example.org/ok">хорошая</a><style>body{display:none}</style>
  <iframe src="https://evil.example.org/"></iframe></p>]]></description>
</item>
<item><title>Без даты</title><guid>evil-2</guid><description>x</description></item>
<item><title>Плохая дата</title><guid>evil-3</guid><pubDate>вчера</pubDate></item>
</channel></rss>
"""


@pytest.mark.django_db
def test_feed_xss_is_stripped(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text(FEED_XSS, encoding="utf-8")

    out, err = run(path)

    article = Article.objects.get()
    body = article.body_ru.lower()
    for bad in ("<script", "alert", "onerror", "onclick", "javascript:", "<style", "<iframe"):
        assert bad not in body, bad
    assert "текст" in body and 'href="https://example.org/ok"' in body
    # An RSS title is plain text: kept as written, escaped by the templates.
    assert article.title_ru == "Безобидный <script>alert(1)</script> заголовок"
    assert article.source_url == ""  # a javascript: link is not kept
    assert f"{path}:entry 2: no published or updated date" in err
    assert f"{path}:entry 3: unparseable date 'вчера'" in err
    assert "1 created, 0 skipped, 2 bad" in out


# --- search index -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_imported_articles_are_searchable(search_index, tmp_path):
    from haystack.query import SearchQuerySet

    path = write_lines(
        tmp_path / "news.jsonl.gz",
        [
            line(
                "Генассамблея проголосовала",
                body="Страны обсудили поправки к Конвенции по морскому праву.",
            ),
            line("Погода в Баку", published="2024-11-09T10:00:00Z", rubric="weather"),
        ],
        compress=True,
    )

    out, _ = run(path, index=True)

    assert "2 created" in out and "s indexing" in out
    results = SearchQuerySet().filter(content="конвенцию")
    assert [r.title_ru for r in results] == ["Генассамблея проголосовала"]
    assert SearchQuerySet().filter(content="погоды").count() == 1
    assert SearchQuerySet().all().count() == 2

    run(path, index=True)  # a re-import adds nothing to the index either
    assert SearchQuerySet().all().count() == 2


@pytest.mark.django_db(transaction=True)
def test_no_index_option_leaves_the_index_alone(search_index, tmp_path):
    from haystack.query import SearchQuerySet

    path = write_lines(tmp_path / "news.jsonl", [line("Конвенция")])
    out, _ = run(path)
    assert "run `manage.py reconcile_index`" in out
    assert Article.objects.count() == 1
    assert SearchQuerySet().all().count() == 0
    call_command("reconcile_index", stdout=StringIO())
    assert SearchQuerySet().all().count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_import_while_the_index_is_locked_queues_its_articles(
    search_index, tmp_path, monkeypatch
):
    from whoosh.filedb.filestore import FileStorage

    from search.engines.whoosh import generations as layout
    from search.models import PendingUpdate

    path = write_lines(tmp_path / "news.jsonl", [line("Конвенция"), line("Договор")])
    # The import's writer waits 0.2 s for the lock instead of 10.
    monkeypatch.setattr(type(search_index)._writer, "__defaults__", (1, 0.2))
    lock = FileStorage(layout.live_dir(search_index.path)).lock("MAIN_WRITELOCK")
    assert lock.acquire(blocking=False)
    try:
        _out, err = run(path, index=True)
    finally:
        lock.release()
    assert "they are queued and will be indexed" in err
    assert PendingUpdate.objects.count() == 2
    call_command("reconcile_index", stdout=StringIO())
    assert not PendingUpdate.objects.exists()


# --- parsing units --------------------------------------------------------------------------


def test_iter_records_yields_records_and_problems(tmp_path):
    path = write_lines(tmp_path / "x.jsonl", [line("Один"), "{bad", line("Два")])
    items = list(iter_records(path))
    assert [type(i) for i in items] == [Record, Problem, Record]
    assert str(items[1]).startswith(f"{path}:2: invalid JSON")
    assert items[0].where == f"{path}:1"


def test_import_key():
    when = datetime(2024, 11, 8, 17, 8, 11, tzinfo=UTC)
    by_url = import_key(source="s", url="https://x.org/1", guid="g", title="t", published=when)
    assert by_url == import_key(source="s", url="https://x.org/1")
    assert by_url != import_key(source="other", url="https://x.org/1")
    assert import_key(source="s", guid="g", title="t") == import_key(source="s", guid="g")
    by_title = import_key(source="s", title="t", published=when)
    assert by_title == import_key(source="s", title="t", published=when.astimezone())
    assert by_title != import_key(source="s", title="t2", published=when)
    assert len(by_title) == 64 and int(by_title, 16) >= 0


@pytest.mark.parametrize(
    "title,body,lead",
    [
        ("Короткий пост", "Короткий пост", ""),
        ("Короткий пост", "🚀 Короткий пост", ""),
        ("Заголовок", "Заголовок. Первая фраза! Вторая фраза.", "Первая фраза!"),
        ("Заголовок", "Первая фраза текста.\n\nВторой абзац.", "Первая фраза текста."),
        ("Т", "Текст без точки в конце", "Текст без точки в конце"),
        (
            "Два фактора",
            "Два фактора\n\n📍 Укрепление доллара; рост цен.",
            "Укрепление доллара; рост цен.",
        ),
        ("Заголовок", "«Цитата». Дальше.", "«Цитата»."),
        ("«Цитата» — автор", "⚡️ «Цитата» — автор. Подробности позже.", "Подробности позже."),
        ("Рост", "Ростов встретил гостей.", "Ростов встретил гостей."),
    ],
)
def test_make_lead(title, body, lead):
    assert make_lead(title, body) == lead


def test_long_lead_is_cut_at_a_word():
    body = "Слово " * 100
    lead = make_lead("Заголовок", body)
    assert len(lead) <= 200 and lead.endswith("Слово…")
