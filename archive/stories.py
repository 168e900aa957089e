"""Story pages: the index of stories (/stories/) and a story's whole thread, oldest
first (/stories/<slug>/; its feed is feeds/subjects.StoryFeed, the article page's
block comes from timelines.py). Both are cached (cached_page in urls.py)."""

from django.db.models import Count, Max, Min, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from .models import Article, Story
from .timelines import in_date_order, public_stories, steps
from .views import ReadOnlyView, published_articles


class StoryIndexView(ReadOnlyView, ListView):
    """Stories with published articles, the most recently continued first: one query
    for the page (and one to count)."""

    template_name = "archive/story_index.html"
    context_object_name = "stories"
    paginate_by = 100

    def get_queryset(self):
        published = Q(articles__in=Article.objects.published())
        return (
            Story.objects.annotate(
                count=Count("articles", filter=published, distinct=True),
                first=Min("articles__published_at", filter=published),
                last=Max("articles__published_at", filter=published),
            )
            .filter(count__gt=0)
            .order_by("-last", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Stories"), breadcrumbs=[(None, _("Stories"))], **kwargs
        )


class StoryDetailView(ReadOnlyView, ListView):
    """The whole thread of a story, oldest first: three queries (the story, the count,
    the page of articles with their rubric, source and lead image). A story without a
    published article is a 404, like an unknown one."""

    template_name = "archive/story_detail.html"
    context_object_name = "articles"
    # Most stories fit one page; rendering a step costs ~1 ms (README, "Story timelines").
    paginate_by = 50
    allow_empty = True

    def get_queryset(self):
        self.story = get_object_or_404(public_stories(), slug=self.kwargs["slug"])
        return in_date_order(published_articles().filter(story=self.story))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        story = self.story
        context.update(
            story=story,
            steps=steps(context["articles"]),
            heading=str(story),
            feed_subject=story,
            breadcrumbs=[(reverse("archive:story-index"), _("Stories")), (None, story)],
        )
        return context
