"""One search boundary: only search/engines/whoosh/ imports Whoosh and only
search/engines/opensearch/ the OpenSearch client, the two never import each other, archive
never imports search, the app reaches the engines only through search.engines; the pinned
Whoosh and client are checked at import; an index written before the move still opens."""

import ast
import glob
import importlib
import os
import sys
from pathlib import Path

import pytest
import whoosh
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from whoosh.fields import TEXT

import search.engines.whoosh as whoosh_engine
from search import engines
from search.engines.whoosh import backend, codec

from .factories import ArticleFactory

ROOT = Path(__file__).resolve().parents[1]
WHOOSH_PACKAGE = "search/engines/whoosh/"
# benchmark_search's floor under the archive's engine: a raw Whoosh searcher it opens itself.
MAY_IMPORT_WHOOSH = {"search/management/raw_whoosh.py"}
# Import shims that keep the pickled paths of indexes written before search.engines.whoosh
# (their docstrings say when they go).
OLD_INDEX_PATHS = {"search/backends.py", "search/codec.py"}


def source_modules():
    for folder in ("archive", "search"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path


def module_name(relative):
    parts = relative.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(relative, path):
    """Every module `relative` imports, relative imports resolved, at any depth."""
    name = module_name(relative)
    package = name if relative.endswith("__init__.py") else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), relative)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def offenders(rule):
    return sorted(
        f"{relative} imports {module}"
        for relative, path in source_modules()
        for module in set(imported_modules(relative, path))
        if rule(relative, module)
    )


def is_within(module, package):
    return module == package or module.startswith(package + ".")


def test_only_the_whoosh_package_imports_whoosh():
    assert (
        offenders(
            lambda relative, module: (
                is_within(module, "whoosh")
                and not relative.startswith(WHOOSH_PACKAGE)
                and relative not in MAY_IMPORT_WHOOSH
            )
        )
        == []
    )


def test_archive_never_imports_search():
    assert (
        offenders(
            lambda relative, module: relative.startswith("archive/") and is_within(module, "search")
        )
        == []
    )


def test_the_app_reaches_the_whoosh_package_only_through_search_engines():
    assert (
        offenders(
            lambda relative, module: (
                is_within(module, "search.engines.whoosh")
                and not relative.startswith("search/engines/")
                and relative not in OLD_INDEX_PATHS
            )
        )
        == []
    )


OPENSEARCH_PACKAGE = "search/engines/opensearch/"


def test_only_the_opensearch_package_imports_the_client():
    assert (
        offenders(
            lambda relative, module: (
                is_within(module, "elasticsearch") and not relative.startswith(OPENSEARCH_PACKAGE)
            )
        )
        == []
    )


def test_the_engines_never_import_each_other_and_the_app_reaches_them_through_search_engines():
    def crosses(relative, module):
        if is_within(module, "search.engines.opensearch"):
            return not relative.startswith(OPENSEARCH_PACKAGE) and relative not in (
                "search/engines/__init__.py",
            )
        if is_within(module, "search.engines.whoosh"):
            return relative.startswith(OPENSEARCH_PACKAGE)
        return False

    assert offenders(crosses) == []


def test_another_client_version_is_refused():
    import search.engines.opensearch as opensearch_engine

    opensearch_engine.check_client()  # the installed one is the pinned one
    with pytest.raises(ImproperlyConfigured, match=r"7\.13\.4 exactly.*7\.14\.0 is installed"):
        opensearch_engine.check_client((7, 14, 0))


def test_the_rules_see_real_imports():
    # The walk finds what the rules are about, so an empty list above means something.
    found = {
        module
        for relative, path in source_modules()
        if relative in ("search/engines/whoosh/searching.py", "search/engines/__init__.py")
        for module in imported_modules(relative, path)
    }
    assert {"whoosh", "whoosh.query", "search.engines.whoosh.language"} <= found
    opensearch = {
        module
        for relative, path in source_modules()
        if relative == "search/engines/opensearch/backend.py"
        for module in imported_modules(relative, path)
    }
    assert {"elasticsearch", "elasticsearch.helpers", "search.analysis"} <= opensearch


def test_another_whoosh_version_is_refused(monkeypatch):
    whoosh_engine.check_version()  # the installed one is the pinned one
    with pytest.raises(ImproperlyConfigured, match=r"needs Whoosh 2\.7\.4 exactly.*2\.7\.5"):
        whoosh_engine.check_version((2, 7, 5))
    monkeypatch.setattr(whoosh, "__version__", (2, 8, 0))
    with pytest.raises(ImproperlyConfigured, match=r"Whoosh 2\.8\.0 is installed"):
        importlib.reload(whoosh_engine)  # the check runs when the package is imported
    monkeypatch.undo()
    importlib.reload(whoosh_engine)


def table_of_contents(path):
    live = os.path.realpath(path)
    tocs = glob.glob(os.path.join(live, "_MAIN_*.toc"))
    newest = max(tocs, key=lambda toc: int(toc.rsplit("_", 1)[1].split(".")[0]))
    return Path(newest).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_an_index_written_before_the_move_still_opens(search_index, monkeypatch):
    """Whoosh pickles the schema's analyzer and formats, and each segment's codec, by
    import path: an index built before search.engines.whoosh names search.backends and
    search.codec, which the shims keep. It searches until `check_index --repair` (run at
    every start) rebuilds it: its text fields keep no exact lengths (BM25 as OpenSearch's)."""
    ArticleFactory(title_ru="Конвенция против киберпреступности")
    for cls in (backend.FastAnalyzer, backend.FastPositions, backend.FastKeywords):
        monkeypatch.setattr(cls, "__module__", "search.backends")
    monkeypatch.setattr(codec.ArchiveCodec, "__module__", "search.codec")
    monkeypatch.setattr(backend, "LengthedText", TEXT)  # as text fields were then
    monkeypatch.setattr(backend, "ExactLengths", lambda: None)
    call_command("rebuild_index", interactive=False, verbosity=0)
    monkeypatch.undo()

    toc = table_of_contents(search_index.path)
    assert b"search.backends" in toc and b"FastAnalyzer" in toc and b"search.codec" in toc
    assert b"search.engines" not in toc

    engines.current().close_readers()
    [hit] = engines.current().search(_parsed("конвенции")).hits
    assert hit.fields["title_ru"] == "Конвенция против киберпреступности"
    health = engines.current().health()
    assert not health.usable and "keep no exact lengths" in health.error
    engines.current().close_readers()

    # Without the shim the same index cannot be read: the shim is what opens it.
    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "search.backends", None)
        health = engines.current().health()
        assert not health.usable and "search.backends" in health.error
    engines.current().close_readers()

    call_command("check_index", "--repair", verbosity=0)
    assert engines.current().health().usable
    assert b"search.engines" in table_of_contents(search_index.path)
    [hit] = engines.current().search(_parsed("конвенции")).hits
    assert hit.fields["title_ru"] == "Конвенция против киберпреступности"


def _parsed(text):
    from search.query import parse

    return parse(text)
