"""The body's rich-text editor on the article form, and the image picker it opens.

The picker follows django-prose-editor's Figure extension: its "Browse..." button opens
`pickerUrl` in a window (the CKEditor file-browser protocol), and the page chosen from
calls window.opener.CKEDITOR.tools.callFunction(n, url, {id, alternative_text, caption})
(archive/static/archive/admin/image-picker.js). So the picker is a server-rendered admin
page with a search box, not a JSON endpoint: nothing to template in the browser.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..body_images import BODY_IMAGE_WIDTH
from ..languages import folded
from ..models import Image
from ..richtext import HELP_TEXT, RichTextWidget

PICKER_PAGE_SIZE = 24
PICKER_THUMBNAIL_WIDTH = 240


class RichTextBodyMixin:
    """For a ModelAdmin of Article (with modeltranslation): body_ru/az/en get the editor."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        if field is not None and original is not None and original.name == "body":
            field.widget = RichTextWidget(
                attrs=field.widget.attrs,  # modeltranslation's classes mark the language
                language=db_field.language,
                picker_url=self.picker_url(db_field.language),
            )
            field.strip = False  # an untouched body is saved exactly as it was stored
            field.help_text = HELP_TEXT
        return field

    def picker_url(self, language):
        name = f"{self.admin_site.name}:archive_article_image_picker"
        return reverse(name) + "?" + urlencode({"language": language})

    def get_urls(self):
        picker = path(
            "image-picker/",
            self.admin_site.admin_view(self.image_picker),
            name="archive_article_image_picker",
        )
        return [picker, *super().get_urls()]

    def image_picker(self, request):
        if not request.user.has_perm("archive.view_image"):
            raise PermissionDenied
        languages = dict(settings.LANGUAGES)
        language = request.GET.get("language")
        language = language if language in languages else settings.LANGUAGE_CODE
        query = request.GET.get("q", "").strip()
        images = Image.objects.all()
        for word in folded(query).split():  # each word anywhere, in any language
            images = images.filter(search_key__contains=word)
        page = Paginator(images, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        keep = {k: request.GET[k] for k in ("CKEditorFuncNum", "language", "q") if k in request.GET}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose an image"),
            "is_popup": True,
            "opts": self.model._meta,
            "query": query,
            "language": language,
            "keep": keep,
            "page": page,
            "choices": [_choice(image, language) for image in page.object_list],
            "previous": page.has_previous() and urlencode(keep | {"page": page.number - 1}),
            "next": page.has_next() and urlencode(keep | {"page": page.number + 1}),
        }
        return TemplateResponse(request, "admin/archive/image_picker.html", context)


def image_url(image, width=BODY_IMAGE_WIDTH):
    """The smallest rendition at least `width` wide, else the largest, else the
    original file."""
    sizes = {}
    for size, name in (image.renditions or {}).items():
        if str(size).isdigit() and name:
            sizes[int(size)] = name
    if not sizes:
        return image.file.url
    wide = [w for w in sizes if w >= width]
    return image.file.storage.url(sizes[min(wide) if wide else max(sizes)])


def _choice(image, language):
    def translated(name):
        return getattr(image, f"{name}_{language}", "") or getattr(
            image, f"{name}_{settings.LANGUAGE_CODE}", ""
        )

    caption = translated("caption")
    return {
        "id": image.pk,
        "url": image_url(image),
        "thumbnail": image_url(image, PICKER_THUMBNAIL_WIDTH),
        "alt": translated("alt"),
        # The credit goes into the offered caption, so the page names the author.
        "caption": " — ".join(part for part in (caption, image.credit) if part),
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
    }
