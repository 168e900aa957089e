"""Preview of an article on the site's own templates (archive.preview): the link after
an article is added. The change form's button is in
templates/admin/archive/article/change_form_object_tools.html."""

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def preview_url(article):
    return reverse("archive:article-preview", kwargs={"pk": article.pk})


class PreviewLinkMixin:
    def response_add(self, request, obj, post_url_continue=None):
        # Whichever save button was pressed, the next page says where the preview is.
        self.message_user(
            request,
            format_html(
                '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
                _("See the article as readers will see it:"),
                preview_url(obj),
                _("Preview"),
            ),
            messages.INFO,
        )
        return super().response_add(request, obj, post_url_continue)
