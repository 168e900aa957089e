"""The admin in the editor's language.

The readers' pages carry their language in the URL, Russian without a prefix, so
LocaleMiddleware reads every unprefixed path as Russian: /admin/ too, whatever the
editor asked for. For the admin this middleware (right after LocaleMiddleware) makes
Django's usual choice instead: the language cookie, then the browser's Accept-Language,
then Russian.
"""

from django.urls import reverse
from django.utils import translation


class AdminLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.path_info.startswith(self.prefix):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
