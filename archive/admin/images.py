"""The image library: upload (checked by archive/images.py), alt text and caption per
language, credit and source; renditions made on save. And the lead image on the
article form: per language, by autocomplete, with a thumbnail of the picture chosen."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import TranslationAdmin

from ..body_images import articles_showing, follow_replaced_file
from ..capitals import capfirst_local
from ..images import check_image, limits, name_for
from ..languages import LANGUAGE_CODES, ORIGINAL_LANGUAGE
from ..models import Article, Image
from ..pictures import widest_up_to
from ..renditions import (
    forget_replaced_original,
    make_renditions,
    renditions_of,
    upright_size,
    widths,
)
from .common import URL_FIELDS
from .filters import OutOfRangeLookupsMixin
from .grammar_admin import GrammarAdminMixin
from .richtext import image_url
from .translation_tabs import TranslationTabsMixin

THUMBNAIL_WIDTH = 320  # the rendition thumbnails use (shown at 80-160 px)


class LibraryImageField(forms.ImageField):
    """An upload checked by content, size, pixels and animation (archive/images.py);
    stored under the extension of what it really is."""

    default_validators = []  # the contents decide, not the name's extension

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        checked = check_image(upload, upload.name)
        upload.content_type = checked.mime_type
        upload.name = name_for(upload.name, checked)
        return upload


class OriginalFileInput(AdminFileWidget):
    """The current file linked to the admin's own copy of the original (staff only):
    the public media URL serves renditions alone (README, "The admin")."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        instance = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and instance is not None and instance.pk:
            url = reverse("admin:archive_image_original", args=[instance.pk])
            context["widget"]["value"] = _LinkedName(value.name, url)
        return context


class _LinkedName(str):
    """What the widget's template shows ({{ value }}) and links ({{ value.url }})."""

    def __new__(cls, name, url):
        linked = super().__new__(cls, name)
        linked.url = url
        return linked


def thumbnail(image, width=THUMBNAIL_WIDTH, shown=96):
    rendition = widest_up_to(image, width) if image is not None else None
    if rendition is None:
        return None
    height = round(shown * rendition.height / rendition.width)
    return format_html(
        '<img class="library-thumbnail" src="{}" width="{}" height="{}" alt="">',
        image.file.storage.url(rendition.jpeg),
        shown,
        height,
    )


@admin.register(Image)
class ImageAdmin(OutOfRangeLookupsMixin, TranslationTabsMixin, GrammarAdminMixin, TranslationAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ("list_thumbnail", "alt", "credit", "size", "used_in", "uploaded_at")
    list_display_links = ("list_thumbnail", "alt")
    search_fields = ("alt_ru", "alt_az", "alt_en", "caption_ru", "credit")
    date_hierarchy = "uploaded_at"
    readonly_fields = ("preview", "size", "renditions_made", "uploaded_by", "uploaded_at")
    fieldsets = (
        (None, {"fields": ("file", "preview", "alt", "caption", "credit", "source_url")}),
        (
            gettext_lazy("Upload"),
            {"fields": ("size", "renditions_made", "uploaded_by", "uploaded_at")},
        ),
    )

    class Media:
        css = {"all": ("archive/admin/images.css",)}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # nothing to preview or report before the upload
            name, options = fieldsets[0]
            fields = [f for f in options["fields"] if f != "preview"]
            return [(name, {**options, "fields": fields})]
        return fieldsets

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("uploaded_by")
            .annotate(article_count=usage_count())
        )

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if connection.vendor == "sqlite" and not search_term.isascii():
            # SQLite ignores the case of ASCII letters only: «шкала» would miss «Шкала».
            for variant in {search_term.lower(), search_term.capitalize()} - {search_term}:
                found |= super().get_search_results(request, queryset, variant)[0]
        return found, duplicates

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            limit = limits()
            kwargs.update(
                form_class=LibraryImageField,
                widget=OriginalFileInput,
                help_text=_(
                    "JPEG, PNG or WebP, at most %(bytes)s, %(megapixels)s megapixels and "
                    "%(side)s px a side; no animation. Renditions for the pages (%(widths)s "
                    "px wide, never enlarged) are made on save."
                )
                % {
                    "bytes": filesizeformat(limit["bytes"]),
                    "megapixels": number_format(limit["pixels"] / 1_000_000, decimal_pos=0),
                    "side": number_format(limit["side"], force_grouping=True),
                    "widths": ", ".join(str(w) for w in widths()),
                },
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        # A body showing the image would keep a broken picture: those articles protect it,
        # as an article's rubric does (the delete page lists them and deletes nothing).
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        noun = capfirst_local(Article._meta.verbose_name)
        for pk, bodies, title in articles_showing([o.pk for o in objs], Article, "title_ru"):
            languages = ", ".join(f.rsplit("_", 1)[1].upper() for f in bodies)
            url = reverse("admin:archive_article_change", args=[pk])
            where = _("the picture is in its text (%(languages)s)") % {"languages": languages}
            protected.append(format_html('{}: <a href="{}">{}</a> — {}', noun, url, title, where))
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        previous = form.initial.get("file")
        old_size = Image.objects.filter(pk=obj.pk).values_list("width", "height").first()
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data or not obj.renditions:
            make_renditions(obj)
            forget_replaced_original(obj, getattr(previous, "name", None))
            # The old renditions go with the old file: bodies showing it must follow.
            if (
                change
                and old_size
                and (moved := follow_replaced_file(obj, old_size, image_url(obj), Article))
            ):
                message = ngettext(
                    "The new file is shown in %(count)s article's text.",
                    "The new file is shown in %(count)s articles' text.",
                    moved,
                )
                self.message_user(request, message % {"count": moved}, messages.INFO)

    # Columns and read-only fields -----------------------------------------------------

    @admin.display(description=gettext_lazy("picture"))
    def list_thumbnail(self, obj):
        return thumbnail(obj) or "—"

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, obj):
        return thumbnail(obj, width=1024, shown=480) or "—"

    @admin.display(description=gettext_lazy("size"))
    def size(self, obj):
        if not obj.pk:
            return "—"
        width, height = upright_size(obj)
        return f"{width} × {height}"

    @admin.display(description=gettext_lazy("used in articles"), ordering="article_count")
    def used_in(self, obj):
        count = getattr(obj, "article_count", None)
        if count is None:
            count = Article.objects.filter(using(obj.pk)).count()
        if not count:
            return 0
        url = reverse("admin:archive_article_changelist") + f"?lead_image={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, count)

    @admin.display(description=gettext_lazy("renditions"))
    def renditions_made(self, obj):
        found = renditions_of(obj)
        if not found:
            return "—"
        return "; ".join(
            _("%(width)s px: JPEG %(jpeg)s, WebP %(webp)s")
            % {
                "width": r.width,
                "jpeg": filesizeformat(r.jpeg_bytes or 0),
                "webp": filesizeformat(r.webp_bytes or 0),
            }
            for r in found
        )

    # The original for staff, and the thumbnail for the article form --------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/original/",
                self.admin_site.admin_view(self.original_view),
                name="{}_{}_original".format(*info),
            ),
            path(
                "<path:object_id>/thumbnail/",
                self.admin_site.admin_view(self.thumbnail_view),
                name="{}_{}_thumbnail".format(*info),
            ),
            *super().get_urls(),
        ]

    def _viewable(self, request, object_id):
        image = get_object_or_404(Image, pk=object_id) if object_id.isdigit() else None
        if image is None:
            raise Http404
        if not self.has_view_permission(request, image):
            raise PermissionDenied
        return image

    def original_view(self, request, object_id):
        image = self._viewable(request, object_id)
        try:
            handle = image.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, filename=image.file.name.rsplit("/", 1)[-1])

    def thumbnail_view(self, request, object_id):
        image = self._viewable(request, object_id)
        rendition = widest_up_to(image, THUMBNAIL_WIDTH)
        return JsonResponse(
            {
                "id": image.pk,
                "alt": image.alt,
                "url": image.file.storage.url(rendition.jpeg) if rendition else None,
                "width": rendition.width if rendition else None,
                "height": rendition.height if rendition else None,
            }
        )


def using(image_pk):
    """Articles with `image_pk` (a pk or an OuterRef) as their lead image in any language."""
    uses = Q()
    for name in Article.LEAD_IMAGES:
        uses |= Q(**{name: image_pk})
    return uses


def usage_count():
    """The number of articles using the row's image, for annotate(): a subquery, as a
    join per language would count each article once per language."""
    counted = (
        Article.objects.filter(using(OuterRef("pk")))
        .order_by()
        .annotate(n=Func("pk", function="COUNT"))
    )
    return Coalesce(Subquery(counted.values("n")), 0)


class LeadImageFilter(admin.SimpleListFilter):
    """The article list's ?lead_image=<image id>, the image library's link from its count:
    the articles using that picture in any language. Shown in the sidebar only while
    it filters."""

    title = gettext_lazy("lead image")
    parameter_name = "lead_image"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value and value.isdigit()):
            return []
        image = Image.objects.filter(pk=value).first()
        return [(value, str(image) if image is not None else f"#{value}")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(using(int(value)))
        return queryset


def _preview_in(code):
    @admin.display(description=gettext_lazy("chosen picture"))
    def preview(self, obj):
        return self.lead_image_preview(obj, code)

    return preview


class LeadImageMixin:
    """For ArticleAdmin: the lead image is chosen per language (a picture with words in it
    has a version per language; archive/translation.py), each by autocomplete on its
    language's tab, with a thumbnail of the picture chosen below it, refreshed in the
    browser when another is chosen (archive/admin/lead-image.js). A language left without
    one says that its pages show the Russian picture."""

    lead_image_preview_ru = _preview_in("ru")
    lead_image_preview_az = _preview_in("az")
    lead_image_preview_en = _preview_in("en")
    LEAD_IMAGE_PREVIEWS = tuple(f"lead_image_preview_{code}" for code in LANGUAGE_CODES)

    def lead_image_preview(self, obj, code):
        chosen = getattr(obj, f"lead_image_{code}_id", None) if obj is not None else None
        image = getattr(obj, f"lead_image_{code}") if chosen else None
        template = reverse("admin:archive_image_thumbnail", args=[0]).replace("/0/", "/{id}/")
        fallback = ""
        if code != ORIGINAL_LANGUAGE:
            fallback = format_html(
                '<p class="lead-image-fallback help"{}>{}</p>',
                " hidden" if image is not None else "",
                _("None chosen: pages in this language show the Russian lead image."),
            )
        return format_html(
            '<div class="lead-image-preview" data-for="id_lead_image_{}" lang="{}" '
            'data-translation-language="{}" data-thumbnail-url="{}">'
            '<div class="lead-image-chosen">{}</div>{}</div>',
            code,
            code,
            code,
            template,
            thumbnail(image, shown=160) or "",
            fallback,
        )

    @property
    def media(self):
        return super().media + forms.Media(
            js=["archive/admin/lead-image.js"], css={"all": ["archive/admin/images.css"]}
        )
