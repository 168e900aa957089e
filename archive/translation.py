from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import Article, Rubric, Tag


@register(Article)
class ArticleTranslationOptions(TranslationOptions):
    fields = ("title", "lead", "body")
    required_languages = ("ru",)


@register(Rubric)
class RubricTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru",)


@register(Tag)
class TagTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("ru",)


# Revision history is registered here, after modeltranslation has added the
# *_ru/*_az/*_en columns, so the historical tables keep every translation.
register_history(Article, m2m_fields=["tags", "related"], app="archive")
register_history(Rubric, app="archive")
register_history(Tag, app="archive")
