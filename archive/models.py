from datetime import UTC, datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .body_images import size_body_images
from .languages import name_search_key
from .sanitize import clean_html, without_control_characters
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


class Story(SluggedModel):
    """A news story followed over time: its articles, in date order, make its timeline
    (the convention's path: resolution, sessions, final draft, adoption, signing)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("One or two sentences above the timeline.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("archive:story-detail", kwargs={"slug": self.slug})


class LibraryFileField(models.ImageField):
    """An ImageField keeping its stored width and height when the file is missing from
    storage. Django reads the size from the file again whenever the field is assigned,
    which every model validation does: an original lost from MEDIA_ROOT made each save of
    the image a server error, even the upload of a new file to replace it."""

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except FileNotFoundError:
            pass  # the stored size stands until a new file is uploaded


class Image(models.Model):
    """A picture in the library: the uploaded original, what it shows in each language,
    and who may be credited. Renditions in the sizes pages need are made from it
    (archive/images.py)."""

    file = LibraryFileField(
        _("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    alt = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"), max_length=200, help_text=_("Author or agency, as it must be credited.")
    )
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    # {"<width>": "<storage name>", ...}: the renditions made at upload (JPEG), with
    # "webp" (the same by width) and "meta" (sizes) beside: archive/renditions.py.
    renditions = models.JSONField(default=dict, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Every language's description and caption, the credit and the file name, folded
    # (as Tag.search_key): the body's image picker finds any picture with LIKE.
    search_key = models.TextField(editable=False, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt or self.file.name

    def fill_search_key(self):
        texts = [
            getattr(self, f"{name}_{code}", None)
            for name in ("alt", "caption")
            for code, _name in settings.LANGUAGES
        ]
        self.search_key = name_search_key(*texts, self.credit, self.file.name)


@receiver(pre_save, sender=Image, dispatch_uid="image-search-key")
def _image_search_key(sender, instance, **kwargs):
    instance.fill_search_key()


class ArticleQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def in_translation_state(self, code, state):
        """The articles whose translation_state(code) is `state` ("missing"/"outdated")."""
        return self.filter(translation_state_q(code, state))

    def published(self):
        """What readers may see: published, and its time has come (the one definition)."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


def translation_state_q(code, state):
    """Article.translation_state(code) == state ("missing" or "outdated") as a Q, for
    filters and counts: missing is no title in that language; outdated is a title and an
    edit stamp older than the original's, or none (ISO times in UTC compare as text)."""
    missing = Q(**{f"title_{code}__isnull": True}) | Q(**{f"title_{code}": ""})
    if state == "missing":
        return missing
    original = KT(f"text_edited__{settings.LANGUAGE_CODE}")
    own = Coalesce(KT(f"text_edited__{code}"), Value(""))
    return ~missing & Q(GreaterThan(original, own))


class Article(SluggedModel):
    class Status(models.TextChoices):
        # The context lets «опубликована» agree with «статья».
        DRAFT = "draft", pgettext_lazy("article status", "draft")
        PUBLISHED = "published", pgettext_lazy("article status", "published")

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
        # Year 1 in Baku's time is before year 1 in UTC: saving it was an OverflowError.
        validators=[
            MinValueValidator(
                datetime(1000, 1, 1, tzinfo=UTC),
                message=_("A publication date is from the year 1000 on."),
            )
        ],
        help_text=_("A time in the future schedules the article: readers see it from then."),
    )
    time_known = models.BooleanField(
        _("time known"),
        default=True,
        help_text=_("Clear when the source gave only the date: pages then show no time of day."),
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
    story = models.ForeignKey(
        Story,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("story"),
        help_text=_("The story this article is a step of; its timeline shows them in date order."),
    )
    lead_image = models.ForeignKey(
        Image,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("lead image"),
        help_text=_(
            "Shown on cards, on the article page, in link previews and in feeds. A picture "
            "with words in it may have a version per language: switch the form to that "
            "language to choose it. Pages in a language without one show the Russian picture."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    # {"ru": "<ISO time>", "az": ..., "en": ...}: when each language's title, lead or
    # body last changed, so a translation older than the Russian original is seen.
    text_edited = models.JSONField(default=dict, editable=False)
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
    TEXT_FIELDS = ("title", "lead", "body")  # translated; their edits are stamped per language
    # The lead image is translated too (translation.py): `article.lead_image` is the page
    # language's picture or the fallback's. Lists select_related every language's, so the
    # fallback costs no query per article (modeltranslation would join the page's only).
    LEAD_IMAGES = tuple(f"lead_image_{code}" for code, _name in settings.LANGUAGES)
    # history: registered in translation.py, after the translated columns exist.

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            # Covers the dashboard's translation counts (archive/dashboard.py): SQLite
            # reads them from this index, not past the bodies (~300 -> ~40 ms at 20,000).
            models.Index(
                fields=["status", "title_az", "title_en", "text_edited"],
                name="article_translation_idx",
            ),
            # A story's published steps by date (archive/timelines.py): an article's
            # neighbours are read down it, and its count needs no row of the table.
            models.Index(fields=["story", "status", "published_at"], name="article_story_date_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.clean_fields_for_save()
        self.stamp_edited_languages()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("archive:article-detail", kwargs={"slug": self.slug})

    def stamp_edited_languages(self):
        # Compared with what was loaded (nothing, for a new article): a language whose
        # text changed gets the time now; a language emptied loses its stamp.
        before = getattr(self, "_loaded_texts", {})
        now = timezone.now().isoformat()
        stamps = dict(self.text_edited or {})
        for code, texts in self.language_texts().items():
            # NULL (an import's missing translation) and "" (the admin form's) are alike.
            old = before.get(code)
            same = old is not None and [t or "" for t in texts] == [t or "" for t in old]
            if same and (code in stamps or not any(texts)):
                continue  # unchanged (or left unloaded by only()/defer())
            if any(texts):
                stamps[code] = now
            else:
                stamps.pop(code, None)
        self.text_edited = stamps
        self._loaded_texts = self.language_texts()

    def translation_state(self, code):
        """ "missing", "outdated" (older than the Russian text) or "current"."""
        if not getattr(self, f"title_{code}", ""):
            return "missing"
        stamps = self.text_edited or {}
        original = stamps.get(settings.LANGUAGE_CODE)
        if original and stamps.get(code, "") < original:
            return "outdated"
        return "current"

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._loaded_texts = article.language_texts()
        return article

    def language_texts(self):
        """{language: (title, lead, body)} as they stand on this object. Read from the
        instance's dict: a field left out by only()/defer() stays None, never fetched."""
        values = self.__dict__
        return {
            code: tuple(values.get(f"{name}_{code}") for name in self.TEXT_FIELDS)
            for code, _name in settings.LANGUAGES
        }

    @property
    def is_visible(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def clean_fields_for_save(self):
        """Sanitize every translation of the body; the importer calls this too."""
        for code, _name in settings.LANGUAGES:
            field = f"body_{code}"
            if field in self.__dict__:  # a body left out by only()/defer() is unchanged
                body = clean_html(self.__dict__[field] or "")
                setattr(self, field, size_body_images(body, Image))
        self.fill_slug()


@receiver(pre_save, dispatch_uid="archive-control-characters")
def _without_control_characters(sender, instance, **kwargs):
    # Every text of the archive's rows, whatever saves it (a form, loaddata, a script):
    # the importers' bulk writes clean theirs first (importers/records.py, clean_html).
    if sender._meta.app_label != "archive":
        return
    for field in sender._meta.concrete_fields:
        value = instance.__dict__.get(field.attname)
        if isinstance(value, str) and isinstance(field, (models.CharField, models.TextField)):
            instance.__dict__[field.attname] = without_control_characters(value)


@receiver(pre_delete, sender=Image, dispatch_uid="image-untranslated-lead-column")
def _forget_a_deleted_lead_image(sender, instance, **kwargs):
    # The deletion sets Article.lead_image to NULL with update(lead_image=None), which
    # modeltranslation rewrites to the active language's column: the untranslated column
    # kept the id and the commit failed on its foreign key (a 500 on deleting a picture).
    Article.objects.rewrite(False).filter(lead_image=instance.pk).update(lead_image=None)


@receiver(pre_save, sender=Article)
def _clean_fixture_rows(sender, instance, raw=False, **kwargs):
    # loaddata saves rows raw, without Article.save(): they are sanitized all the same.
    if raw:
        instance.clean_fields_for_save()
        instance.stamp_edited_languages()
