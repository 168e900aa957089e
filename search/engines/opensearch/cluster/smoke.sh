#!/usr/bin/env bash
# End-to-end check of a running local cluster (make cluster first): an index of 3 shards and
# 1 replica with a whitespace-analyzed field, BM25 search and a terms aggregation, then node 2
# SIGKILLed (searches must still answer, yellow), restarted, and green again. Bounded: each
# wait is at most 120 s. Leaves the cluster running and deletes its index.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CLUSTER="$HERE/cluster.sh"
B=http://127.0.0.1:9201
C=http://127.0.0.1:9203   # asked while node 2 is down, whichever node is cluster manager
INDEX=smoke-articles
trap 'echo "smoke: failed at line $LINENO"; echo "smoke: 0 passed, 1 failed"' ERR
json() { curl -sf -H 'Content-Type: application/json' "$@"; }
check() { python3 -c "import json,sys; r=json.load(sys.stdin); $1"; }

curl -s -XDELETE "$B/$INDEX" >/dev/null
json -XPUT "$B/$INDEX" -d '{
  "settings": {"number_of_shards": 3, "number_of_replicas": 1},
  "mappings": {"properties": {"title": {"type": "text", "analyzer": "whitespace"},
                              "section": {"type": "keyword"}}}}' >/dev/null
i=0
for doc in '{"title":"Flood waters rise in the valley","section":"news"}' \
           '{"title":"valley vineyards recover after the flood","section":"business"}' \
           '{"title":"Council votes on flood defences","section":"news"}' \
           '{"title":"Festival returns to the valley","section":"culture"}' \
           '{"title":"Flood-Warnings lifted","section":"news"}'; do
  i=$((i + 1)); json -XPUT "$B/$INDEX/_doc/$i" -d "$doc" >/dev/null
done
curl -sf -XPOST "$B/$INDEX/_refresh" >/dev/null
curl -sf "$B/_cluster/health/$INDEX?wait_for_status=green&timeout=120s" | check 'assert r["status"] == "green", r'

SEARCH='{"query": {"match": {"title": "flood valley"}}, "aggs": {"sections": {"terms": {"field": "section"}}}}'
search() {  # $1: node URL; prints hits; whitespace analysis: "Flood" and "Flood-Warnings" do not match "flood"
  json "$1/$INDEX/_search?search_type=dfs_query_then_fetch" -d "$SEARCH" | check '
assert r["_shards"]["failed"] == 0, r["_shards"]
ids = [h["_id"] for h in r["hits"]["hits"]]
assert sorted(ids) == ["1", "2", "3", "4"], ids
assert ids[0] == "2", ids  # the only title with both terms
buckets = {b["key"]: b["doc_count"] for b in r["aggregations"]["sections"]["buckets"]}
assert buckets == {"news": 2, "business": 1, "culture": 1}, buckets
print("  hits", [(h["_id"], round(h["_score"], 3)) for h in r["hits"]["hits"]], "sections", buckets)'
}
echo "search (BM25, dfs) + terms aggregation:"; search "$B"

echo "SIGKILL node-2:"; "$CLUSTER" kill 2
curl -sf "$C/_cluster/health?wait_for_nodes=2&wait_for_status=yellow&timeout=120s" \
  | check 'assert r["number_of_nodes"] == 2 and r["status"] == "yellow", r; print("  health", r["status"], r["number_of_nodes"], "nodes")'
echo "search with node-2 down:"; search "$C"

echo "restart node-2:"; "$CLUSTER" node 2 | grep -E '"status"|rejoined'
curl -sf "$B/_cluster/health?wait_for_nodes=3&wait_for_status=green&timeout=120s" \
  | check 'assert r["status"] == "green" and r["number_of_nodes"] == 3, r; print("  health", r["status"], r["number_of_nodes"], "nodes")'
echo "search after the restart:"; search "http://127.0.0.1:9202"
curl -sf -XDELETE "$B/$INDEX" >/dev/null
echo "smoke: 1 passed, 0 failed"
