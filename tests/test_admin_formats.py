"""Spreadsheet import and export in the admin, in every format it offers (and the README
names), both ways, with real files through the admin's own pages: export, then upload,
confirm. XLSX is written and read with openpyxl; broken workbooks are refused with a
message in Russian and import nothing."""

import csv
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from archive.admin import ArticleResource
from archive.admin.articles import ArticleAdmin
from archive.models import Article, Rubric, Tag

from .factories import TagFactory
from .pages_support import SEED_SLUG

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
EXPORT_FIELDS = {f"articleresource_{name}": "on" for name in ArticleResource._meta.fields}


def offered(kind, model=Article):
    from django.contrib import admin

    model_admin = (
        ArticleAdmin(Article, admin.site) if model is Article else admin.site._registry[model]
    )
    formats = (
        model_admin.get_import_formats() if kind == "import" else model_admin.get_export_formats()
    )
    return {f().get_extension(): str(index) for index, f in enumerate(formats)}


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed", verbosity=0)
    return Article.objects.get(slug=SEED_SLUG)


def export(client, extension):
    response = client.post(
        reverse("admin:archive_article_export"),
        {"format": offered("export")[extension], "resource": "0", **EXPORT_FIELDS},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    return response


def upload(client, name, content, extension, model=Article):
    """The first step of the admin's import: (the form's errors, whether it offers to confirm)."""
    response = client.post(
        reverse(f"admin:archive_{model._meta.model_name}_import"),
        {
            "format": offered("import", model)[extension],
            "resource": "0",
            "import_file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    return response


def import_file(client, name, content, extension):
    """Upload, then confirm as the editor would; the changelist's message."""
    response = upload(client, name, content, extension)
    assert response.context["form"].errors == {}, response.context["form"].errors
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [
        (line, [e.error for e in errors]) for line, errors in result.row_errors()
    ]
    confirm = response.context["confirm_form"]
    response = client.post(
        reverse("admin:archive_article_process_import"), confirm.initial, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:archive_article_changelist")
    return [str(m) for m in response.context["messages"]]


def local(*args):
    return timezone.make_aware(datetime(*args))


def naive_local(moment):
    return timezone.localtime(moment).replace(tzinfo=None)


# --- what is offered, and what the README says -------------------------------------------


def test_the_admin_offers_the_formats_the_readme_names():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## The admin (`/admin/`)") :]
    section = section[: section.index("\n## ", 10)]
    sentence = re.search(r"\*\*Spreadsheets\.\*\*[^\n]*(?:\n[^\n]+)*", section).group(0)
    named = set(re.findall(r"\b(CSV|TSV|JSON|XLSX|XLS|ODS|HTML|YAML)\b", sentence))
    assert {e.upper() for e in offered("import")} == named
    assert {e.upper() for e in offered("export")} == named
    assert named == {"CSV", "TSV", "JSON", "XLSX"}


# --- export, each format, read back with its own parser -----------------------------------


def rows_of(extension, content):
    if extension in ("csv", "tsv"):
        delimiter = "," if extension == "csv" else "\t"
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))
    if extension == "json":
        return json.loads(content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("extension", ["csv", "tsv", "json", "xlsx"])
def test_export_gives_every_translation_and_tag(editor_client, seed, extension):
    response = export(editor_client, extension)
    types = {
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "json": "application/json",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert response["Content-Type"].startswith(types[extension])
    rows = {row["slug"]: row for row in rows_of(extension, response.content)}
    assert set(rows) == set(Article.objects.values_list("slug", flat=True))
    row = rows[SEED_SLUG]
    for field in ("title_ru", "title_az", "title_en", "body_ru", "body_az", "body_en"):
        assert row[field] == getattr(seed, field), field
    assert set(row["tags"].split(",")) == set(seed.tags.values_list("slug", flat=True))
    assert row["rubric"] == seed.rubric.slug and row["source"] == seed.source.name
    if extension == "xlsx":  # native cells: a date, a number, a boolean
        assert row["published_at"] == naive_local(seed.published_at)
        assert row["id"] == seed.pk and row["has_video"] is True
    else:
        assert row["published_at"] == f"{naive_local(seed.published_at):%Y-%m-%d %H:%M:%S}"


# --- import, each format, from a file written by that format's own writer -----------------

HEADERS = [
    "slug",
    "status",
    "published_at",
    "title_ru",
    "title_en",
    "lead_ru",
    "rubric",
    "tags",
    "source",
]


def new_and_changed_rows(seed):
    rubric, source = seed.rubric.slug, seed.source.name
    new = ["", "published", "2024-09-01 08:30:00", "Статья из таблицы: «ёлки» и Ə"]
    new += ["From a sheet", "Лид", rubric, "oon,nyu-york", source]
    changed = [SEED_SLUG, "published", "2024-08-09 12:00:00"]
    changed += [
        "Проект конвенции ООН — правка из таблицы",
        seed.title_en,
        "",
        rubric,
        "oon",
        source,
    ]
    return [new, changed]


def written(extension, rows):
    if extension in ("csv", "tsv"):
        out = io.StringIO()
        csv.writer(out, delimiter="," if extension == "csv" else "\t").writerows([HEADERS, *rows])
        return out.getvalue().encode()
    if extension == "json":
        return json.dumps(
            [dict(zip(HEADERS, row, strict=True)) for row in rows], ensure_ascii=False
        ).encode()
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for row in rows:
        row = list(row)
        row[2] = datetime.strptime(row[2], "%Y-%m-%d %H:%M:%S")  # a real date cell
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("extension", ["csv", "tsv", "json", "xlsx"])
def test_import_creates_and_changes_articles(editor_client, editor, seed, extension):
    before = Article.objects.count()
    content = written(extension, new_and_changed_rows(seed))
    messages = import_file(editor_client, f"articles.{extension}", content, extension)
    assert Article.objects.count() == before + 1
    assert messages == [
        "Импорт завершён. Новых: 1, изменено: 1, удалено: 0, пропущено без изменений: 0."
    ]
    new = Article.objects.get(title_ru="Статья из таблицы: «ёлки» и Ə")
    assert new.slug == "statya-iz-tablitsy-elki-i-e"
    assert new.published_at == local(2024, 9, 1, 8, 30)
    assert set(new.tags.values_list("slug", flat=True)) == {"oon", "nyu-york"}
    seed.refresh_from_db()
    assert seed.title_ru == "Проект конвенции ООН — правка из таблицы"
    assert list(seed.tags.values_list("slug", flat=True)) == ["oon"]
    assert seed.history.first().history_user == editor
    assert LogEntry.objects.filter(object_id=str(seed.pk), user=editor).exists()


# --- the round trip the issue asks for: XLSX out, edited in a spreadsheet, XLSX in ---------


def test_xlsx_round_trip(editor_client, editor, seed):
    book = openpyxl.load_workbook(io.BytesIO(export(editor_client, "xlsx").content))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("slug")].value == SEED_SLUG)
    cell = {name: row[i] for i, name in enumerate(header)}
    assert cell["title_ru"].value == seed.title_ru
    assert cell["title_az"].value == seed.title_az and cell["title_en"].value == seed.title_en
    assert cell["published_at"].is_date
    assert cell["published_at"].value == naive_local(seed.published_at)
    tags = set(seed.tags.values_list("slug", flat=True))
    assert set(cell["tags"].value.split(",")) == tags and len(tags) > 3
    history_before = seed.history.count()

    cell["title_ru"].value = "Итоговый проект конвенции ООН принят (правка в Excel)"
    cell["lead_az"].value = "Azərbaycan dilində lid: ə, ğ, ı, ö, ş, ü"
    cell["published_at"].value = datetime(2024, 8, 10, 9, 15)
    cell["tags"].value = "oon, gasan-mansurov"
    out = io.BytesIO()
    book.save(out)

    messages = import_file(editor_client, "Статьи (правка).xlsx", out.getvalue(), "xlsx")
    assert messages == [
        "Импорт завершён. Новых: 0, изменено: 1, удалено: 0, пропущено без изменений: 4."
    ]
    seed.refresh_from_db()
    assert seed.title_ru == "Итоговый проект конвенции ООН принят (правка в Excel)"
    assert seed.lead_az == "Azərbaycan dilində lid: ə, ğ, ı, ö, ş, ü"
    assert seed.published_at == local(2024, 8, 10, 9, 15)
    assert set(seed.tags.values_list("slug", flat=True)) == {"oon", "gasan-mansurov"}
    assert seed.title_en.startswith("Final draft")  # untouched columns kept
    # One record for the row, one more when its tags are set (simple_history's m2m).
    assert seed.history.count() == history_before + 2
    latest = seed.history.first()
    assert latest.history_user == editor and latest.title_ru.endswith("(правка в Excel)")
    assert set(latest.tags.values_list("tag__slug", flat=True)) == {"oon", "gasan-mansurov"}
    # The other rows came back unchanged and were skipped, not saved again.
    saved_by_editor = Article.history.model.objects.filter(history_user=editor)
    assert set(saved_by_editor.values_list("id", flat=True)) == {seed.pk}


# --- broken files: a clear message in Russian, nothing imported ---------------------------


def workbook(*rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NOT_XLSX = (
    "не книга Excel (XLSX): файл повреждён, обрезан или другого типа. Откройте его в Excel "
    "или LibreOffice Calc и сохраните как книгу Excel (.xlsx)."
)
COLUMNS = ", ".join(f.column_name for f in ArticleResource().get_user_visible_fields())
GOOD = workbook(["slug", "title_ru"], ["", "Статья"])


BROKEN = {
    "truncated-zip": ("обрезан.xlsx", GOOD[: len(GOOD) // 2], NOT_XLSX),
    "csv-renamed": ("articles.xlsx", b"slug,title_ru\n,CSV under an .xlsx name\n", NOT_XLSX),
    "empty-workbook": (
        "empty.xlsx",
        workbook(),
        f"в файле нет строк: первая строка должна называть столбцы ({COLUMNS}).",
    ),
    "header-only": (
        "header.xlsx",
        workbook(["slug", "title_ru"]),
        "в файле только первая строка (названия столбцов): импортировать нечего.",
    ),
    "wrong-headers": (
        "wrong.xlsx",
        workbook(["Заголовок", "slug", "Дата"], ["Статья", "", "2024-08-10"]),
        "неизвестные столбцы в первой строке: Заголовок, Дата. "
        f"Столбцы, которые можно импортировать: {COLUMNS}.",
    ),
    "no-slug": (
        "noslug.xlsx",
        workbook(["title_ru"], ["Статья"]),
        "в первой строке нет столбца slug: по нему видно, какой записи соответствует "
        "строка (для новых записей оставьте его ячейки пустыми).",
    ),
    "unnamed-column": (
        "unnamed.xlsx",
        workbook(["slug", None, "title_ru"], ["", "лишнее", "Статья"]),
        "в столбце 2 есть ячейки, но нет названия в первой строке.",
    ),
}


@pytest.mark.parametrize("name,content,message", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_workbook_is_refused_in_russian(editor_client, seed, name, content, message):
    before = Article.objects.count()
    response = upload(editor_client, name, content, "xlsx")
    assert response.context["form"].errors["import_file"] == [f"{name}: {message}"]
    assert "confirm_form" not in response.context
    assert Article.objects.count() == before


def test_a_workbook_sent_as_csv_is_binary_and_a_zip_is_not_checked_as_text(editor_client, seed):
    assert zipfile.is_zipfile(io.BytesIO(GOOD))
    response = upload(editor_client, "articles.xlsx", GOOD, "csv")
    errors = response.context["form"].errors["import_file"]
    assert len(errors) == 1 and "двоичные данные" in errors[0] and "CSV" in errors[0]
    # The same bytes as XLSX are read (a zip holds zero bytes; that is no reason to refuse).
    response = upload(editor_client, "articles.xlsx", GOOD, "xlsx")
    assert response.context["form"].errors == {} and "confirm_form" in response.context


def test_an_unknown_tag_is_the_rows_error_not_silently_dropped(editor_client, seed):
    content = workbook(["slug", "title_ru", "tags"], [SEED_SLUG, "Правка", "oon,no-such-tag"])
    response = upload(editor_client, "tags.xlsx", content, "xlsx")
    result = response.context["result"]
    assert "confirm_form" not in response.context
    errors = [str(e.error) for _line, row_errors in result.row_errors() for e in row_errors]
    assert errors == ["в столбце tags названо то, чего нет в архиве: no-such-tag."]
    seed.refresh_from_db()
    assert seed.title_ru != "Правка"


# --- rows the admin's form would refuse are refused by the import too -----------------------


def row_errors(response):
    result = response.context["result"]
    assert "confirm_form" not in response.context
    invalid = {
        (row.number, field, str(message))
        for row in result.invalid_rows
        for field, messages in row.error_dict.items()
        for message in messages
    }
    errors = {(line, str(e.error)) for line, errors in result.row_errors() for e in errors}
    return invalid, errors


def test_a_row_the_form_would_refuse_imports_nothing(editor_client, seed):
    """A slug that is not one (an editor's Russian words) was saved, and every page
    listing the published article failed (NoReverseMatch); so were a title longer than
    its column and a new article with no Russian title."""
    published = ["published", "2024-09-01 08:30:00"]
    content = csv_file(
        ["slug", "status", "published_at", "title_ru", "title_az"],
        ["плохой слаг", *published, "Статья со словами в адресе", ""],
        ["", *published, "Д" * 301, ""],
        ["", *published, "", "Yalnız azərbaycanca"],
    )
    before = Article.objects.count()
    invalid, errors = row_errors(upload(editor_client, "rows.csv", content, "csv"))
    assert errors == set()
    assert {(number, field) for number, field, _message in invalid} == {
        (1, "slug"),
        (2, "title_ru"),
        (3, "title_ru"),
    }
    assert Article.objects.count() == before
    editor_client.logout()
    assert editor_client.get("/").status_code == 200


def test_a_slug_twice_in_one_file_is_refused_not_the_first_row_overwritten(editor_client, seed):
    """The second row updated the article the first had just made: one article, the
    first row's text lost, and the import said «new: 1, changed: 1»."""
    content = csv_file(
        ["slug", "title_ru"],
        ["dvazhdy", "Первая статья"],
        [SEED_SLUG, "Правка сида"],
        ["dvazhdy", "Вторая статья"],
    )
    before = Article.objects.count()
    invalid, errors = row_errors(upload(editor_client, "twice.csv", content, "csv"))
    assert errors == set()
    assert invalid == {
        (3, "slug", "Адрес dvazhdy уже занят строкой 1 этого файла: у каждой статьи свой адрес.")
    }
    assert Article.objects.count() == before
    assert Article.objects.get(slug=SEED_SLUG).title_ru != "Правка сида"


def csv_file(*rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_tags_and_rubrics_are_checked_as_their_forms_check_them(editor_client):
    """The tag and rubric lists import with django-import-export's own resource, which
    saved a slug with spaces (the pages linking to the tag or rubric failed), a tag
    kind that is none of the four (its page failed) and a second tag of the same name
    and kind (a database error)."""
    TagFactory(name_ru="ООН", kind=Tag.Kind.ORGANISATION)
    tags = csv_file(
        ["id", "slug", "name_ru", "kind"],
        ["", "plokhoy teg", "Плохой тег", "topic"],
        ["", "vid", "Вид", "nonsense"],
        ["", "oon-2", "ООН", "organisation"],
        ["", "", "Хороший тег", "place"],
    )
    invalid, errors = row_errors(upload(editor_client, "tags.csv", tags, "csv", Tag))
    assert errors == set()
    assert {(n, field) for n, field, _message in invalid} == {
        (1, "slug"),
        (2, "kind"),
        (3, "__all__"),
    }
    rubrics = csv_file(["id", "slug", "name_ru", "position"], ["", "плохая", "Плохая", "1"])
    invalid, errors = row_errors(upload(editor_client, "rubrics.csv", rubrics, "csv", Rubric))
    assert {(n, field) for n, field, _message in invalid} == {(1, "slug")}
    assert Tag.objects.count() == 1 and not Rubric.objects.exists()


def test_confirming_an_import_twice_imports_it_once(editor_client, seed):
    """A double click on «Подтвердить импорт», or the browser's reload of its page, sent
    the confirmation again: the file was gone (a server error) or, while the first was
    still importing, read again (every new row imported twice)."""
    content = csv_file(["slug", "title_ru"], ["", "Подтверждена дважды"])
    confirm = upload(editor_client, "twice.csv", content, "csv").context["confirm_form"].initial
    process = reverse("admin:archive_article_process_import")
    assert editor_client.post(process, confirm, follow=True).status_code == 200
    again = editor_client.post(process, confirm, follow=True)
    assert again.redirect_chain[-1][0] == reverse("admin:archive_article_changelist")
    assert [str(m) for m in again.context["messages"]] == [
        "Этот импорт уже подтверждён (или его файл удалён): строки не импортированы ещё раз. "
        "Если их нет в списке, загрузите файл снова."
    ]
    assert Article.objects.filter(title_ru="Подтверждена дважды").count() == 1


@pytest.mark.parametrize(
    "changed", [{"format": "99"}, {"format": "abc"}, {"resource": "7"}, {"resource": "x"}]
)
def test_a_confirmation_naming_no_offered_format_imports_nothing_and_says_so(
    editor_client, seed, changed
):
    content = csv_file(["slug", "title_ru"], ["", "Подмена формата"])
    confirm = upload(editor_client, "changed.csv", content, "csv").context["confirm_form"].initial
    process = reverse("admin:archive_article_process_import")
    response = editor_client.post(process, {**confirm, **changed}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:archive_article_changelist")
    assert [str(m) for m in response.context["messages"]] == [
        "В подтверждении импорта нет предложенного формата или таблицы: загрузите файл снова."
    ]
    assert not Article.objects.filter(title_ru="Подмена формата").exists()
    assert editor_client.post(process, confirm, follow=True).status_code == 200  # untouched
    assert Article.objects.filter(title_ru="Подмена формата").count() == 1


@pytest.mark.parametrize(
    "query", ["published_at__year=9999", "tags__id__exact=abc", "nonsense=1", "o=abc&p=-1"]
)
def test_an_export_of_a_list_address_the_list_refuses_is_that_lists_e1(editor_client, seed, query):
    """import-export reads the list's filters from the address itself: a lookup the list
    answers with «?e=1» was a server error on the export page and its download."""
    url = reverse("admin:archive_article_export") + "?" + query
    form = {"format": "0", "resource": "0", "articleresource_title_ru": "on"}
    changelist = reverse("admin:archive_article_changelist")
    for response in (editor_client.get(url), editor_client.post(url, form)):
        if query.startswith("o="):  # a bad order or page: the list ignores it, so does export
            assert response.status_code == 200
            continue
        assert response.status_code == 302 and response["Location"] == changelist + "?e=1"


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("id", "abc", "«abc» — не целое число."),  # was [<class 'decimal.ConversionSyntax'>]
        ("published_at", "вчера", "«вчера» — не дата и время вида 2024-08-09 14:20."),
        ("rubric", "no-such", "в столбце rubric названо то, чего нет в архиве: no-such."),
        ("source", "Никто", "в столбце source названо то, чего нет в архиве: Никто."),
    ],
)
def test_a_cell_the_import_cannot_read_is_that_cells_error_in_words(
    editor_client, seed, column, value, said
):
    """The library's words were Python's («Rubric matching query does not exist.»), or
    English only («Value could not be parsed using defined formats.»)."""
    content = csv_file(["slug", "title_ru", column], ["", "Статья с плохой ячейкой", value])
    invalid, errors = row_errors(upload(editor_client, "cells.csv", content, "csv"))
    assert (invalid, errors) == ({(1, column, said)}, set())
    assert not Article.objects.filter(title_ru="Статья с плохой ячейкой").exists()


def test_tags_and_rubrics_are_exported_and_imported_by_language(editor_client):
    """The tag and rubric files had a «name» column beside name_ru, name_az and name_en:
    modeltranslation's untranslated column, the editor's language's name. An edit in it
    was lost (the language's own column, read after it, set the name back), or went to
    the column of whatever language the admin was in."""
    from archive.admin.imports import RubricResource, TagResource

    tag = TagFactory(name_ru="Баку", name_az="Bakı", kind=Tag.Kind.PLACE)
    for model, resource in ((Tag, TagResource), (Rubric, RubricResource)):
        columns = [f.column_name for f in resource().get_export_fields()]
        assert "name" not in columns and {"name_ru", "name_az", "name_en"} <= set(columns)
        prefix = resource.__name__.lower()
        exported = editor_client.post(
            reverse(f"admin:archive_{model._meta.model_name}_export"),
            {
                "format": offered("export", model)["csv"],
                "resource": "0",
                **{f"{prefix}_{name}": "on" for name in columns},
            },
        )
        assert next(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))) == columns
    edited = csv_file(["id", "name", "name_ru", "kind"], [tag.pk, "Баку (город)", "Баку", "place"])
    errors = upload(editor_client, "tags.csv", edited, "csv", Tag).context["form"].errors
    assert "неизвестные столбцы в первой строке: name." in errors["import_file"][0]
    tag.refresh_from_db()
    assert (tag.name_ru, tag.name_az) == ("Баку", "Bakı")
