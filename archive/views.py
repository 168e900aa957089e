from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from .models import Article, Rubric, Source, Tag


def published_articles():
    """Readers' articles with what every list shows, fetched in a fixed number of queries."""
    return Article.objects.published().select_related("rubric", "source")


def home(request):
    latest = list(published_articles()[: settings.ARCHIVE_PAGE_SIZE])
    rubrics = Rubric.objects.annotate(
        count=Count("articles", filter=Q(articles__in=Article.objects.published()))
    ).filter(count__gt=0)
    return render(request, "archive/home.html", {"articles": latest, "rubrics": rubrics})


class PublishedArticlesMixin:
    """One place for the readers' queryset and page size; pages past the end are a 404."""

    paginate_by = settings.ARCHIVE_PAGE_SIZE
    allow_empty = True

    def get_queryset(self):
        return published_articles()


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    model = Article
    template_name = "archive/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return published_articles().prefetch_related("tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        tags_by_kind = {kind: [] for kind in Tag.Kind.values}
        for tag in article.tags.all():
            tags_by_kind[tag.kind].append(tag)
        context["tag_groups"] = [
            (Tag.Kind(kind).label, tags) for kind, tags in tags_by_kind.items() if tags
        ]
        context["related_articles"] = published_articles().filter(related=article)
        return context


class FilteredListView(PublishedArticlesMixin, ListView):
    """Articles of one rubric, tag or source: `filter_model` is looked up by slug."""

    template_name = "archive/article_list.html"
    context_object_name = "articles"
    filter_model = None
    filter_lookup = None

    def get_queryset(self):
        self.subject = get_object_or_404(self.filter_model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{self.filter_lookup: self.subject})

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class RubricView(FilteredListView):
    filter_model = Rubric
    filter_lookup = "rubric"


class TagView(FilteredListView):
    filter_model = Tag
    filter_lookup = "tags"


class SourceView(FilteredListView):
    filter_model = Source
    filter_lookup = "source"


class DateArchiveMixin(PublishedArticlesMixin):
    date_field = "published_at"
    month_format = "%m"
    template_name = "archive/article_archive.html"
    context_object_name = "articles"
    allow_future = False

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except (ValueError, OverflowError) as exc:  # a year like 99999 or month 13
            raise Http404(str(exc)) from exc


class ArticleYearArchive(DateArchiveMixin, YearArchiveView):
    make_object_list = True


class ArticleMonthArchive(DateArchiveMixin, MonthArchiveView):
    pass


class ArticleDayArchive(DateArchiveMixin, DayArchiveView):
    day_format = "%d"
