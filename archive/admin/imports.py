"""Spreadsheet import and export in the admin (django-import-export), with uploads
checked before the library reads them."""

import os

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, ValidationError
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.forms import ImportForm
from import_export.tmp_storages import TempFolderStorage
from modeltranslation.translator import NotRegistered, translator

from ..importers import MAX_LINE_BYTES
from ..importers.files import text_file_problem
from ..models import Article, Rubric, Source, Tag
from .filters import OUT_OF_RANGE
from .spreadsheets import (
    KnownItemsWidget,
    KnownItemWidget,
    UnreadableFile,
    checked_format,
    resource_columns,
)

NOT_A_NUMBER = _("«%(value)s» is not a whole number.")
NOT_A_DATE = _("«%(value)s» is not a date and time such as 2024-08-09 14:20.")
FORM_CHANGED = _(
    "The import's confirmation names no format or table offered: upload the file again."
)
SLUG_TAKEN_IN_FILE = _(
    "Slug %(slug)s is already taken by row %(row)s of this file: each article has its own slug."
)


class WholeNumberWidget(widgets.IntegerWidget):
    """An integer column («id») whose cell is no number is that cell's error in words:
    the library's Decimal raised InvalidOperation, shown to the editor as
    «[<class 'decimal.ConversionSyntax'>]»."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ArithmeticError:  # decimal.InvalidOperation
            raise ValueError(NOT_A_NUMBER % {"value": str(value)[:50]}) from None


class DateTimeCellWidget(widgets.DateTimeWidget):
    """A date cell the library cannot read is its error in the editor's words: the
    library's own message is English only («Value could not be parsed using defined
    formats.»)."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(NOT_A_DATE % {"value": str(value)[:50]}) from None


WORDED_WIDGETS = {
    widgets.IntegerWidget: WholeNumberWidget,
    widgets.DateTimeWidget: DateTimeCellWidget,
}


class CheckedResource(resources.ModelResource):
    """Each row is checked as the model's admin form checks it (clean_model_instances):
    django-import-export saves what it is given, and a slug that is not one (an
    editor's Russian words) was saved, and every page linking to the row then failed."""

    class Meta:
        clean_model_instances = True

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        found = super().widget_from_django_field(f, default)
        return WORDED_WIDGETS.get(found, found)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            # The untranslated column modeltranslation keeps (title) holds one of the
            # language columns (title_ru) the row is checked in: its error is one of theirs.
            try:
                untranslated = translator.get_options_for_model(type(instance)).all_fields
            except NotRegistered:
                untranslated = ()
            errors = {f: m for f, m in error.error_dict.items() if f not in untranslated}
            if errors:
                raise ValidationError(errors) from None


# Not the untranslated «name» column modeltranslation keeps: it is the name in the
# editor's language, so an edit in it went to that language's column, or was lost when
# the file's name_ru came after it. Not the search key either: it is made on save.
class TagResource(CheckedResource):
    class Meta:
        model = Tag
        exclude = ("name", "search_key")


class RubricResource(CheckedResource):
    class Meta:
        model = Rubric
        exclude = ("name",)


class ArticleResource(CheckedResource):
    """Spreadsheet import/export of articles: rubric, source and tags by name or slug.
    A slug given on two rows is refused: the second row updated what the first had made."""

    rubric = fields.Field("rubric", "rubric", KnownItemWidget(Rubric, "slug", column="rubric"))
    source = fields.Field("source", "source", KnownItemWidget(Source, "name", column="source"))
    tags = fields.Field("tags", "tags", KnownItemsWidget(Tag, ",", "slug", column="tags"))

    class Meta:
        model = Article
        fields = (
            "id", "slug", "status", "published_at", "time_known", "title_ru", "title_az",
            "title_en", "lead_ru", "lead_az", "lead_en", "body_ru", "body_az", "body_en", "rubric",
            "tags", "source", "source_url", "has_video", "video_url",
        )  # fmt: skip
        import_id_fields = ("slug",)
        skip_unchanged = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.slug_rows = {}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        slug, number = str(row.get("slug") or "").strip(), kwargs.get("row_number")
        first = self.slug_rows.setdefault(slug, number) if slug else number
        if first != number:
            message = SLUG_TAKEN_IN_FILE % {"slug": slug, "row": first}
            errors.setdefault("slug", []).append(ValidationError(message))
        if errors:
            raise ValidationError(errors)


# A spreadsheet uploaded in the admin is read whole, by django-import-export, inside the
# web worker: bigger files go through `manage.py import_articles`, which streams.
ADMIN_IMPORT_MAX_BYTES = 16 * 1024 * 1024

TEXT_FILE_PROBLEMS = {
    "gzip": _("%(name)s is compressed (gzip). Unpack it and import the file inside."),
    "binary": _(
        "%(name)s, line %(line)s: binary data (a zero byte at column %(column)s), "
        "not a %(format)s file. Check the file and the format chosen."
    ),
    "cp1251": _(
        "%(name)s, line %(line)s: not UTF-8 text; it looks like Windows-1251 (cp1251). "
        "Save the file as UTF-8 and import it again."
    ),
    "encoding": _(
        "%(name)s, line %(line)s: not UTF-8 text (byte 0x%(byte)02x at column %(column)s). "
        "Save the file as UTF-8 and import it again."
    ),
    "long-line": _("%(name)s, line %(line)s is longer than %(limit)s. Nothing was imported."),
}


class CheckedImportForm(ImportForm):
    """The import upload, refused with a message naming the file, the line and the
    problem when it is too big, compressed, binary, not UTF-8 or has an overlong line:
    django-import-export would only say "UnicodeDecodeError encountered"."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        input_format = self.import_formats[int(chosen)]()
        limit = getattr(settings, "ARCHIVE_ADMIN_IMPORT_MAX_BYTES", ADMIN_IMPORT_MAX_BYTES)
        params = {"name": upload.name, "format": input_format.get_title().upper()}
        if upload.size > limit:
            message = _(
                "%(name)s is %(size)s; files up to %(limit)s can be imported here. "
                "Import bigger files with manage.py import_articles."
            )
            size, most = filesizeformat(upload.size), filesizeformat(limit)
            self.add_error("import_file", message % {**params, "size": size, "limit": most})
            return cleaned
        data = b"".join(upload.chunks())
        upload.seek(0)
        line_limit = getattr(settings, "ARCHIVE_IMPORT_MAX_LINE_BYTES", MAX_LINE_BYTES)
        problem = text_file_problem(data, line_limit)
        if problem and (problem.kind == "gzip" or not input_format.is_binary()):
            values = {
                "line": problem.line,
                "column": problem.column,
                "byte": problem.byte,
                "limit": filesizeformat(line_limit),
            }
            self.add_error("import_file", TEXT_FILE_PROBLEMS[problem.kind] % {**params, **values})
        return cleaned


ALREADY_CONFIRMED = _(
    "This import was confirmed already (or its file was removed): its rows were not "
    "imported again. If they are not in the list, upload the file again."
)


class ConfirmedOnceStorage(TempFolderStorage):
    """The upload kept between the import's preview and its confirmation, which takes
    it: renamed (atomic), a second confirmation of the same preview finds none."""

    def claim(self):
        """The name of the file, now this confirmation's; FileNotFoundError when
        another took it."""
        path = self.get_full_path()
        os.rename(path, f"{path}.confirmed")
        return f"{self.name}.confirmed"


class CheckedImportMixin:
    import_form_class = CheckedImportForm
    # A double click on «confirm», or the browser's reload of its page, sent the
    # confirmation again: the file was gone (a server error), or, while the first was
    # still importing, read again (every new row twice).
    tmp_storage_class = ConfirmedOnceStorage

    def _changelist_url(self, query=""):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + query

    def get_export_queryset(self, request):
        # import-export builds its own list from the address: a lookup the list itself
        # answers with «?e=1» (a field that is no field, year 10000, an id over 64 bits on
        # SQLite) was a server error here. The first row is read so that it fails now.
        try:
            queryset = super().get_export_queryset(request)
            queryset.exists()
        except (FieldError, ValidationError, *OUT_OF_RANGE) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(self._changelist_url("?e=1"))

    def process_import(self, request, **kwargs):
        form = self.create_confirm_form(request)
        if request.method == "POST" and self.has_import_permission(request) and form.is_valid():
            if not self._known_format_and_resource(request, form.cleaned_data):
                messages.error(request, FORM_CHANGED)
                return HttpResponseRedirect(self._changelist_url())
            storage = self.get_tmp_storage_class()(name=form.cleaned_data["import_file_name"])
            try:
                taken = storage.claim()
            except FileNotFoundError:
                messages.warning(request, ALREADY_CONFIRMED)
                return HttpResponseRedirect(self._changelist_url())
            request.POST = request.POST.copy()
            request.POST["import_file_name"] = taken
        return super().process_import(request, **kwargs)

    def _known_format_and_resource(self, request, data):
        """The confirmation's format and resource are indexes the import page offered
        (a changed form sent «abc» or «99»: a server error in the library)."""
        offered = (
            (data.get("format"), len(self.get_import_formats())),
            (data.get("resource") or "0", len(self.get_import_resource_classes(request))),
        )
        return all(str(v).isdigit() and int(v) < count for v, count in offered)

    def get_import_formats(self):
        # Each format checks the file's first row against this admin's resource
        # (archive/admin/spreadsheets.py).
        columns, required = resource_columns(self.get_import_resource_classes(None))
        formats = super().get_import_formats()
        return [checked_format(f, columns, required) for f in formats]

    def add_success_message(self, result, request):
        # django-import-export's own sentence puts a count before an adjective
        # («1 новых … 0 пропущено статьи»); counts after a colon read right in Russian.
        totals = {key: result.totals[key] for key in ("new", "update", "delete", "skip")}
        message = _(
            "Import finished. New: %(new)s, changed: %(update)s, deleted: %(delete)s, "
            "skipped as unchanged: %(skip)s."
        )
        messages.success(request, message % totals)

    def add_data_read_fail_error_to_form(self, form, e):
        # What went wrong, not only the exception's class name.
        upload = form.cleaned_data.get("import_file")
        name = upload.name if upload else ""
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", f"{name}: {e}")
            return
        message = _("%(name)s could not be read as the format chosen: %(error)s")
        form.add_error("import_file", message % {"name": name, "error": str(e)[:300]})
