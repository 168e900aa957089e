import shutil
import tempfile

import pytest
from haystack import connections


@pytest.fixture
def search_index(settings):
    """A fresh, real Whoosh index in a temporary directory for one test."""
    path = tempfile.mkdtemp(prefix="archive-index-")
    settings.HAYSTACK_CONNECTIONS = {
        "default": {**settings.HAYSTACK_CONNECTIONS["default"], "PATH": path}
    }
    connections.reload("default")
    backend = connections["default"].get_backend()
    backend.setup()
    yield backend
    connections.reload("default")
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
