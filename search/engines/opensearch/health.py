"""Is the cluster's index usable? (search.health rebuilds it when it is not.)

Checked: a node answers; the alias names exactly one index; no primary shard of it is
missing (status red); its mapping has every field the archive writes, with the archive's
analyzer (an index made by another version of the mapping is rebuilt, as a Whoosh index
without a field is); and a count through the alias answers. Replicas missing (yellow,
one node down) still serve: that is what they are for.
"""

from elasticsearch import ConnectionError as ClusterUnreachable
from elasticsearch import TransportError

from ...analysis import ANALYSIS_VERSION
from ...messages import Said
from ..base import Health
from . import aliases, mapping


def _mapping_problem(found_mapping):
    found = found_mapping.get("properties", {})
    expected = mapping.mappings()["properties"]
    missing = sorted(set(expected) - set(found))
    if missing:
        return Said("missing-fields", fields=", ".join(missing))
    for name in mapping.ANALYSED_FIELDS:
        if found[name].get("analyzer") != "pre_analyzed":
            return Said("field-not-analysed", name=name)
    if found_mapping.get("_meta", {}).get("analysis_version") != ANALYSIS_VERSION:
        return Said("old-analysis")
    return ""


def inspect(backend):
    conn, alias = backend.conn, backend.alias
    hosts = ",".join(str(h.get("host", h)) + f":{h.get('port', '')}" for h in conn.transport.hosts)
    health = Health(path=f"opensearch://{hosts}/{alias}", live="", exists=False, usable=False)
    try:
        names = aliases.concrete(conn, alias)
        health.rebuilding = aliases.rebuilding(conn, alias)
        if not names:
            health.error = Said("no-alias-index", alias=repr(alias))
            return health
        health.exists, health.live = True, names[0]
        if len(names) > 1:
            health.error = Said(
                "alias-ambiguous", alias=repr(alias), count=len(names), names=", ".join(names)
            )
            return health
        status = conn.cluster.health(index=health.live, timeout="10s")["status"]
        if status == "red":
            health.error = Said("shards-missing", index=health.live)
            return health
        found = conn.indices.get_mapping(index=health.live)[health.live]["mappings"]
        if problem := _mapping_problem(found):
            health.error = problem
            return health
        stats = conn.indices.stats(index=health.live, metric="docs,store,segments")
        primaries = stats["indices"][health.live]["primaries"]
        health.documents = conn.count(index=alias)["count"]
        health.segments = primaries["segments"]["count"]
        health.size_bytes = stats["indices"][health.live]["total"]["store"]["size_in_bytes"]
    except (ClusterUnreachable, TransportError) as exc:
        health.error = Said("cluster-unreachable", error=str(exc))
        return health
    health.usable = True
    return health
