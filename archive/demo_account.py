"""The local demo account (`make run` creates editor / editor) stays local.

It is the account named DEMO_USERNAME whose password is still DEMO_PASSWORD. With DEBUG
off it cannot log in (NoDemoAccountBackend), and `check --deploy` fails while it exists.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.checks import Error, Tags, register
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.utils.translation import gettext as _

DEMO_USERNAME = "editor"
DEMO_PASSWORD = "editor"

log = logging.getLogger(__name__)


class NoDemoAccountBackend(ModelBackend):
    """ModelBackend, except that with DEBUG off the demo account is refused: the
    PermissionDenied stops every later backend, and the login page says why."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        # The password was just checked, so comparing it costs no second hash.
        if user is None or settings.DEBUG:
            return user
        if user.get_username() != DEMO_USERNAME or password != DEMO_PASSWORD:
            return user
        log.warning("Refused a login to the demo account %r: DEBUG is off.", DEMO_USERNAME)
        if request is not None:
            messages.error(
                request,
                _(
                    "The demo account “%(username)s” cannot log in on a production site. "
                    "Create an account with manage.py createsuperuser."
                )
                % {"username": DEMO_USERNAME},
            )
        raise PermissionDenied("demo account")


@register(Tags.security, deploy=True)
def check_demo_account(app_configs=None, **kwargs):
    """`check --deploy` fails while the demo account could log in (were DEBUG on)."""
    users = get_user_model()._default_manager.filter(is_active=True)
    try:
        candidates = list(users.filter(**{get_user_model().USERNAME_FIELD: DEMO_USERNAME}))
    except DatabaseError:
        return []  # no user table yet (before migrate): no account to log in with
    if not any(user.check_password(DEMO_PASSWORD) for user in candidates):
        return []
    return [
        Error(
            f"The demo account {DEMO_USERNAME!r} with its known password "
            f"{DEMO_PASSWORD!r} exists in this database.",
            hint=(
                "It cannot log in with DEBUG off, but must not reach production: give it a "
                f"real password (manage.py changepassword {DEMO_USERNAME}) or delete it."
            ),
            id="archive.E001",
        )
    ]
