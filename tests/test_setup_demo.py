"""`make run` runs `setup_demo`: a second run adds nothing and keeps editors' changes."""

import pytest
from django.core.management import call_command
from haystack import connections

from archive.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


def test_setup_demo_loads_everything_once_and_keeps_edits(search_index):
    call_command("setup_demo", demo_articles=12, verbosity=0)
    assert Article.objects.published().count() == 5 + 12
    assert connections["default"].get_backend().index.doc_count() == 17

    seed = Article.objects.get(title_ru__startswith="Подготовлен и принят итоговый проект")
    seed.title_en = "Edited by an editor"
    seed.status = Article.Status.DRAFT
    seed.save()

    call_command("setup_demo", demo_articles=12, verbosity=0)
    seed.refresh_from_db()
    assert (seed.title_en, seed.status) == ("Edited by an editor", Article.Status.DRAFT)
    assert Article.objects.count() == 17
    assert connections["default"].get_backend().index.doc_count() == 16  # the draft left
