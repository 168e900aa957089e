"""gunicorn reads this file from the directory it starts in (the project root).

gunicorn has no setting for its `Server: gunicorn` header, which tells a probe what to
aim at; every HTTP/1 response writes it first among gunicorn's own headers, so drop it.
"""

from gunicorn.http import wsgi

_gunicorn_headers = wsgi.Response.default_headers


def _without_server(self):
    return [line for line in _gunicorn_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server
