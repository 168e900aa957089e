"""A newsroom's worth of list data for the article list's tests: long Russian titles,
thousands of tags, a few rubrics and sources."""

from datetime import timedelta

from django.utils import timezone

from archive.models import Article, Tag

from .factories import ArticleFactory, RubricFactory, SourceFactory

SUBJECTS = [
    "Генеральная Ассамблея ООН",
    "Министерство экономики Азербайджана",
    "Межправительственный комитет экспертов",
    "Государственная нефтяная компания",
    "Специальный докладчик по вопросам свободы выражения мнений",
    "Центральный банк",
]
ACTIONS = [
    "утвердил(а) окончательный текст всеобъемлющей международной конвенции",
    "представил(а) доклад о противодействии использованию информационных технологий",
    "обсудил(а) с делегациями порядок ратификации и вступления в силу соглашения",
    "объявил(а) о начале консультаций с представителями гражданского общества",
]
PLACES = ["в Нью-Йорке", "в Баку", "в Вене", "в Женеве", "на полях сессии"]


def long_title(i):
    return (
        f"{SUBJECTS[i % len(SUBJECTS)]} {ACTIONS[i % len(ACTIONS)]} "
        f"{PLACES[i % len(PLACES)]}: выпуск {i + 1}"
    )


def make_tags(count, prefix="Тема"):
    """`count` tags in one INSERT per 500 (a factory per tag would take minutes)."""
    kinds = list(Tag.Kind)
    tags = [
        Tag(name_ru=f"{prefix} {n:04d}", slug=f"tag-{prefix.lower()}-{n:04d}", kind=kinds[n % 4])
        for n in range(count)
    ]
    for tag in tags:
        tag.fill_search_key()  # bulk_create sends no pre_save
    return Tag.objects.bulk_create(tags, batch_size=500)


def newsroom(articles=60, tags=0, tags_per_article=8, now=None, step=timedelta(hours=1)):
    """`articles` articles with long Russian titles over three rubrics and two
    sources, one every `step` back from `now`; every fourth a draft, every fifth two
    days ahead (scheduled, when `now` is now), every third a video; each with
    `tags_per_article` of `tags` tags (at least that many are made)."""
    rubrics = [RubricFactory(name_ru=name) for name in ("Политика", "Экономика", "Общество")]
    sources = [SourceFactory(name=name) for name in ("АПА", "Редакция архива")]
    pool = make_tags(max(tags, tags_per_article))
    now = now or timezone.now()
    made = []
    for i in range(articles):
        scheduled = i % 5 == 4
        made.append(
            ArticleFactory(
                title_ru=long_title(i),
                status=Article.Status.DRAFT if i % 4 == 3 else Article.Status.PUBLISHED,
                published_at=now + timedelta(days=2) if scheduled else now - i * step,
                rubric=rubrics[i % 3],
                source=sources[i % 2],
                has_video=i % 3 == 0,
                tags=[pool[(i * 7 + k) % len(pool)] for k in range(tags_per_article)],
            )
        )
    return made
