"""A story's timeline: its published articles in date order, as steps with their local
year (the year labels) and the current one marked. Used by the article page (a window
around the article), the story page (the whole thread) and the story feed.

Every list starts from Article.objects.published(), so a draft or a scheduled article of
a story stays out of its timeline until readers may see it.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .languages import LANGUAGE_CODES
from .models import Article, Story

# How many steps an article page shows: its own and its nearest neighbours. A story
# followed for years may have hundreds; the story page has them all.
TIMELINE_WINDOW = 7
# What a step on the article page needs: no bodies (every title, for the fallbacks).
STEP_FIELDS = ("pk", "slug", "published_at", "story_id", *(f"title_{c}" for c in LANGUAGE_CODES))


@dataclass
class Step:
    article: Article
    year: int  # in the site's time zone, as the date is shown
    new_year: bool  # the first step of its year in the list: it carries the year label
    current: bool = False


@dataclass
class Timeline:
    story: Story
    steps: list
    earlier: bool  # steps before the first one shown were left out
    later: bool  # steps after the last one shown were left out


def steps(articles, current=None):
    """The articles (in date order) as timeline steps."""
    result, year = [], None
    for article in articles:
        local = timezone.localtime(article.published_at).year
        is_current = current is not None and article.pk == current.pk
        result.append(Step(article, local, local != year, is_current))
        year = local
    return result


def in_date_order(queryset):
    return queryset.order_by("published_at", "pk")


def public_stories():
    """Stories readers may know of: those with a published article. An editor may make a
    story for articles still in draft, and its name must not show before they do."""
    published = Article.objects.published().filter(story=OuterRef("pk"))
    return Story.objects.filter(Exists(published))


def article_timeline(article, window=TIMELINE_WINDOW):
    """The timeline block of an article page, or None when the article belongs to no
    story or is the only step of it readers may see. Two queries (the steps before the
    article and after it, `window` at most each), none without a story; the story
    itself comes with the article (select_related).

    The article is always the current step, published or not, so an editor's preview
    of a draft shows where it will stand."""
    if article.story_id is None:
        return None
    others = (
        Article.objects.published()
        .filter(story_id=article.story_id)
        .exclude(pk=article.pk)
        .only(*STEP_FIELDS)
    )
    at, pk = article.published_at, article.pk
    before = others.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=pk))
    after = others.filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=pk))
    before = list(before.order_by("-published_at", "-pk")[:window])[::-1]
    after = list(in_date_order(after)[:window])
    if not before and not after:
        return None
    # The current step as near the middle as the ends of the story allow.
    room = window - 1
    take_before = min(len(before), max(room // 2, room - len(after)))
    take_after = min(len(after), room - take_before)
    shown = before[len(before) - take_before :] + [article] + after[:take_after]
    return Timeline(
        story=article.story,
        steps=steps(shown, current=article),
        earlier=take_before < len(before),
        later=take_after < len(after),
    )


def without_timeline(related, article):
    """Related articles minus those of the article's story: its timeline shows them."""
    if article.story_id is None:
        return related
    return [other for other in related if other.story_id != article.story_id]
