"""Import files that are not what they claim: binary data, a gzip stream that is cut
short or is not gzip, JSON Lines in Windows-1251, one enormous line, an empty file;
through `manage.py import_articles` and through the admin's import page.

A file broken as a whole imports nothing (one transaction, even after several
batches were written) and is reported as `FILE: [line N:] what is wrong`; bad
records in a sound file are reported and skipped (tests/test_import.py)."""

import gzip
import json
import tracemalloc
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.admin import TEXT_FILE_PROBLEMS
from archive.importers import iter_records
from archive.importers.files import ImportFileError
from archive.importers.records import Record
from archive.models import Article, Tag


def line(title, **fields):
    record = {
        "title": title,
        "body": "Текст новости. Второе предложение.",
        "published": "2024-11-08T17:08:11+00:00",
        "rubric": "political",
        "tags": ["ООН"],
        "source": "Агентство",
    }
    record.update(fields)
    return json.dumps(record, ensure_ascii=False)


def good_lines(count, prefix="Новость"):
    return [line(f"{prefix} {i}", published=f"2024-01-01T00:{i:02d}:00Z") for i in range(count)]


def run(*paths, **options):
    """(exit ok, stdout, stderr) of the command."""
    out, err = StringIO(), StringIO()
    args = [str(p) for p in paths] + ["--no-progress", "--no-index"]
    try:
        call_command("import_articles", *args, stdout=out, stderr=err, **options)
        ok = True
    except CommandError:
        ok = False
    return ok, out.getvalue(), err.getvalue()


def assert_refused(path, *fragments, **options):
    ok, _out, err = run(path, **options)
    assert not ok
    assert f"CommandError: {path}: " in err
    for fragment in fragments:
        assert fragment in err, err
    assert "nothing from this file was imported" in err
    assert Article.objects.count() == 0 and Tag.objects.count() == 0


# --- manage.py import_articles -------------------------------------------------------------


@pytest.mark.django_db
def test_binary_data_after_good_lines_imports_nothing(tmp_path):
    """Forty good records went to the database in batches before the NUL byte."""
    path = tmp_path / "news.jsonl"
    data = "\n".join(good_lines(40)).encode() + b"\n" + b'{"title": "\x00\x01\x02"}\n'
    path.write_bytes(data + "\n".join(good_lines(5, "Хвост")).encode())
    assert_refused(path, "line 41: binary data (a NUL byte at column 12)", batch_size=5)


@pytest.mark.django_db
def test_truncated_gzip_names_the_line_and_imports_nothing(tmp_path):
    compressed = gzip.compress(("\n".join(good_lines(200)) + "\n").encode())
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    ok, _out, err = run(path, batch_size=10)
    assert not ok
    assert "the gzip data ends before the end of the stream (a truncated file?)" in err
    assert f"{path}: line " in err
    assert Article.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content,message",
    [
        (b"\x1f\x8b" + b"not really gzip at all" * 10, "corrupt gzip data"),
        (b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4, "corrupt gzip data"),
        (gzip.compress(bytes(range(256)) * 40), "binary data"),
        (gzip.compress(b"")[:10], "truncated file"),
    ],
    ids=["magic-then-text", "magic-then-garbage", "gzip-of-binary", "header-only"],
)
def test_gzip_that_is_not_gzip(tmp_path, content, message):
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(content)
    assert_refused(path, message)


@pytest.mark.django_db
def test_a_plain_file_named_gz_is_read_as_plain(tmp_path):
    path = tmp_path / "news.jsonl.gz"  # gzip is recognised by its bytes, not its name
    path.write_text("\n".join(good_lines(3)), encoding="utf-8")
    ok, out, _err = run(path)
    assert ok and "3 created" in out


@pytest.mark.django_db
@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_windows_1251_file_is_refused_with_the_reason(tmp_path, compress):
    data = ("\n".join(good_lines(30)) + "\n").encode("cp1251")
    path = tmp_path / "news.jsonl"
    path.write_bytes(gzip.compress(data) if compress else data)
    assert_refused(path, "not UTF-8 text: it looks like Windows-1251 (cp1251)", "iconv")


@pytest.mark.django_db
def test_one_windows_1251_line_in_a_utf8_file_is_a_bad_record(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [x.encode() for x in good_lines(10)]
    lines[4] = line("Одна строка в cp1251").encode("cp1251")
    path.write_bytes(b"\n".join(lines) + b"\n")
    ok, out, err = run(path)
    assert ok and "9 created, 0 skipped, 1 bad" in out
    assert f"{path}:5: not UTF-8 text (byte 0xce at column 12); it looks like Windows-1251" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"", b"\n\n  \r\n\t\n", gzip.compress(b""), gzip.compress(b"\n" * 10_000)],
    ids=["0-bytes", "blank-lines", "gzip-of-nothing", "gzip-of-blank-lines"],
)
def test_empty_file(tmp_path, content):
    path = tmp_path / "news.jsonl"
    path.write_bytes(content)
    assert_refused(path, "empty file: nothing to import")


def write_enormous_line(path, size, compress=False):
    """A good line, a line of `size` bytes written in 1 MB pieces, a good line."""
    opener = gzip.open if compress else open
    with opener(path, "wb") as f:
        f.write(line("Первая").encode() + b"\n")
        f.write('{"title": "Огромная", "published": "2024-01-01", "body": "'.encode())
        piece = ("ж" * 524_288).encode()  # 1 MB
        for _ in range(size // len(piece)):
            f.write(piece)
        f.write(b'"}\n' + line("Последняя").encode() + b"\n")


def peak_memory_of(function):
    tracemalloc.start()
    try:
        function()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


@pytest.mark.django_db
@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_enormous_line_is_refused_with_bounded_memory(tmp_path, compress):
    path = tmp_path / "news.jsonl"
    write_enormous_line(path, 64 * 1024 * 1024, compress)  # 64 MB; gzip makes it 64 KB

    def read():
        with pytest.raises(ImportFileError, match=r"^line 2 is longer than 65,536 bytes"):
            for item in iter_records(path, max_line_bytes=65_536):
                assert isinstance(item, Record)

    # The line is never held whole: a small multiple of the limit at most.
    assert peak_memory_of(read) < 2_000_000

    assert_refused(path, "line 2 is longer than 65,536 bytes", max_line_bytes=65_536)


@pytest.mark.django_db
def test_line_limit_comes_from_the_setting(tmp_path, settings):
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join([*good_lines(3), line("Длинная", body="слово " * 1000)]))
    settings.ARCHIVE_IMPORT_MAX_LINE_BYTES = 2000
    assert_refused(path, "line 4 is longer than 2,000 bytes")
    # A line as long as the limit is fine.
    path.write_text("\n".join(good_lines(3)))
    longest = max(len(x.encode()) for x in good_lines(3))
    ok, out, _err = run(path, max_line_bytes=longest)
    assert ok and "3 created" in out


@pytest.mark.django_db
def test_a_feed_over_the_size_limit_is_refused(tmp_path, settings):
    settings.ARCHIVE_IMPORT_MAX_FEED_BYTES = 10_000
    items = "".join(
        f"<item><title>Новость {i}</title><guid>g{i}</guid>"
        f"<pubDate>Fri, 08 Nov 2024 17:08:11 GMT</pubDate><description>Текст</description></item>"
        for i in range(200)
    )
    path = tmp_path / "feed.xml"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
    assert_refused(path, "a feed longer than 10,000 bytes")


@pytest.mark.django_db
def test_other_files_still_go_in(tmp_path):
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"\x00" * 100)
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(good_lines(2)))
    ok, out, err = run(broken, good)
    assert not ok and f"{broken}: binary data" in err
    assert "Files: 2 (1 imported, 1 failed)" in out
    assert Article.objects.count() == 2


# --- the admin's import page ------------------------------------------------------------------
# The admin speaks Russian (LANGUAGE_CODE; it has no language prefix), so the messages are
# checked for what they name in any language: the file, the line, the byte, the encoding.

CSV = "slug,status,published_at,title_ru\n,published,2024-08-10 10:00:00,Статья из таблицы\n"
CSV_FORMAT = "0"  # the formats offered: csv, tsv, json, xlsx (settings.IMPORT_EXPORT_FORMATS)


def upload(client, name, content, fmt=CSV_FORMAT):
    response = client.post(
        reverse("admin:archive_article_import"),
        {"format": fmt, "resource": "0", "import_file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context  # nothing to confirm: nothing imported
    return response.context["form"].errors.get("import_file", [])


def names_all(errors, *fragments):
    return any(all(f in e for f in fragments) for e in errors)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content,fragments",
    [
        ("articles.csv.gz", gzip.compress(CSV.encode()), ["articles.csv.gz", "gzip"]),
        ("articles.csv", gzip.compress(CSV.encode() * 50)[:-30], ["articles.csv", "gzip"]),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["photo.csv", " 3", "CSV"]),
        ("articles.csv", CSV.encode("cp1251"), ["articles.csv", " 2", "UTF-8", "cp1251"]),
        (
            "articles.csv",
            CSV.encode() + b",published,2024-08-10 10:00:00,\xa4\xa6\n",
            ["articles.csv", " 3", "UTF-8", "0xa4", "32"],
        ),
    ],
    ids=["gzip", "truncated-gzip", "binary", "cp1251", "bad-byte"],
)
def test_admin_upload_names_the_file_line_and_problem(editor_client, name, content, fragments):
    errors = upload(editor_client, name, content)
    assert names_all(errors, *fragments), errors
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_admin_messages_until_translated(editor_client):
    """The English wording, while the Russian catalogue lacks it (then it is Russian)."""
    errors = upload(editor_client, "articles.csv", CSV.encode("cp1251"))
    assert errors in (
        [
            "articles.csv, line 2: not UTF-8 text; it looks like Windows-1251 (cp1251). "
            "Save the file as UTF-8 and import it again."
        ],
        [str(TEXT_FILE_PROBLEMS["cp1251"]) % {"name": "articles.csv", "line": 2}],
    )


@pytest.mark.django_db
def test_admin_upload_of_an_empty_file(editor_client):
    assert upload(editor_client, "articles.csv", b"") == ["Отправленный файл пуст."]
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_admin_upload_with_a_line_over_the_limit(editor_client, settings):
    settings.ARCHIVE_IMPORT_MAX_LINE_BYTES = 1000
    content = (CSV + ",published,2024-08-10 10:00:00," + "ж" * 600 + "\n").encode()
    errors = upload(editor_client, "articles.csv", content)
    assert names_all(errors, "articles.csv", " 3", "1000"), errors
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_admin_upload_over_the_size_limit(editor_client, settings):
    settings.ARCHIVE_ADMIN_IMPORT_MAX_BYTES = 1024
    errors = upload(editor_client, "big.csv", (CSV * 100).encode())
    assert names_all(errors, "big.csv", "manage.py import_articles"), errors
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_admin_upload_that_is_no_json(editor_client):
    errors = upload(editor_client, "articles.json", b'[{"title_ru": "x",', fmt="2")
    assert names_all(errors, "articles.json", "Expecting"), errors
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_a_sound_upload_is_offered_for_confirmation(editor_client):
    response = editor_client.post(
        reverse("admin:archive_article_import"),
        {
            "format": CSV_FORMAT,
            "resource": "0",
            "import_file": SimpleUploadedFile("articles.csv", CSV.encode()),
        },
    )
    assert response.context["form"].errors == {}
    assert "confirm_form" in response.context
