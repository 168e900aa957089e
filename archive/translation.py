from django.db import models
from modeltranslation.fields import TranslationField
from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history
from simple_history.models import HistoricalRecords

from .models import Article, Image, Rubric, Story, Tag


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt", "caption")
    required_languages = ("ru",)


# After Image: the lead image's translated columns refer to it, and modeltranslation
# must know Image's own options first.
@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    # The lead image too: a picture with words in it (a chart, a timeline) has a version
    # per language, and a language without its own shows the Russian one (the fallback).
    fields = ("title", "lead", "body", "lead_image")
    required_languages = ("ru",)


@register(Story)
class StoryTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("ru",)


@register(Rubric)
class RubricTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru",)


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru",)


class TranslatedHistoricalRecords(HistoricalRecords):
    """simple_history copies a foreign key by calling its class with the arguments it
    deconstructs to; a translated one (lead_image_ru, ...) is of a class modeltranslation
    makes, which wants more. It is copied here as the plain ForeignKey it deconstructs to,
    with the options simple_history gives every historical foreign key."""

    def copy_fields(self, model):
        translated = [
            f for f in model._meta.fields if isinstance(f, TranslationField) and f.many_to_one
        ]
        kept = self.excluded_fields
        self.excluded_fields = [*kept, *(f.name for f in translated)]
        try:
            fields = super().copy_fields(model)
        finally:
            self.excluded_fields = kept
        for field in translated:
            if field.name in kept:
                continue
            _name, _path, args, kwargs = field.deconstruct()
            kwargs.update(
                db_constraint=False,
                related_name="+",
                null=True,
                blank=True,
                db_index=True,
                serialize=True,
                on_delete=models.DO_NOTHING,
            )
            fields[field.name] = copied = models.ForeignKey(*args, **kwargs)
            copied.name = field.name
        return fields


# Revision history is registered here, after modeltranslation has added the
# *_ru/*_az/*_en columns, so the historical tables keep every translation.
register_history(
    Article,
    m2m_fields=["tags", "related"],
    app="archive",
    records_class=TranslatedHistoricalRecords,
)
register_history(Rubric, app="archive")
register_history(Tag, app="archive")
