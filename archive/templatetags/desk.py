"""The admin home's dashboard (templates/admin/index.html; queries in archive.dashboard).

A template tag rather than an AdminSite subclass or a wrapped admin.site.index: the
site stays Django's default one that every app registers with, and the override is
one template that Django finds before its own.
"""

from django import template

from ..dashboard import desk
from ..times import desk_time as _desk_time

register = template.Library()

# django-axes' login-throttling logs: kept on the home page, after everything else.
LAST_APPS = {"axes"}


@register.simple_tag(takes_context=True)
def desk_dashboard(context):
    """The dashboard for the user who may view articles; None for anyone else."""
    user = context["request"].user
    if not (user.has_perm("archive.view_article") or user.has_perm("archive.change_article")):
        return None
    return desk(user)


@register.filter
def throttling_last(app_list):
    return sorted(app_list, key=lambda app: app["app_label"] in LAST_APPS)


@register.filter
def desk_time(article):
    """An article's publication in the admin: with its time of day only when known."""
    return _desk_time(article.published_at, article.time_known)
