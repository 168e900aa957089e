"""Response hardening Django does not ship: a Content-Security-Policy header, readers'
pages refusing writing methods before the CSRF check, and the glue for admin login
throttling (django-axes): which address a login attempt comes from, what a locked-out
editor sees, and the backend that checks the lock."""

import ipaddress
import re

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.signals import user_logged_in
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _


def content_security_policy(path: str) -> str:
    """CONTENT_SECURITY_POLICY as a header value, with the sources that
    CONTENT_SECURITY_POLICY_EXCEPTIONS adds for paths matching their pattern."""
    policy = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY.items()}
    for pattern, extra in settings.CONTENT_SECURITY_POLICY_EXCEPTIONS:
        if re.search(pattern, path):
            for name, sources in extra.items():
                policy.setdefault(name, []).extend(sources)
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


class SecurityHeadersMiddleware:
    """The outermost layer: sends the Content-Security-Policy (with
    CONTENT_SECURITY_POLICY_REPORT_ONLY the browser only reports what it would block),
    and X-Frame-Options, X-Content-Type-Options and Referrer-Policy, on every response
    that lacks them. Django's middlewares set the last three only on responses that pass
    through them; whitenoise's files, the APPEND_SLASH redirect and the 400 for a bad
    Host header are made before they run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
            else "Content-Security-Policy"
        )
        response.headers.setdefault(header, content_security_policy(request.path_info))
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if settings.SECURE_REFERRER_POLICY:
            response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        return response


# The readers' pages, feeds, sitemaps, robots.txt and search (archive/urls.py, search/urls.py):
# every view there answers GET and HEAD only.
READERS_NAMESPACES = {"archive", "search"}
READERS_URL_NAMES = {"sitemap", "sitemap-section", "robots"}


class ReadOnlyPagesMiddleware:
    """A POST (PUT, PATCH, DELETE) to a reader's page is a 405 with `Allow: GET, HEAD`,
    as its view says: placed before CsrfViewMiddleware, which would otherwise answer
    first with a 403 «CSRF verification failed» to anyone without the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method in ("GET", "HEAD") or match is None:
            return None
        if READERS_NAMESPACES & set(match.namespaces) or match.url_name in READERS_URL_NAMES:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return None


def client_ip(request) -> str | None:
    """The client's address, as the proxies in front say it (see client() for counting).

    REMOTE_ADDR, which a client cannot choose. Behind TRUSTED_PROXY_COUNT proxies
    that each append the address they were connected from to X-Forwarded-For, the
    client is the entry that many places from the right; whatever the client wrote
    into the header itself sits further left and is ignored. A header that is too
    short or not an address means the request did not come through the proxies as
    configured, so REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


def client(request) -> str | None:
    """Who is counted, for login failures (AXES_CLIENT_IP_CALLABLE) and rate limits:
    client_ip(), with an IPv6 address reduced to its /64, which one host owns (it
    could otherwise try from 2^64 addresses), and an IPv4-mapped one to its IPv4."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except (TypeError, ValueError):
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)


class LoginThrottleBackend(AxesStandaloneBackend):
    """AxesStandaloneBackend, except that authenticate() without a request (the test
    client's login(), a script) is let through to the next backend: there is no
    client to count. Every web login form passes the request, so every one is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def user_failures(request, credentials) -> int:
    """Failures of this user name from this address within the cool-off, as axes
    counts them (its first lockout parameter is the pair)."""
    AxesProxyHandler.update_request(request)
    pair = AxesProxyHandler.get_implementation().get_user_attempts(request, credentials)[0]
    return pair.aggregate(n=Sum("failures_since_start"))["n"] or 0


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT. axes compares one count, the larger of the pair's failures
    and the address's (all user names), with one limit; so the limit is the pair's
    once the pair alone has reached it, else the address's (higher) one."""
    if user_failures(request, credentials) >= settings.LOGIN_FAILURES_PER_USER:
        return settings.LOGIN_FAILURES_PER_USER
    return settings.LOGIN_FAILURES_PER_ADDRESS


@receiver(user_logged_in, dispatch_uid="archive-forget-own-failures")
def forget_own_failures(sender, request, user, **kwargs):
    """A successful login clears this user name's failures from this address, and
    nothing else (AXES_RESET_ON_SUCCESS is off: see the settings)."""
    if request is not None:
        AccessAttempt.objects.filter(
            username=user.get_username(), ip_address=client(request)
        ).delete()


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): the admin's own
    layout, in the request's language, saying when to try again."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed logins"),
        # Locked for this user name, or for every name tried from this address.
        "user_locked": user_failures(request, credentials) >= settings.LOGIN_FAILURES_PER_USER,
        "failure_limit": failure_limit(request, credentials),
        # "1 hour", in the request's language; None when only axes_reset lifts the lock.
        "wait": timeuntil(now + cool_off, now) if cool_off else None,
    }
    response = render(request, "admin/lockout.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
