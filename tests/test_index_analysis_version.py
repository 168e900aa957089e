"""An index holding the terms of an older analysis (search.analysis.ANALYSIS_VERSION)
answers with terms a reader's query no longer produces: on both engines it is found out
of date and `check_index --repair` (run at every start) rebuilds it from the database."""

import pytest
from django.core.management import call_command

from search import analysis, engines
from search.engines.opensearch import health as cluster_health
from search.engines.opensearch import mapping
from search.engines.whoosh import backend
from search.engines.whoosh import health as whoosh_health
from search.query import parse

from .factories import ArticleFactory


@pytest.mark.django_db(transaction=True)
def test_an_index_of_an_older_analysis_is_rebuilt(engine_index, monkeypatch):
    ArticleFactory(title_ru="Конвенция против киберпреступности")
    older = analysis.ANALYSIS_VERSION - 1
    # Build the index as the previous analysis would have stamped it.
    with monkeypatch.context() as then:
        then.setattr(backend, "ANALYSIS_VERSION", older)
        then.setattr(mapping, "ANALYSIS_VERSION", older)
        call_command("rebuild_index", interactive=False, verbosity=0)
    engines.current().close_readers()

    health = engines.current().health()
    assert not health.usable
    assert "older analysis" in health.error
    call_command("check_index", "--repair", verbosity=0)
    engines.current().close_readers()
    assert engines.current().health().usable
    [hit] = engines.current().search(parse("конвенции")).hits
    assert hit.fields["title_ru"] == "Конвенция против киберпреступности"


def test_both_engines_read_the_same_version():
    assert whoosh_health.ANALYSIS_VERSION == cluster_health.ANALYSIS_VERSION
    assert backend.FastAnalyzer("ru").version == analysis.ANALYSIS_VERSION
    assert mapping.mappings()["_meta"]["analysis_version"] == analysis.ANALYSIS_VERSION
