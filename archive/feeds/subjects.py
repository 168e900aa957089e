"""The feeds the site serves (archive/urls.py): every article, those in the URL's
language, and one per rubric, tag, source and story. Each says only what it is about
and its title; the rest is ArticleFeed's (base.py).
"""

from django.shortcuts import get_object_or_404
from django.utils import translation

from ..languages import ARTICLES_IN, translation_filter
from ..models import Rubric, Source, Story, Tag
from ..templatetags.archive_tags import LATEST_ARTICLES, feed_title
from ..timelines import public_stories
from .base import ArticleFeed


class LatestFeed(ArticleFeed):
    """Every published article, in the language of the URL (fallbacks included)."""

    def title(self, obj):
        return feed_title(LATEST_ARTICLES)


class LanguageFeed(ArticleFeed):
    """Only the articles that exist in the language of the URL: no fallbacks."""

    def filter_articles(self, queryset, slug=None):
        return queryset.filter(translation_filter(translation.get_language()))

    def title(self, obj):
        return feed_title(ARTICLES_IN[translation.get_language()])


class RubricFeed(ArticleFeed):
    subject_model = Rubric
    subject_lookup = "rubric"


class TagFeed(ArticleFeed):
    subject_model = Tag
    subject_lookup = "tags"


class SourceFeed(ArticleFeed):
    subject_model = Source
    subject_lookup = "source"


class StoryFeed(ArticleFeed):
    """A story's articles, newest first (its page reads them oldest first)."""

    subject_model = Story
    subject_lookup = "story"

    def get_object(self, request, slug=None):
        # A story with no published article yet is unknown to readers (timelines.py).
        return get_object_or_404(public_stories(), slug=slug)

    def description(self, obj):  # RSS
        return obj.description or super().description(obj)

    def subtitle(self, obj):  # Atom
        return obj.description or None
