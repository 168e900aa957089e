import factory
from django.utils import timezone

from archive.models import Article, Rubric, Source, Tag


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Агентство {n}")


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    name_ru = factory.Sequence(lambda n: f"Рубрика {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name_ru = factory.Sequence(lambda n: f"Тема {n}")
    kind = Tag.Kind.TOPIC


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title_ru = factory.Faker("sentence", nb_words=6, locale="ru_RU")
    lead_ru = factory.Faker("sentence", nb_words=12, locale="ru_RU")
    body_ru = factory.LazyFunction(lambda: "<p>Текст статьи.</p>")
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
    rubric = factory.SubFactory(RubricFactory)
    source = factory.SubFactory(SourceFactory)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
