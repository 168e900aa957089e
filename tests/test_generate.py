import json

import pytest
from django.core.management import call_command
from django.db import connection

from archive import demo
from archive.models import Article, Tag
from search.analysis import russian_lemmas

pytestmark = pytest.mark.django_db


def test_generated_articles_are_deterministic_translated_and_labelled():
    first = list(demo.generate(5, seed=7))
    assert first == list(demo.generate(5, seed=7))
    assert first != list(demo.generate(5, seed=8))

    call_command("generate_articles", count=20, seed=7, no_index=True, verbosity=0)
    articles = Article.objects.filter(source__name=demo.DEMO_SOURCE)
    assert articles.count() == 20
    assert set(articles.values_list("status", flat=True)) == {Article.Status.PUBLISHED}
    for article in articles:
        assert article.title_ru and article.title_az and article.title_en
        assert article.body_en.startswith("<p>") and article.rubric_id
        assert article.tags.exists()
    kinds = set(Tag.objects.filter(articles__in=articles).values_list("kind", flat=True))
    assert kinds == {"person", "organisation", "place", "topic"}


def test_generating_again_with_the_same_seed_adds_nothing():
    call_command("generate_articles", count=10, seed=3, no_index=True, verbosity=0)
    call_command("generate_articles", count=10, seed=3, no_index=True, verbosity=0)
    assert Article.objects.count() == 10


def test_russian_text_is_inflected_not_lemma_soup():
    """Nouns appear in several cases, so search sees real word forms."""
    words = " ".join(a["body"][0] for a in demo.generate(30, seed=1)).replace("<p>", " ")
    words = [w.strip(".,</p>").lower() for w in words.split()]
    forms_of_city = {w for w in words if "город" in russian_lemmas(w)}
    assert len(forms_of_city) >= 3  # город, города, городу, городом...


def related_plan(article):
    related = article.related.all()
    sql, params = related.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL analyses on its own")
@pytest.mark.parametrize("command", ["generate_articles", "import_articles"])
def test_a_bulk_write_gives_sqlite_the_statistics_its_planner_needs(command, tmp_path):
    # Without statistics SQLite walked every published article to find one article's
    # related ones: 20 ms an article page at 100,000 articles (README, Performance).
    if command == "generate_articles":
        call_command(command, count=300, seed=5, no_index=True, verbosity=0)
    else:
        path = tmp_path / "items.jsonl"
        lines = [
            json.dumps(
                {
                    "title": f"Новость {n}",
                    "body": f"Текст новости номер {n}.",
                    "published": f"2024-11-{n % 28 + 1:02d}T10:00:00+00:00",
                }
            )
            for n in range(300)
        ]
        path.write_text("\n".join(lines), encoding="utf-8")
        call_command(command, str(path), no_index=True, verbosity=0)
    article = Article.objects.first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    assert "archive_article" in analysed
    assert "archive_article_related" in related_plan(article)[0]
