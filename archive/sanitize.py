"""The one place article HTML is cleaned (nh3, the Rust ammonia sanitizer).

Editors paste HTML from agency sites; readers must never receive script, event
handlers, styles, or javascript:/data: links from it. A whitelist of the tags a
news body needs; everything else is unwrapped (its text stays), and script/style
lose their content too.

nh3's HTML parser (html5ever) is quadratic or worse on some shapes of markup, so
`bounded_markup` first rewrites the input in one linear pass; see there.
"""

import re
from html import escape, unescape

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub",
    "sup", "blockquote", "q", "cite", "ul", "ol", "li", "a", "figure",
    "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "abbr", "code", "pre", "time",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    # data-file: the library Image an editor picked (archive/richtext.py); loading: "lazy".
    "img": {"src", "alt", "width", "height", "loading", "data-file"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed with their content (the rest of the disallowed tags are unwrapped).
CONTENT_TAGS = {"script", "style"}

# Deeper nesting than this is dropped (the text stays): no news body needs it, and
# html5ever's work grows with the depth at every start tag.
MAX_DEPTH = 100
# Bold-in-italic-in-... beyond this within one table cell is dropped: html5ever re-opens
# open formatting elements in every following paragraph.
MAX_FORMATTING = 8

_TAG = re.compile(r"<[^<>]*>")  # [^<>]: linear even on a run of "<" without ">"
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|td|div|figcaption)>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)


# C0 control characters but tab, newline and carriage return, and U+FFFE, U+FFFF: no text
# needs them, XML 1.0 (the feeds) cannot carry them, and a page shows them as boxes or
# worse. An import or a paste brings them («\x1b[31m», a vertical tab).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def without_control_characters(text: str) -> str:
    """`text` with a vertical tab or form feed as a space and other control characters
    left out."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", text)


def clean_html(html: str) -> str:
    return nh3.clean(
        bounded_markup(without_control_characters(html or "")),
        tags=ALLOWED_TAGS,
        clean_content_tags=CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_image_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


# --- images ------------------------------------------------------------------------------
#
# An <img> loads as soon as the page does, with no click: its address may only be https
# (what the Content-Security-Policy lets readers' browsers load besides our own files) or
# a file under our MEDIA_URL. An http: address is upgraded to https: (what browsers do to
# an image on an https page), so an old body keeps its pictures on its next save. data:,
# protocol-relative "//host" and any other path of ours (an admin URL fetched with the
# reader's cookies) lose the attribute.

_IMAGE_NUMBER = re.compile(r"[0-9]{1,5}")
_FILE_ID = re.compile(r"[0-9]{1,12}")
# A path segment of a stored file's URL: no ".", "..", or encoded "." "/" "\\" a
# browser would resolve into another path.
_MEDIA_SEGMENT = re.compile(r"(?:[\w~!$&'()*+,;=:@.-]|%(?!2[eEfF]|5[cC])[0-9A-Fa-f]{2})+")


def _image_attribute(tag, name, value):
    if tag != "img":
        return value
    if name == "src":
        if value[:7].lower() == "http://":
            value = "https://" + value[7:]
        return value if is_safe_image_source(value) else None
    if name in ("width", "height"):
        return value if _IMAGE_NUMBER.fullmatch(value) else None
    if name == "loading":
        return value if value in ("lazy", "eager") else None
    if name == "data-file":
        return value if _FILE_ID.fullmatch(value) else None
    return value  # alt


def is_safe_image_source(url: str) -> bool:
    """https://<host>..., or a file under MEDIA_URL (when that is a path on this site)."""
    if url[:8].lower() == "https://":
        host = re.split(r"[/?#]", url[8:], maxsplit=1)[0]
        return bool(host) and not re.search(r"[\x00-\x20\\]", url)
    media = settings.MEDIA_URL
    if not url.startswith(media) or not media.startswith("/") or media.startswith("//"):
        return False
    segments = url[len(media) :].split("/")
    return all(_MEDIA_SEGMENT.fullmatch(s) and s not in (".", "..") for s in segments)


def html_to_text(html: str) -> str:
    """Plain text of sanitized HTML, paragraphs kept as blank-line breaks."""
    text = _BR.sub("\n", _BLOCK_END.sub("\n\n", html or ""))
    text = _TAG.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", unescape(text)).strip()


def paragraphs_to_html(text: str) -> str:
    """Plain text with blank-line paragraphs (agency copy, JSON imports) to <p> HTML."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)


# --- bounding the markup before nh3 parses it ---------------------------------------
#
# Measured with nh3 0.3: 100,000 nested <div>s take 32 s (every block start tag looks
# through all open elements for a <p>), a tag with 200,000 attributes 15 s (duplicate
# checks), and 400 KB of formatting tags closed by their parent and re-opened in every
# later paragraph asked for more than 6 GB and killed the process. So the input is
# rewritten first, in one pass: tags nh3 would unwrap go now (their text stays, script
# and style go with their content), only the allowed attributes are kept, every element
# is closed explicitly where HTML would close it, and nesting is capped. nh3 still does
# all the sanitizing: this pass only bounds its work, and may simplify odd markup.

_TOKEN = re.compile(
    r"""
      (?P<text>(?:[^<]++|<(?![A-Za-z!?/]))++)        # text, with any "<" that starts nothing
    | <!--.*?(?:-->|\Z)                              # comment
    | <[!?][^>]*>?                                   # doctype, CDATA, processing instruction
    | </(?P<end>[A-Za-z][^\t\n\f\r />]*)[^>]*>?      # end tag
    | </[^>]*>?                                      # </> and bogus end tags
    | <(?P<start>[A-Za-z][^\t\n\f\r />]*)            # start tag: name, then attributes,
      (?P<attrs>(?:[^>"']+|"[^"]*"|'[^']*')*+)>?      # (possessive: linear, no backtracking)
    """,
    re.S | re.X,
)
_ATTRIBUTE = re.compile(
    r"""([^\t\n\f\r />][^\t\n\f\r /=>]*)
        (?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?""",
    re.X,
)
# Elements whose content is text up to their end tag, as the HTML tokenizer reads them;
# the value says whether character references in it are decoded.
_RAW_TEXT = {"textarea": True, "title": True, "xmp": False, "iframe": False,
             "noembed": False, "noframes": False, "noscript": False}  # fmt: skip
_VOID = {"br", "hr", "img"}
_FORMATTING = {"a", "b", "i", "u", "s", "em", "strong", "code"}
_CELLS = {"td", "th", "caption"}  # scope boundaries, like the table itself
_CLOSES_P = {"p", "blockquote", "ul", "ol", "h2", "h3", "h4", "figure", "figcaption", "pre",
             "hr", "li"}  # fmt: skip
_HEADINGS = {"h2", "h3", "h4"}
_TABLE_PARTS = {"thead", "tbody", "tr", "td", "th", "caption"}
# HTML's "special" elements among the allowed ones: an <li> start tag closes an open
# <li> only when none of these (but <p>) lies between.
_SPECIAL = {"p", "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "figure", "figcaption",
            "pre", "table", "thead", "tbody", "tr", "td", "th", "caption"}  # fmt: skip


def _ascii_lower(name):
    # str.lower() maps some non-ASCII letters to ASCII ones (K, the Kelvin sign, to k).
    return name.lower() if name.isascii() else name


def _attributes(tag, text):
    allowed = ALLOWED_ATTRIBUTES.get(tag)
    if not allowed or not text:
        return ""
    kept = {}
    for m in _ATTRIBUTE.finditer(text):
        name = _ascii_lower(m.group(1))
        if name in allowed and name not in kept:  # the first of duplicates wins, as in HTML
            value = next((v for v in m.groups()[1:] if v is not None), "")
            kept[name] = value.replace('"', "&quot;")
    return "".join(f' {name}="{value}"' for name, value in kept.items())


class _OpenElements:
    """The elements open in the rewritten HTML, with the indexes of each name, so that
    every scope question is answered without walking the stack."""

    def __init__(self, out):
        self.out = out
        self.names = []
        self.attributes = []  # of each open element, to re-open formatting (_end_tag)
        self.where = {}  # name -> indexes of the open elements of that name
        self.boundaries = []  # indexes of open table, td, th, caption
        self.specials = []  # indexes of open _SPECIAL elements other than <p>
        self.formatting = []  # indexes of open _FORMATTING elements

    def last(self, name):
        indexes = self.where.get(name)
        return indexes[-1] if indexes else -1

    def boundary(self):
        return self.boundaries[-1] if self.boundaries else -1

    def push(self, name, attributes=""):
        index = len(self.names)
        self.names.append(name)
        self.attributes.append(attributes)
        self.where.setdefault(name, []).append(index)
        if name == "table" or name in _CELLS:
            self.boundaries.append(index)
        if name in _SPECIAL and name != "p":
            self.specials.append(index)
        if name in _FORMATTING:
            self.formatting.append(index)
        self.out.append(f"<{name}{attributes}>")

    def pop_to(self, index):
        """Close every element from the top down to `index` (included), explicitly."""
        names = self.names
        while len(names) > index:
            name = names.pop()
            self.attributes.pop()
            self.where[name].pop()
            top = len(names)
            for indexes in (self.boundaries, self.specials, self.formatting):
                if indexes and indexes[-1] == top:
                    indexes.pop()
            self.out.append(f"</{name}>")

    def formatting_in_cell(self):
        boundary = self.boundary()
        return sum(1 for i in self.formatting[-MAX_FORMATTING:] if i > boundary)


def _start_tag(open_, name, attributes):
    """Open `name` where HTML's tree builder would put it, unless it is dropped."""
    if name in _TABLE_PARTS:
        table = open_.last("table")
        if table < 0:
            return  # a row or cell outside any table: HTML ignores it too
        if name in ("td", "th"):
            row = open_.last("tr")
            if row > table:
                open_.pop_to(row + 1)
            else:
                _open_row(open_, table)
        elif name == "tr":
            _open_row(open_, table, with_row=False)
        else:  # thead, tbody, caption
            open_.pop_to(table + 1)
    else:
        if name in _CLOSES_P:
            p = open_.last("p")
            if p >= 0 and p > open_.boundary():
                open_.pop_to(p)
        if name in _HEADINGS and open_.names and open_.names[-1] in _HEADINGS:
            open_.pop_to(len(open_.names) - 1)
        if name == "li" and open_.specials and open_.names[open_.specials[-1]] == "li":
            open_.pop_to(open_.specials[-1])
        if name in _FORMATTING:
            if name == "a" and open_.last("a") > open_.boundary():
                open_.pop_to(open_.last("a"))  # HTML never nests links
            if open_.formatting_in_cell() >= MAX_FORMATTING:
                return
    if name in _VOID:
        open_.out.append(f"<{name}{attributes}>")
    elif len(open_.names) < MAX_DEPTH:
        open_.push(name, attributes)


def _open_row(open_, table, with_row=True):
    """Close what is open inside the table's body and open the body (and a row)."""
    body = max(open_.last("tbody"), open_.last("thead"))
    if body > table:
        open_.pop_to(body + 1)
    else:
        open_.pop_to(table + 1)
        if len(open_.names) < MAX_DEPTH:
            open_.push("tbody")
    if with_row and len(open_.names) < MAX_DEPTH:
        open_.push("tr")


def _end_tag(open_, name):
    if name in _TABLE_PARTS or name == "table":
        target = open_.last(name)
        if target >= 0 and (name == "table" or target > open_.last("table")):
            open_.pop_to(target)
        return
    if name in _HEADINGS:
        target = max(open_.last(h) for h in _HEADINGS)
    else:
        target = open_.last(name)
    limit = open_.boundary()
    if name == "li":
        limit = max(limit, open_.last("ul"), open_.last("ol"))
    if target <= limit:
        return  # HTML ignores it (or would invent an element): dropped
    # "<b>bold <i>both</b> italic</i>": HTML closes <i> with <b> and opens it again.
    above = list(zip(open_.names[target + 1 :], open_.attributes[target + 1 :], strict=True))
    reopen = name in _FORMATTING and all(n in _FORMATTING for n, _a in above)
    open_.pop_to(target)
    if reopen:
        for again, attributes in above:
            open_.push(again, attributes)


_RAW_TEXT_END = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.I | re.A) for name in (*_RAW_TEXT, *CONTENT_TAGS)
}


def bounded_markup(html: str) -> str:
    """`html` rewritten in linear time so that nh3 parses it in linear time (above)."""
    if "<" not in html:
        return html
    out = []
    open_ = _OpenElements(out)
    pos, size = 0, len(html)
    while pos < size:
        m = _TOKEN.match(html, pos)
        pos = m.end()
        if m["text"] is not None:
            # A "<" that starts no markup is text; escaped, so that removing a tag next
            # to it cannot glue it into a new one ("<<x>b>").
            out.append(m["text"].replace("<", "&lt;"))
        elif m["start"]:
            name = _ascii_lower(m["start"])
            if name in ALLOWED_TAGS:
                _start_tag(open_, name, _attributes(name, m["attrs"]))
            elif name in _RAW_TEXT_END:
                end = _RAW_TEXT_END[name].search(html, pos)
                stop = end.start() if end else size
                if name in _RAW_TEXT:
                    raw = html[pos:stop]
                    out.append(escape(unescape(raw) if _RAW_TEXT[name] else raw, False))
                pos = stop
            elif name == "plaintext":
                out.append(escape(html[pos:], False))
                break
        elif m["end"]:
            name = _ascii_lower(m["end"])
            if name in ALLOWED_TAGS and name not in _VOID:
                _end_tag(open_, name)
    open_.pop_to(0)
    return "".join(out)
