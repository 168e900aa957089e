"""An article as readers will see it, whatever its status or time: for editors only.

/preview/<pk>/ (and /az/preview/<pk>/, /en/preview/<pk>/) renders the article page's
own view and template for any article, with a banner saying what readers see. By pk,
not slug: the admin knows it, and a draft's slug may still change.

Who: staff who may view articles. Anyone else is sent to the admin login (the next
page after it is the preview) before the article is looked up, so the answer says
nothing about which drafts exist; an editor whose session expired gets back here.

Never stored or indexed: Cache-Control forbids caches to keep it (the page is not in
archive.cache's cached lists either), X-Robots-Tag and a robots meta tag say noindex,
and nothing readers can reach (sitemaps, feeds, search, the site's links) points here.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .models import Article
from .views import ArticleDetailView, published_articles

ROBOTS = "noindex, nofollow"


def preview_state(article):
    """draft, scheduled or published: what the banner tells the editor."""
    if article.status != Article.Status.PUBLISHED:
        return "draft"
    return "scheduled" if article.published_at > timezone.now() else "published"


@method_decorator([never_cache, staff_member_required], name="dispatch")
class ArticlePreviewView(ArticleDetailView):
    template_name = "archive/article_preview.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.has_perm("archive.view_article") or user.has_perm("archive.change_article")):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = ROBOTS
        return response

    def get_queryset(self):
        # The article page's three queries, from every article instead of the published
        # ones; related articles stay the published ones readers would be shown.
        return Article.objects.select_related(
            "rubric", "source", *Article.LEAD_IMAGES, "story"
        ).prefetch_related(
            "tags",
            Prefetch("related", queryset=published_articles(), to_attr="related_articles"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        for other in context["other_translations"]:
            with translation.override(other["code"]):
                other["url"] = reverse("archive:article-preview", kwargs={"pk": article.pk})
        context["preview"] = {
            "state": preview_state(article),
            "change_url": reverse("admin:archive_article_change", args=[article.pk]),
            "public_url": article.get_absolute_url(),
        }
        return context
