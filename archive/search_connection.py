"""SEARCH_URL, read into haystack's connection settings (archive.settings, and the
benchmarks and tests that move the archive to another engine: search.engines.using)."""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

OPENSEARCH_SCHEMES = {"opensearch": "http", "opensearchs": "https"}


def search_connection(url):
    """haystack's connection settings for a SEARCH_URL."""
    parts = urlsplit(url)
    if parts.scheme == "whoosh":
        # rebuild_index commits once per batch, and each commit may merge segments:
        # 2,000 per batch built 10,000 articles ~1.7x faster than 500 (issue 6). A
        # batch of 2,000 articles is ~50 MB in memory while it is indexed.
        return {
            "ENGINE": "search.engines.whoosh.backend.ArchiveWhooshEngine",
            "PATH": unquote(parts.path),
            "BATCH_SIZE": 2000,
        }
    if parts.scheme in OPENSEARCH_SCHEMES:
        # opensearchs://user:password@host:port,host:port/<alias>: TLS, and the account
        # for every node listed.
        account, _at, nodes = parts.netloc.rpartition("@")
        protocol = OPENSEARCH_SCHEMES[parts.scheme]
        login = f"{account}@" if account else ""
        hosts = [f"{protocol}://{login}{host}" for host in nodes.split(",") if host]
        alias = unquote(parts.path).strip("/")
        if not hosts or not alias or "/" in alias:
            raise ImproperlyConfigured(
                f"SEARCH_URL {url!r}: write opensearch://host:port[,host:port...]/<alias> "
                "(opensearchs://user:password@... for TLS)"
            )
        return {
            "ENGINE": "search.engines.opensearch.backend.ArchiveOpenSearchEngine",
            "URL": hosts,
            "INDEX_NAME": alias,
            "BATCH_SIZE": 2000,
        }
    raise ImproperlyConfigured(
        f"SEARCH_URL {url!r}: use whoosh:///<path> or opensearch://host:port[,host:port]/<alias>"
    )
