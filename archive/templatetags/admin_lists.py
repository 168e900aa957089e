"""Template helpers for the admin's lists."""

from django import template

from ..admin.date_hierarchy import date_hierarchy_context

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def indexed_date_hierarchy(cl):
    """Django's date_hierarchy, asked of the database one period at a time."""
    return date_hierarchy_context(cl)
