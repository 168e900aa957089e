"""The seed fixture (archive/fixtures/seed.json): one APA item stored verbatim in Russian,
its Azerbaijani and English translations, its tags, and four background notes."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from archive.models import Article, Rubric, Source, Tag
from archive.sanitize import clean_html

SEED_SLUG = "podgotovlen-i-prinyat-itogovyy-proekt-konventsii-oon-protiv-kiberprestupnosti"

# The agency's copy, character for character (the seed file's second line and paragraphs).
SEED_TITLE = "Подготовлен и принят итоговый проект «Конвенции ООН против киберпреступности»-ВИДЕО"
SEED_PARAGRAPHS = [
    "Заключительная сессия созданного резолюцией Генеральной Ассамблеи ООН от 27 декабря "
    "2019 года межправительственного открытого комитета «Ad Hoc» по подготовке всеобъемлющей "
    "международной Конвенции о борьбе с использованием информационно-коммуникационных "
    "технологий (ИКТ) в преступных целях, прошла 29 июля - 9 августа 2024 года в "
    "штаб-квартире ООН в Нью-Йорке.",
    "Как передает АПА, об этом сообщается на официальном сайте ООН.",
    "По итогам многолетней напряженной работы делегаций государств-членов ООН, в том числе "
    "азербайджанской делегации, в состав которой входят сотрудники соответствующих "
    "государственных структур нашей республики, на последнем заседании сессии был принят "
    "итоговый проект «Конвенции ООН против киберпреступности».",
    "Конвенция охватывает широкую сферу применения, такую как борьба с преступлениями, "
    "совершенными посредством систем информационных и коммуникационных технологий, и "
    "укрепление международного сотрудничества по обмену электронными доказательствами "
    "тяжких преступлений.",
    "На заключительной сессии нашу страну представили Гасан Мансуров из Службы "
    "государственной безопасности, Орхан Абдулкеримли, Эмин Гамбарли из Государственной "
    "службы специальной связи и информационной безопасности.",
    "За прошедший период азербайджанская делегация внесла соответствующие предложения по "
    "вопросам, которые считаются принципиальными в связи с международным сотрудничеством по "
    "криминализации преступных деяний, совершенных с помощью информационных и "
    "коммуникационных технологий, обязательствам по оказанию международной правовой и "
    "технической помощи, защите, сбору и представлению электронных доказательств, и "
    "Комитетом были приняты все предложения, представленные азербайджанской стороной, они "
    "отражены в тексте проекта Конвенции.",
    "На последней сессии азербайджанская делегация выразила уверенность в том, что Конвенция "
    "сохранит общественные и индивидуальные интересы, продемонстрирует высокую ценность и "
    "эффективность коллективных усилий в новую эпоху быстрой цифровизации, были особо "
    "подчеркнуты серьезные ожидания, что она не будет служить дезинформации, неравенству и "
    "неоколониализму в мире.",
]

TAGS = {
    "Гасан Мансуров": Tag.Kind.PERSON,
    "Орхан Абдулкеримли": Tag.Kind.PERSON,
    "Эмин Гамбарли": Tag.Kind.PERSON,
    "ООН": Tag.Kind.ORGANISATION,
    "Генеральная Ассамблея ООН": Tag.Kind.ORGANISATION,
    "Комитет «Ad Hoc»": Tag.Kind.ORGANISATION,
    "Служба государственной безопасности": Tag.Kind.ORGANISATION,
    "Государственная служба специальной связи и информационной безопасности": (
        Tag.Kind.ORGANISATION
    ),
    "Нью-Йорк": Tag.Kind.PLACE,
    "Азербайджан": Tag.Kind.PLACE,
    "Конвенция ООН против киберпреступности": Tag.Kind.TOPIC,
    "киберпреступность": Tag.Kind.TOPIC,
    "информационно-коммуникационные технологии": Tag.Kind.TOPIC,
    "международное сотрудничество": Tag.Kind.TOPIC,
    "электронные доказательства": Tag.Kind.TOPIC,
}

# Background notes: slug -> publication date.
RELATED = {
    "generalnaya-assambleya-oon-uchredila-komitet-ad-hoc-po-razrabotke-konventsii": date(
        2019, 12, 27
    ),
    "v-nyu-yorke-proshla-pervaya-peregovornaya-sessiya-komiteta-ad-hoc": date(2022, 3, 11),
    "generalnaya-assambleya-oon-prinyala-konventsiyu-protiv-kiberprestupnosti": date(2024, 12, 24),
    "konventsiya-oon-protiv-kiberprestupnosti-otkryta-dlya-podpisaniya-v-khanoe": date(
        2025, 10, 25
    ),
}
EDITORS_NOTE = {
    "ru": "Справка подготовлена редакцией архива.",
    "az": "Arayış arxivin redaksiyası tərəfindən hazırlanıb.",
    "en": "This background note was prepared by the archive's editors.",
}

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    call_command("loaddata", "seed", verbosity=0)
    return Article.objects.get(slug=SEED_SLUG)


def paragraphs(html):
    return PARAGRAPH.findall(html)


def test_seed_article_is_the_agency_copy_verbatim(seed):
    assert seed.title_ru == SEED_TITLE
    assert seed.title_ru.endswith("-ВИДЕО")
    assert paragraphs(seed.body_ru) == SEED_PARAGRAPHS
    assert seed.body_ru == "".join(f"<p>{p}</p>" for p in SEED_PARAGRAPHS)
    assert seed.lead_ru == ""
    # The untranslated base columns hold the Russian original.
    assert seed.title == SEED_TITLE
    assert Article.objects.filter(pk=seed.pk, body=seed.body_ru).exists()


def test_seed_article_metadata(seed):
    assert seed.rubric.slug == "ikt"
    assert (seed.rubric.name_ru, seed.rubric.name_az, seed.rubric.name_en) == (
        "ИКТ",
        "İKT",
        "ICT",
    )
    assert (seed.source.name, seed.source.url, seed.source.slug) == ("APA", "https://apa.az", "apa")
    assert seed.source_url == ""
    assert seed.has_video is True
    assert seed.video_url == ""
    assert seed.status == Article.Status.PUBLISHED
    assert timezone.localtime(seed.published_at).date() == date(2024, 8, 9)
    assert seed.published_at.isoformat() == "2024-08-09T08:00:00+00:00"  # 12:00 in Baku
    assert seed.updated_at == seed.published_at
    assert Article.objects.published().filter(pk=seed.pk).exists()
    assert seed.is_visible


def test_seed_translations(seed):
    for lang in ("az", "en"):
        title = getattr(seed, f"title_{lang}")
        body = getattr(seed, f"body_{lang}")
        assert title and body
        assert not CYRILLIC.search(title + body), lang
        # Every Russian paragraph has its translation.
        assert len(paragraphs(body)) == len(SEED_PARAGRAPHS), lang
        assert all(p.strip() for p in paragraphs(body))
        assert getattr(seed, f"lead_{lang}") == ""
    assert seed.title_az.endswith("– VİDEO")
    assert seed.title_en.endswith("– VIDEO")
    for name in ("Həsən Mənsurov", "Orxan Abdulkərimli", "Emin Qəmbərli", "BMT", "APA"):
        assert name in seed.body_az
    for name in ("Hasan Mansurov", "Orkhan Abdulkarimli", "Emin Gambarli", "APA"):
        assert name in seed.body_en
    assert "Dövlət Təhlükəsizliyi Xidmət" in seed.body_az
    assert "Xüsusi Rabitə və İnformasiya Təhlükəsizliyi Dövlət Xidmət" in seed.body_az


def test_seed_tags(seed):
    linked = {t.name_ru: t for t in seed.tags.all()}
    assert set(linked) == set(TAGS)
    for name_ru, kind in TAGS.items():
        tag = Tag.objects.get(name_ru=name_ru)
        assert tag.kind == kind, name_ru
        assert tag == linked[name_ru]
        assert tag.name == name_ru
        assert tag.name_az and tag.name_en, name_ru
        assert tag.name_az != name_ru and tag.name_en != name_ru
        assert not CYRILLIC.search(tag.name_az + tag.name_en), name_ru
    assert Tag.objects.get(name_ru="Гасан Мансуров").name_az == "Həsən Mənsurov"
    assert Tag.objects.get(name_ru="ООН").name_az == "BMT"


def test_related_background_notes(seed):
    assert set(seed.related.values_list("slug", flat=True)) == set(RELATED)
    editors = Source.objects.get(name="Редакция архива")
    for slug, day in RELATED.items():
        note = Article.objects.get(slug=slug)
        assert Article.objects.published().filter(pk=note.pk).exists()
        assert note.related.filter(pk=seed.pk).exists()  # symmetrical
        assert note.source == editors
        assert note.rubric == seed.rubric
        assert timezone.localtime(note.published_at).date() == day
        assert note.tags.exists()
        assert not note.has_video
        for lang, phrase in EDITORS_NOTE.items():
            for field in ("title", "lead", "body"):
                assert getattr(note, f"{field}_{lang}"), (slug, field, lang)
            body = getattr(note, f"body_{lang}")
            assert 3 <= len(paragraphs(body)) <= 4, (slug, lang)
            assert paragraphs(body)[-1] == phrase, (slug, lang)
            if lang != "ru":
                assert not CYRILLIC.search(
                    getattr(note, f"title_{lang}") + getattr(note, f"lead_{lang}") + body
                ), (slug, lang)
    assert editors.url == ""


def test_bodies_survive_the_sanitizer_unchanged(seed):
    """An editor re-saving any seed article in the admin must not alter its text."""
    for article in Article.objects.all():
        for lang in EDITORS_NOTE:
            body = getattr(article, f"body_{lang}")
            assert clean_html(body) == body, (article.slug, lang)
    seed.save()
    seed.refresh_from_db()
    assert paragraphs(seed.body_ru) == SEED_PARAGRAPHS


def _counts():
    return {
        "articles": Article.objects.count(),
        "tags": Tag.objects.count(),
        "rubrics": Rubric.objects.count(),
        "sources": Source.objects.count(),
        "article_tags": Article.tags.through.objects.count(),
        "related": Article.related.through.objects.count(),
    }


def test_loading_twice_creates_no_duplicates():
    call_command("loaddata", "seed", verbosity=0)
    first = _counts()
    assert first == {
        "articles": 5,
        "tags": len(TAGS),
        "rubrics": 1,
        "sources": 2,
        "article_tags": len(TAGS) + 6 + 6 + 5 + 3,
        "related": 8,  # 4 links, stored in both directions
    }
    call_command("loaddata", "seed", verbosity=0)
    assert _counts() == first
    seed = Article.objects.get(slug=SEED_SLUG)
    assert seed.related.count() == len(RELATED)
    assert seed.tags.count() == len(TAGS)


def test_seed_is_searchable(search_index):
    from haystack.query import SearchQuerySet

    call_command("loaddata", "seed", verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    seed = Article.objects.get(slug=SEED_SLUG)

    assert SearchQuerySet().filter(content="конвенция").count() >= 1
    results = list(SearchQuerySet().filter(content="Мансуров"))
    assert [int(r.pk) for r in results] == [seed.pk]
