"""Readers' pages: home, article, rubric, tag, source and their indexes (the date
archive is in dates.py).

Every list starts from published_articles() and pages with ?page=N (a page that is not
a number or lies past the end is a 404). The lists are cached (archive/cache.py, wrapped
in urls.py); the article page is not, and needs three queries.
"""

import math
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from .front import front_page
from .languages import (
    ENDONYMS,
    LANGUAGE_NAMES,
    OG_LOCALES,
    shown_language,
    translated_languages,
)
from .models import Article, Rubric, Source, Tag
from .pictures import image_object
from .templatetags.archive_tags import article_summary, feeds_for
from .timelines import article_timeline, without_timeline
from .times import machine_time

PAGE_SIZE = settings.ARCHIVE_PAGE_SIZE
# Tags are shown grouped in this order, under these headings.
TAG_KINDS = [
    (Tag.Kind.PERSON, _("People")),
    (Tag.Kind.ORGANISATION, _("Organisations")),
    (Tag.Kind.PLACE, _("Places")),
    (Tag.Kind.TOPIC, _("Topics")),
]
KIND_HEADINGS = dict(TAG_KINDS)


def published_articles():
    """Readers' articles with what every list shows, fetched in a fixed number of queries."""
    return Article.objects.published().select_related("rubric", "source", *Article.LEAD_IMAGES)


def published_count():
    """Count of a rubric's, tag's or source's published articles (published() defines them)."""
    return Count("articles", filter=Q(articles__in=Article.objects.published()), distinct=True)


def group_tags(tags):
    """[(heading, kind, [tag, ...]), ...] in TAG_KINDS order, empty groups left out."""
    by_kind = defaultdict(list)
    for tag in tags:
        by_kind[tag.kind].append(tag)
    return [(heading, kind, by_kind[kind]) for kind, heading in TAG_KINDS if by_kind[kind]]


def cloud(tags, steps=5):
    """Give each tag a weight from 1 to `steps`, on a log scale of its article count."""
    tags = list(tags)
    top = max((t.count for t in tags), default=1)
    for tag in tags:
        tag.weight = 1 + round((steps - 1) * math.log(tag.count) / math.log(top)) if top > 1 else 1
    return tags


@require_safe
def home(request):
    # The news front (archive/front.py): lead, main block, headlines, rubric blocks, tags.
    context = front_page(published_articles(), published_count())
    return render(request, "archive/home.html", context)


class ReadOnlyView:
    """Readers' pages answer GET and HEAD; anything else (OPTIONS and TRACE included)
    is a 405 with an Allow header, as the function views' require_safe gives."""

    http_method_names = ["get", "head"]


class PublishedArticlesMixin(ReadOnlyView):
    """One place for the readers' queryset and page size; pages past the end are a 404."""

    paginate_by = PAGE_SIZE
    allow_empty = True

    def get_queryset(self):
        return published_articles()


class LatestView(PublishedArticlesMixin, ListView):
    template_name = "archive/article_list.html"
    context_object_name = "articles"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("All articles"), **kwargs)


class ArticleDetailView(ReadOnlyView, DetailView):
    """Three queries: the article with rubric and source, its tags, its related articles;
    two more for its story's timeline when it has one (timelines.py)."""

    template_name = "archive/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return (
            published_articles()
            .select_related("story")
            .prefetch_related(
                "tags",
                Prefetch("related", queryset=published_articles(), to_attr="related_articles"),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        lang = translation.get_language()
        available = translated_languages(article)
        shown = {field: shown_language(article, field) for field in ("title", "lead", "body")}
        # The language the reader gets: the body's, or the title's when there is no body.
        shown_lang = shown["body"] if article.body else shown["title"]
        canonical_lang = lang if lang in available else shown_lang
        others = []
        for code in available:
            if code != lang:
                with translation.override(code):
                    others.append(
                        {
                            "code": code,
                            "endonym": ENDONYMS[code],
                            "title": getattr(article, f"title_{code}"),
                            "url": article.get_absolute_url(),
                        }
                    )
        timeline = article_timeline(article)
        related = article.related_articles
        context.update(
            tag_groups=group_tags(article.tags.all()),
            timeline=timeline,
            # The story's articles are in the timeline block: not twice on the page.
            related_articles=without_timeline(related, article) if timeline else related,
            shown=shown,
            shown_lang=shown_lang,
            fallback=shown_lang != lang,
            shown_language_name=LANGUAGE_NAMES.get(shown_lang, shown_lang),
            available_languages=available,
            canonical_language=canonical_lang,
            other_translations=others,
            feed_subject=article.rubric,
            og_locale=OG_LOCALES.get(lang),
            og_locale_alternates=[OG_LOCALES[c] for c in available if c != lang],
            video=video_info(article),
            breadcrumbs=[(article.rubric.get_absolute_url(), article.rubric)]
            if article.rubric
            else [],
        )
        context["json_ld"] = self.json_ld(context)
        return context

    def json_ld(self, context):
        """schema.org NewsArticle; rendered through the ld_json filter, which escapes it."""
        article = self.object
        request = self.request
        canonical = request.build_absolute_uri(_url_in(article.get_absolute_url, context))
        kinds = {
            Tag.Kind.PERSON: "Person",
            Tag.Kind.ORGANISATION: "Organization",
            Tag.Kind.PLACE: "Place",
            Tag.Kind.TOPIC: "Thing",
        }
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "@id": canonical,
            "url": canonical,
            "mainEntityOfPage": canonical,
            "headline": article.title[:110],
            "description": article_summary(article, words=40),
            "inLanguage": context["shown_lang"],
            "datePublished": machine_time(article.published_at, article.time_known),
            "dateModified": max(article.updated_at, article.published_at).isoformat(),
            "publisher": {
                "@type": "Organization",
                "name": str(_("News archive")),
                "url": request.build_absolute_uri(reverse("archive:home")),
            },
            "about": [
                {
                    "@type": kinds[tag.kind],
                    "name": tag.name,
                    "url": request.build_absolute_uri(tag.get_absolute_url()),
                }
                for tag in article.tags.all()
            ],
            "keywords": [tag.name for tag in article.tags.all()],
        }
        if article.rubric:
            data["articleSection"] = article.rubric.name
        if article.source:
            source = {"@type": "Organization", "name": article.source.name}
            if article.source.url:
                source["url"] = article.source.url
            data["author"] = source
            data["sourceOrganization"] = source
        if article.source_url:
            data["isBasedOn"] = article.source_url
        if article.lead_image_id and (image := image_object(article.lead_image, request)):
            data["image"] = image
        video = context["video"]
        if video and video["url"]:
            data["video"] = {
                "@type": "VideoObject",
                "name": article.title,
                "uploadDate": article.published_at.isoformat(),
                ("contentUrl" if video["is_file"] else "embedUrl"): video["url"],
            }
        translations = []
        for code in context["available_languages"]:
            if code != context["canonical_language"]:
                with translation.override(code):
                    url = request.build_absolute_uri(article.get_absolute_url())
                translations.append({"@type": "NewsArticle", "@id": url, "inLanguage": code})
        if translations:
            key = (
                "workTranslation" if context["canonical_language"] == "ru" else "translationOfWork"
            )
            data[key] = translations
        return data


def _url_in(get_url, context):
    with translation.override(context["canonical_language"]):
        return get_url()


VIDEO_FILE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg"}


def video_info(article):
    """What the video block and the feeds need: the link, and whether it is a file to play."""
    if not (article.has_video or article.video_url):
        return None
    url = article.video_url
    path = url.split("?", 1)[0].lower()
    mime = next((t for ext, t in VIDEO_FILE_TYPES.items() if path.endswith(ext)), None)
    return {"url": url, "is_file": bool(mime), "mime_type": mime}


class FilteredListView(PublishedArticlesMixin, ListView):
    """Articles of one rubric, tag or source: `filter_model` is looked up by slug."""

    template_name = "archive/article_list.html"
    context_object_name = "articles"
    filter_model = None
    filter_lookup = None

    def get_queryset(self):
        self.subject = get_object_or_404(self.filter_model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{self.filter_lookup: self.subject})

    index_url_name = None
    index_heading = None

    def get_context_data(self, **kwargs):
        if "breadcrumbs" not in kwargs:
            index = (reverse(self.index_url_name), self.index_heading)
            kwargs["breadcrumbs"] = [index, (None, self.subject)]
        return super().get_context_data(
            subject=self.subject,
            feed_subject=self.subject,
            subject_feed=feeds_for(self.subject)[0],
            heading=str(self.subject),
            **kwargs,
        )


class RubricView(FilteredListView):
    filter_model = Rubric
    filter_lookup = "rubric"
    index_url_name = "archive:rubric-index"
    index_heading = _("Rubrics")

    def get_context_data(self, **kwargs):
        # Every card here is of this rubric: the card include leaves its rubric out.
        return super().get_context_data(hide_rubric=True, **kwargs)


class TagView(FilteredListView):
    filter_model = Tag
    filter_lookup = "tags"

    def get_context_data(self, **kwargs):
        kind = self.subject.kind
        crumbs = [
            (reverse("archive:tag-index"), _("Tags")),
            (tag_kind_url(kind), KIND_HEADINGS[kind]),
            (None, self.subject),
        ]
        return super().get_context_data(kind=kind, breadcrumbs=crumbs, **kwargs)


class SourceView(FilteredListView):
    filter_model = Source
    filter_lookup = "source"
    index_url_name = "archive:source-index"
    index_heading = _("Sources")


def tag_kind_url(kind):
    return f"{reverse('archive:tag-index')}?kind={kind}"


class TagIndexView(ReadOnlyView, ListView):
    """All tags with their article counts, as a cloud per kind.

    Without ?kind= each kind shows its busiest tags (one query: a window per kind);
    ?kind=person lists every person, busiest first, a page at a time.
    """

    template_name = "archive/tag_index.html"
    context_object_name = "tags"
    top_per_kind = 40

    def get_queryset(self):
        self.kind = self.request.GET.get("kind")
        tags = Tag.objects.annotate(count=published_count()).filter(count__gt=0)
        if self.kind:
            if self.kind not in Tag.Kind.values:
                raise Http404("No such kind of tag")
            return tags.filter(kind=self.kind).order_by("-count", "pk")
        return (
            tags.annotate(
                rank=Window(RowNumber(), partition_by=F("kind"), order_by=[F("count").desc(), "pk"])
            )
            .filter(rank__lte=self.top_per_kind)
            .order_by("pk")
        )

    def get_paginate_by(self, queryset):
        # Each kind, a page at a time; all kinds together fit one page (so ?page=2 is a 404).
        return 120 if self.kind else self.top_per_kind * len(TAG_KINDS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.kind:
            context["groups"] = [
                (KIND_HEADINGS[self.kind], self.kind, cloud(context["tags"]), None, None)
            ]
            context["heading"] = KIND_HEADINGS[self.kind]
            return context
        totals = dict(
            Tag.objects.filter(articles__in=Article.objects.published())
            .values_list("kind")
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )
        groups = []
        for heading, kind, tags in group_tags(cloud(context["tags"])):
            tags.sort(key=lambda t: str(t).casefold())
            groups.append((heading, kind, tags, totals.get(kind, len(tags)), tag_kind_url(kind)))
        context.update(groups=groups, heading=_("Tags"), top_per_kind=self.top_per_kind)
        return context


class RubricIndexView(ReadOnlyView, ListView):
    template_name = "archive/rubric_index.html"
    context_object_name = "rubrics"
    paginate_by = 100

    def get_queryset(self):
        rubrics = Rubric.objects.annotate(count=published_count()).filter(count__gt=0)
        return rubrics.order_by("position", "name", "pk")


class SourceIndexView(ReadOnlyView, ListView):
    template_name = "archive/source_index.html"
    context_object_name = "sources"
    paginate_by = 100

    def get_queryset(self):
        sources = Source.objects.annotate(count=published_count()).filter(count__gt=0)
        return sources.order_by("name", "pk")
