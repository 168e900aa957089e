"""Spreadsheets as the admin's import reads them: a file that cannot be read, has no
rows, or whose first row does not name the resource's columns is refused before the
dry run, with a message for the editor at the file field (django-import-export would
show a Python exception's name, or a traceback).

Each import format (settings.IMPORT_EXPORT_FORMATS) is wrapped in a subclass that knows
the columns of the admin's resource: CheckedImportMixin.get_import_formats makes them."""

from functools import cache

import tablib
from django.utils.translation import gettext_lazy as _
from import_export import widgets

NOT_XLSX = _(
    "not an Excel workbook (XLSX): the file is damaged, cut short or of another kind. "
    "Open it in Excel or LibreOffice Calc and save it as an Excel workbook (.xlsx)."
)
NO_ROWS = _("the file has no rows: its first row must name the columns (%(columns)s).")
BLANK_HEADER = _("column %(number)s has cells but no name in the first row.")
UNKNOWN_COLUMNS = _(
    "unknown columns in the first row: %(unknown)s. The columns that can be imported: %(columns)s."
)
NO_DATA_ROWS = _("the file has only its first row (the column names): no rows to import.")
UNKNOWN_ITEMS = _("column %(column)s names what the archive does not have: %(unknown)s.")
MISSING_COLUMN = _(
    "the first row has no column %(column)s, which tells which item each row is "
    "(leave its cells empty for new items)."
)


class UnreadableFile(ValueError):
    """An upload the import cannot use; its message is written for the editor."""


def _join(names):
    return ", ".join(names)


def _drop_unnamed_empty_columns(dataset):
    """Spreadsheet programs leave formatted but empty columns with no name; a column
    with cells but no name is the editor's to fix."""
    headers = list(dataset.headers or [])
    keep = []
    for index, header in enumerate(headers):
        named = header is not None and str(header).strip() != ""
        if named:
            keep.append(index)
        elif any(row[index] not in (None, "") for row in dataset):
            raise UnreadableFile(BLANK_HEADER % {"number": index + 1})
    if len(keep) == len(headers):
        return dataset
    cleaned = tablib.Dataset(headers=[str(headers[i]).strip() for i in keep])
    for row in dataset:
        cleaned.append([row[i] for i in keep])
    return cleaned


def check_columns(dataset, columns, required):
    dataset = _drop_unnamed_empty_columns(dataset)
    headers = [str(h).strip() for h in dataset.headers or []]
    dataset.headers = headers
    unknown = [h for h in headers if h not in columns]
    if unknown:
        raise UnreadableFile(
            UNKNOWN_COLUMNS % {"unknown": _join(unknown), "columns": _join(columns)}
        )
    for column in required:
        if column not in headers:
            raise UnreadableFile(MISSING_COLUMN % {"column": column})
    return dataset


class CheckedFormat:
    """Mixed before an import_export format class; `columns` and `required` are the
    resource's column names and the ones that say which row is which item."""

    columns = required = ()

    def create_dataset(self, in_stream, **kwargs):
        try:
            dataset = super().create_dataset(in_stream, **kwargs)
        except StopIteration:  # XLSX: openpyxl found no first row
            raise UnreadableFile(NO_ROWS % {"columns": _join(self.columns)}) from None
        except Exception as exc:
            if self.get_extension() != "xlsx":
                raise  # text formats: the admin reports the reader's own message
            # openpyxl and zipfile raise anything from BadZipFile to KeyError for a
            # file that is not a whole workbook.
            raise UnreadableFile(NOT_XLSX) from exc
        if not dataset.headers:
            raise UnreadableFile(NO_ROWS % {"columns": _join(self.columns)})
        dataset = check_columns(dataset, self.columns, self.required)
        if not len(dataset):
            raise UnreadableFile(NO_DATA_ROWS)
        return dataset


class KnownItemsWidget(widgets.ManyToManyWidget):
    """A list of slugs (tags) where a slug nobody knows is the row's error, not
    silently left out as django-import-export's widget does."""

    def __init__(self, model, separator, field, column):
        super().__init__(model, separator, field)
        self.column = column

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        if not value or isinstance(value, (int, float)):
            return found
        wanted = [v.strip() for v in str(value).split(self.separator) if v.strip()]
        known = {str(v) for v in found.values_list(self.field, flat=True)}
        unknown = [v for v in wanted if v not in known]
        if unknown:
            raise ValueError(UNKNOWN_ITEMS % {"column": self.column, "unknown": _join(unknown)})
        return found


class KnownItemWidget(widgets.ForeignKeyWidget):
    """One rubric or source by its slug or name: one nobody knows is the cell's error in
    words, not «Rubric matching query does not exist.»."""

    def __init__(self, model, field, column):
        super().__init__(model, field)
        self.column = column

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                UNKNOWN_ITEMS % {"column": self.column, "unknown": _join([str(value)])}
            ) from None


@cache
def checked_format(format_class, columns, required):
    return type(
        f"Checked{format_class.__name__}",
        (CheckedFormat, format_class),
        {"columns": columns, "required": required},
    )


def resource_columns(resource_classes):
    """(the columns an import through any of `resource_classes` reads, the ones every
    one of them requires)."""
    columns, required = {}, None
    for resource_class in resource_classes:
        resource = resource_class()
        columns.update(dict.fromkeys(f.column_name for f in resource.get_user_visible_fields()))
        ids = list(resource.get_import_id_fields())
        # django-import-export's default identity ("id") may be left out: rows are new.
        needs = set() if ids == ["id"] else {resource.fields[name].column_name for name in ids}
        required = needs if required is None else required & needs
    return tuple(columns), tuple(sorted(required or ()))
