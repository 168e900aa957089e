"""Library pictures on the readers' pages: a responsive <picture> (WebP with a JPEG
fallback, width and height against layout shifts) and the link-preview meta tags."""

from django import template

from .. import pictures

register = template.Library()


@register.inclusion_tag("includes/picture.html", takes_context=True)
def picture(context, image, layout, lazy=False, decorative=False, priority=False, css_class=""):
    """`layout`: "article" or "card" (pictures.SIZES: how wide it is shown);
    `decorative`: alt="" (a card's thumbnail beside its title says nothing more);
    `priority`: the page's main picture, fetched first; `lazy`: loaded near the viewport."""
    return {
        "request": context.get("request"),
        "image": image,
        "picture": pictures.picture(image),
        "sizes": pictures.SIZES[layout],
        "lazy": lazy,
        "decorative": decorative,
        "priority": priority,
        "css_class": css_class,
    }


@register.simple_tag(takes_context=True)
def shared_image(context, image):
    """The absolute JPEG for og:image, twitter:image; None without renditions."""
    request = context.get("request")
    if image is None or request is None:
        return None
    return pictures.shared(image, request)
