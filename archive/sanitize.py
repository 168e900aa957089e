"""The one place article HTML is cleaned (nh3, the Rust ammonia sanitizer).

Editors paste HTML from agency sites; readers must never receive script, event
handlers, styles, or javascript:/data: links from it. A whitelist of the tags a
news body needs; everything else is unwrapped (its text stays), and script/style
lose their content too.
"""

import re
from html import escape, unescape

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub",
    "sup", "blockquote", "q", "cite", "ul", "ol", "li", "a", "figure",
    "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "abbr", "code", "pre", "time",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|td|div|figcaption)>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)


def clean_html(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def html_to_text(html: str) -> str:
    """Plain text of sanitized HTML, paragraphs kept as blank-line breaks."""
    text = _BR.sub("\n", _BLOCK_END.sub("\n\n", html or ""))
    text = _TAG.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", unescape(text)).strip()


def paragraphs_to_html(text: str) -> str:
    """Plain text with blank-line paragraphs (agency copy, JSON imports) to <p> HTML."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)
