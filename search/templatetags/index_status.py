"""{% index_status_line %}: the search index in one line (search.status_line)."""

from django import template

from ..status_line import index_line

register = template.Library()


@register.inclusion_tag("admin/search/index_status_line.html")
def index_status_line():
    return {"line": index_line()}
