"""Template helpers for the readers' pages: languages, canonical URLs, feeds, counts, JSON-LD."""

import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..languages import ARTICLES_IN, ENDONYMS, LANGUAGE_CODES, ORIGINAL_LANGUAGE, shown_language
from ..models import Rubric, Source, Story, Tag
from ..sanitize import html_to_text
from ..text_language import is_untranslated, script_language
from ..times import dateline, machine_time

register = template.Library()

SITE_NAME = _("News archive")
LATEST_ARTICLES = _("latest articles")

# What must not appear inside <script>: the JSON stays valid, the HTML parser sees no tag.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def articles_count(n):
    """«1 статья», «2 статьи», «5 статей»: the plural forms of the page's language."""
    return ngettext("%(count)s article", "%(count)s articles", n) % {"count": n}


# A summary is read from the first SUMMARY_SOURCE_CHARS of the body and is at most
# SUMMARY_MAX_CHARS long, lead or not: a list or a feed stays small when a body has
# megabytes, or a lead runs on, or a "word" has three million letters.
SUMMARY_SOURCE_CHARS = 20_000
SUMMARY_MAX_CHARS = 600
_PARTIAL_TAG = re.compile(r"<[^<>]*\Z")


def plain_text(html_text, limit=None):
    """Plain text of sanitized HTML on one line; of its first `limit` characters only,
    when given (a tag cut in two at the end is dropped)."""
    if limit is not None and len(html_text) > limit:
        html_text = _PARTIAL_TAG.sub("", html_text[:limit])
    return " ".join(html_to_text(html_text).split())


@register.filter
def article_summary(article, words=40):
    """The lead, or the beginning of the body when there is no lead (plain text)."""
    text = article.lead or Truncator(plain_text(article.body, SUMMARY_SOURCE_CHARS)).words(
        int(words), truncate=" …"
    )
    return Truncator(text[: SUMMARY_MAX_CHARS * 2]).chars(SUMMARY_MAX_CHARS, truncate="…")


@register.filter
def published(item, style="date"):
    """<time> of an article's publication: «сегодня, 14:20», «вчера», «9 августа 2024 г.»;
    a time of day only when the source gave one (archive/times.py). `style`: "date",
    "short" or "full" (the article page). `item`: an Article, or a times.Publication."""
    return format_html(
        '<time datetime="{}">{}</time>',
        machine_time(item.published_at, item.time_known),
        dateline(item.published_at, item.time_known, style),
    )


@register.filter
def published_iso(article):
    """The publication as metadata wants it: the moment, or the date alone."""
    return machine_time(article.published_at, article.time_known)


@register.simple_tag(takes_context=True)
def lang_attr(context, obj, field):
    """` lang="ru"` when the text shown for obj.field is not in the page's language."""
    if is_untranslated(obj, field):  # a source's name, a credit: one text for all pages
        return text_lang(getattr(obj, field))
    code = shown_language(obj, field)
    if code != translation.get_language():
        return format_html(' lang="{}"', code)
    return ""


@register.simple_tag
def text_lang(text):
    """` lang="ru"` for Cyrillic text on an Azerbaijani or English page (text_language.py)."""
    code = script_language(text, translation.get_language())
    return format_html(' lang="{}"', code) if code else ""


@register.filter
def ld_json(data):
    """A <script type="application/ld+json"> that no value can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _language_paths(request):
    """The current page's path in every language; the home page where it has none."""
    current = translation.get_language()
    paths = {}
    for code in LANGUAGE_CODES:
        path = translate_url(request.path, code)
        if path == request.path and code != current:  # the URL resolves to nothing
            with translation.override(code):
                path = reverse("archive:home")
        paths[code] = path
    return paths


@register.simple_tag(takes_context=True)
def page_languages(context):
    """Canonical URL, hreflang alternates and language-switcher links for this page.

    A view may set `available_languages` (an article exists only in its translations),
    `canonical_language` (a page showing a fallback points at the text it shows) and
    `canonical_query`, the page's query string as validated; otherwise it is the one
    cached_page set on the request (its declared parameters), or none.
    """
    request = context.get("request")
    current = translation.get_language()
    if request is None:
        return {"canonical": None, "alternates": [], "switcher": []}
    available = context.get("available_languages") or LANGUAGE_CODES
    paths = _language_paths(request)
    query = context.get("canonical_query")
    if query is None:
        query = getattr(request, "canonical_query", "")
    canonical_lang = context.get("canonical_language") or current
    alternates = [
        {"code": code, "url": request.build_absolute_uri(paths[code] + query)} for code in available
    ]
    if ORIGINAL_LANGUAGE in available:
        alternates.append(
            {
                "code": "x-default",
                "url": request.build_absolute_uri(paths[ORIGINAL_LANGUAGE] + query),
            }
        )
    return {
        "canonical": request.build_absolute_uri(paths[canonical_lang] + query),
        "alternates": alternates,
        "switcher": [
            {
                "code": code,
                "endonym": ENDONYMS[code],
                "url": paths[code] + query,
                "current": code == current,
                "translated": code in available,
            }
            for code in LANGUAGE_CODES
        ],
    }


FEED_SUBJECTS = {Rubric: "rubric", Tag: "tag", Source: "source", Story: "story"}


def feed_title(subject):
    """«News archive: ИКТ», the title of a feed and of the link that announces it."""
    return f"{SITE_NAME}: {subject}"


@register.simple_tag
def feeds_for(subject=None):
    """The feeds a page offers: its subject's (rubric, tag, source, story), then the site's."""
    feeds = []
    name = FEED_SUBJECTS.get(type(subject))
    if name:
        args = [subject.slug]
        feeds.append(
            {
                "title": feed_title(subject),
                "site": SITE_NAME,
                "subject": subject,  # its name may be in another language (feed_links.html)
                "rss": reverse(f"archive:{name}-feed", args=args),
                "atom": reverse(f"archive:{name}-feed-atom", args=args),
            }
        )
    feeds.append(
        {
            "title": feed_title(LATEST_ARTICLES),
            "rss": reverse("archive:feed"),
            "atom": reverse("archive:feed-atom"),
        }
    )
    return feeds


@register.simple_tag
def language_feed():
    """The feed of articles that exist in the page's language (not fallbacks)."""
    return {
        "title": feed_title(ARTICLES_IN[translation.get_language()]),
        "rss": reverse("archive:language-feed"),
        "atom": reverse("archive:language-feed-atom"),
    }
