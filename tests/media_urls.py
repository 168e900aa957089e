"""The site's URLs plus the uploaded files (var/media), which the live server of the
browser tests must serve for a body's images to show; production serves them itself."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from archive.urls import urlpatterns as site


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.+)$", media), *site]
