"""The article body's rich-text editor (django-prose-editor) and what it can keep.

The widget is django-prose-editor's, configured by the library's own `extensions` dict,
but started by archive/static/archive/admin/richtext.js rather than by the library's
"configurable" preset: that preset finds its editor through an inline
<script type="importmap">, which our Content-Security-Policy (script-src 'self') blocks.

Whatever the editor sends, Article.save() still cleans it with archive.sanitize.clean_html.
"""

from html.parser import HTMLParser

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget
from js_asset import Media, Script

# The tools editors get. Headings start at h2: the page's title is its h1.
TOOLS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},  # list styles the sanitizer drops anyway
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False},  # schemes: richtext.js, and the sanitizer on save
    "Figure": True,
    "Caption": True,
    "Image": True,
    # Browsers' spell checking stays on (the library turns it off by default).
    "NoSpellCheck": False,
}

# What the editor's schema holds, tag -> attributes; anything else in a body would be
# dropped by the editor the first time the text is changed (measured in Chromium:
# tests/test_browser_richtext.py). <b> and <i> are read as <strong> and <em>; rel is
# what the sanitizer itself adds to links. richtext.js keeps the attributes Tiptap does
# not know (a@hreflang, blockquote@cite, img@loading).
EDITOR_KEEPS = {
    **dict.fromkeys(["p", "br", "hr", "h2", "h3", "strong", "b", "em", "i"], set()),
    **dict.fromkeys(["ul", "ol", "li", "figure", "figcaption"], set()),
    "blockquote": {"cite"},
    "a": {"href", "title", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "data-file"},
}


class RichTextWidget(AdminProseEditorWidget):
    """The body's editor; a body holding markup the editor would drop is shown as the
    HTML textarea instead, with a note saying what (see unkept_markup)."""

    def __init__(self, *args, language="ru", picker_url="", **kwargs):
        extensions = dict(TOOLS)
        if picker_url:
            extensions["Figure"] = {"pickerUrl": picker_url}
        self.language = language
        super().__init__(*args, config={"extensions": extensions}, preset="archive", **kwargs)

    @property
    def media(self):
        # Not the library's media: it carries the import map (above).
        return Media(
            css={
                "all": [
                    "django_prose_editor/material-icons.css",
                    "django_prose_editor/editor.css",
                    "django_prose_editor/overrides.css",
                    "archive/admin/richtext.css",
                ]
            },
            js=[Script("archive/admin/richtext.js", type="module")],
        )

    def get_config(self):
        return super().get_config() | {
            "editor": static("django_prose_editor/editor.js"),
            "language": self.language,
        }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        unkept = unkept_markup(value or "")
        if unkept:
            context["widget"]["attrs"].pop(f"data-django-prose-editor-{self.preset}")
            classes = context["widget"]["attrs"].get("class", "").split()
            if "vLargeTextField" not in classes:  # the admin's look of an HTML textarea
                context["widget"]["attrs"]["class"] = " ".join([*classes, "vLargeTextField"])
        context["unkept"] = unkept
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        html = self._render(self.template_name, context, renderer)
        if not context["unkept"]:
            return html
        return format_html(
            '{}<p class="help richtext-unkept" role="note">{}</p>',
            html,
            _(
                "This text holds markup the editor cannot keep ({markup}), so it is "
                "shown as HTML. Edit it here, or remove that markup to use the editor."
            ).format(markup=", ".join(context["unkept"])),
        )

    def value_from_datadict(self, data, files, name):
        # Browsers send a textarea's line breaks as CRLF: an untouched body that has
        # line breaks must come back as it was stored, or it would count as edited.
        value = super().value_from_datadict(data, files, name)
        if not isinstance(value, str) or not value.strip():
            return "" if isinstance(value, str) else value
        return value.replace("\r\n", "\n")


HELP_TEXT = _(
    "Headings, lists, quotes, links and images from the library. Scripts, styles and "
    "unsafe links or image addresses are removed on save."
)


def unkept_markup(html: str) -> list[str]:
    """What in `html` the editor would drop, as "tag" or "tag@attribute", sorted;
    [] when the editor keeps it all."""
    finder = _UnkeptMarkup()
    finder.feed(html)
    finder.close()
    return sorted(finder.found)


class _UnkeptMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = set()
        self.open = []  # names of the open elements, to see what a figure holds
        self.figure_children = []  # for each open <figure>, the tags of its children

    def handle_starttag(self, tag, attrs):
        kept = EDITOR_KEEPS.get(tag)
        if kept is None:
            self.found.add(tag)
        else:
            self.found.update(f"{tag}@{name}" for name, _value in attrs if name not in kept)
        if tag == "img" and not dict(attrs).get("src"):
            self.found.add("img without src")  # Tiptap reads only img[src]
        if tag == "img" and "a" in self.open:
            self.found.add("a>img")  # an image is a block: the link around it goes
        if self.figure_children and self.open and self.open[-1] == "figure":
            self.figure_children[-1].append(tag)
        if tag == "figcaption" and (not self.open or self.open[-1] != "figure"):
            self.found.add("figcaption outside figure")
        if tag in ("img", "br", "hr"):
            return
        if tag == "figure":
            self.figure_children.append([])
        self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "br", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.open:
            return
        while self.open:
            name = self.open.pop()
            if name == "figure":
                children = self.figure_children.pop()
                # The editor's figure is one image, then at most one caption.
                if children not in (["img"], ["img", "figcaption"]):
                    self.found.add("figure")
            if name == tag:
                break

    def handle_data(self, data):
        if self.figure_children and self.open[-1] == "figure" and data.strip():
            self.figure_children[-1].append("text")
