from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .languages import name_search_key
from .sanitize import clean_html
from .slugs import SLUG_MAX_LENGTH, unique_slug


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SluggedModel(models.Model):
    """A slug made once from the name and never changed by later edits, so links stay."""

    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text=_(
            "Latin address of the page. Made from the name when left empty; "
            "changing it breaks existing links."
        ),
    )
    slug_source_field = "name"

    objects = SlugManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)

    def fill_slug(self, taken=None):
        if not self.slug:
            text = getattr(self, f"{self.slug_source_field}_ru", None) or getattr(
                self, self.slug_source_field
            )
            manager = type(self)._default_manager
            self.slug = unique_slug(
                text,
                taken or (lambda s: manager.filter(slug=s).exclude(pk=self.pk).exists()),
                fallback=self._meta.model_name,
            )


class Source(SluggedModel):
    """The agency or publisher an article comes from (APA, the archive's own desk...)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:source-detail", kwargs={"slug": self.slug})


class Rubric(SluggedModel):
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(
        _("position"), default=100, help_text=_("Smaller numbers come first in menus.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:rubric-detail", kwargs={"slug": self.slug})


class Tag(SluggedModel):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("topic")
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")
        PLACE = "place", _("place")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.TOPIC)
    # Every language's name, folded (archive.languages.folded), each word after a space:
    # suggestions find «Мансуров» for «ман» with one LIKE in the database, where SQLite
    # folds only ASCII case and reading every tag into Python grew with the tags.
    search_key = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            # name_ru: the Russian name is the identity; modeltranslation adds the column.
            models.UniqueConstraint(fields=["name_ru", "kind"], name="tag_unique_name_kind"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:tag-detail", kwargs={"slug": self.slug})

    def fill_search_key(self):
        names = (getattr(self, f"name_{code}", None) for code, _name in settings.LANGUAGES)
        self.search_key = name_search_key(*names)


@receiver(pre_save, sender=Tag, dispatch_uid="tag-search-key")
def _tag_search_key(sender, instance, **kwargs):
    instance.fill_search_key()  # loaddata's raw saves too


class ArticleQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def published(self):
        """What readers may see: published, and its time has come (the one definition)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


class Article(SluggedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    title = models.CharField(_("title"), max_length=300)
    slug_source_field = "title"
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("One or two sentences shown in lists and feeds.")
    )
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "HTML. Scripts, styles, event handlers and javascript:/data: links are removed on save."
        ),
    )
    published_at = models.DateTimeField(
        _("published at"),
        default=timezone.now,
        db_index=True,
        help_text=_("A time in the future schedules the article: readers see it from then."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    rubric = models.ForeignKey(
        Rubric,
        models.PROTECT,
        related_name="articles",
        verbose_name=_("rubric"),
        null=True,
        blank=True,
    )
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True, verbose_name=_("tags"))
    source = models.ForeignKey(
        Source,
        models.PROTECT,
        related_name="articles",
        verbose_name=_("source"),
        null=True,
        blank=True,
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    has_video = models.BooleanField(
        _("video"),
        default=False,
        help_text=_("The agency marks the item as a video report («-ВИДЕО»)."),
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related articles"))
    import_key = models.CharField(
        _("import key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Identity of an imported item, so importing it again does not duplicate it."),
    )

    objects = ArticleQuerySet.as_manager()
    # history: registered in translation.py, after the translated columns exist.

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.clean_fields_for_save()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:article-detail", kwargs={"slug": self.slug})

    @property
    def is_visible(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def clean_fields_for_save(self):
        """Sanitize every translation of the body; the importer calls this too."""
        for code, _name in settings.LANGUAGES:
            field = f"body_{code}"
            setattr(self, field, clean_html(getattr(self, field, "") or ""))
        self.fill_slug()


@receiver(pre_save, sender=Article)
def _clean_fixture_rows(sender, instance, raw=False, **kwargs):
    # loaddata saves rows raw, without Article.save(): they are sanitized all the same.
    if raw:
        instance.clean_fields_for_save()
