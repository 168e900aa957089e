"""The OpenSearch engine: an OpenSearch 2.x cluster holds the index (SEARCH_URL =
opensearch://host:port[,host:port...]/<alias>); the only package of the archive that
imports the `elasticsearch` client.

    mapping.py      the index's settings and mapping: pre-analyzed text, BM25 as Whoosh's
    backend.py      haystack's elasticsearch7 backend, subclassed: writes with versions
    queries.py      a ParsedQuery (search.query) as query DSL
    searching.py    search, suggestions, did-you-mean, document frequencies
    aliases.py      the alias readers use, the rebuild lock, building aside and switching
    health.py       what check_index and the admin see of the cluster
    engine.py       OpenSearchEngine: search.engines.base.Engine over all of the above
    cluster/        a local three-node cluster from Maven Central jars (make cluster)

Why haystack's elasticsearch7 backend and the 7.13 client, not opensearch-py: haystack
3.4 ships the backend (update, remove, clear, its management commands), and 7.13.4 is the
last client without the product check that refuses OpenSearch (7.14 added it). The text
is analysed in Python (search.analysis) and sent as its terms, so nothing of the client's
or the server's own analysis is used; the REST calls made here exist unchanged in
OpenSearch 2.x. The version is checked at import.

The 7.13 client predates NumPy 2: its serializer lists `numpy.float_`, an alias NumPy 2
removed, when it is imported. The alias is lent for that import and taken back.
"""

import numpy
from django.core.exceptions import ImproperlyConfigured

if "float_" not in vars(numpy):
    numpy.float_ = numpy.float64
    try:
        import elasticsearch
    finally:
        del numpy.float_
else:
    import elasticsearch

PINNED_CLIENT = (7, 13, 4)


def check_client(version=None):
    version = tuple(elasticsearch.__version__ if version is None else version)
    if version[:3] != PINNED_CLIENT:
        found = ".".join(str(part) for part in version)
        raise ImproperlyConfigured(
            f"search.engines.opensearch needs the elasticsearch client 7.13.4 exactly "
            f"(requirements.txt); {found} is installed. From 7.14 on the client refuses "
            "to talk to OpenSearch."
        )


check_client()
