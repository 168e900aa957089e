#!/usr/bin/env bash
# A local 3-node OpenSearch cluster on 127.0.0.1, one JVM per node (see README.md beside this).
#   cluster.sh start      start every node not running, wait for yellow with 3 nodes, print health
#   cluster.sh stop       SIGTERM each node (SIGKILL after 30 s), remove the pid files
#   cluster.sh node N     (re)start node N alone: stop it if it runs, start it, wait for it to rejoin
#   cluster.sh kill N     SIGKILL node N's JVM (for fault tests)
#   cluster.sh status     which nodes run, and the cluster health if one answers
# Needs the launcher built into $CLUSTER_DIR/lib (the Makefile's cluster target does it).
set -euo pipefail

CLUSTER_DIR=${CLUSTER_DIR:-$(cd "$(dirname "$0")/../../../.." && pwd)/var/cluster}
SRC_DIR=$(cd "$(dirname "$0")" && pwd)
JAVA=${JAVA:-java}
HEAP=${CLUSTER_HEAP:-512m}
NODES=(1 2 3)
HTTP_BASE=9200       # node N answers HTTP on 9200+N
TRANSPORT_BASE=9300  # and talks to the others on 9300+N
RUN=$CLUSTER_DIR/run
LOGS=$CLUSTER_DIR/logs
HEALTH_URL="http://127.0.0.1:$((HTTP_BASE + 1))/_cluster/health?wait_for_nodes=3&wait_for_status=yellow&timeout=120s&pretty"

pidfile() { echo "$RUN/node-$1.pid"; }

# A process that exited but is not reaped yet (a zombie) still answers kill -0: it is not alive.
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# The pid of node N's JVM if it runs (a stale pid file, or a pid reused by another program, is not it).
running_pid() {
  local f pid
  f=$(pidfile "$1")
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "ArchiveClusterNode .*-Enode.name=node-$1 " || return 1
  echo "$pid"
}

seed_hosts() {
  local n hosts=()
  for n in "${NODES[@]}"; do hosts+=("127.0.0.1:$((TRANSPORT_BASE + n))"); done
  (IFS=,; echo "${hosts[*]}")
}

# Class data sharing: node-1's JVM dumps the classes it loaded to an archive when it exits (the
# first make cluster-stop), and every later start maps that archive, which about halves the start
# (the three JVMs load some 14,000 classes at once on 2 cores) and saves ~80 MB RSS per node.
# One archive per java binary (an archive only fits the JVM that wrote it) and per build (the
# Makefile removes var/cluster/cds with var/cluster/lib); an unusable one is ignored by the JVM.
cds_flag() {
  local java archive
  java=$(readlink -f "$(command -v "$JAVA")")
  archive=$CLUSTER_DIR/cds/classes-$(printf '%s' "$java" | md5sum | cut -c1-12).jsa
  if [ -s "$archive" ]; then
    echo "-XX:SharedArchiveFile=$archive"
  elif [ "$1" = 1 ]; then
    mkdir -p "$CLUSTER_DIR/cds"; echo "-XX:ArchiveClassesAtExit=$archive -Xlog:cds=error"
  fi
}

start_node() {
  local n=$1 home=$CLUSTER_DIR/node-$1
  if pid=$(running_pid "$n"); then echo "node-$n already runs (pid $pid)"; return 0; fi
  ls "$CLUSTER_DIR"/lib/archive-cluster-node-*.jar >/dev/null 2>&1 \
    || { echo "no launcher in $CLUSTER_DIR/lib: run make cluster" >&2; exit 1; }
  mkdir -p "$home/config" "$home/data" "$home/tmp" "$RUN" "$LOGS"
  cp "$SRC_DIR/log4j2.properties" "$home/config/log4j2.properties"
  echo "starting node-$n: http 127.0.0.1:$((HTTP_BASE + n)), transport $((TRANSPORT_BASE + n)), log $LOGS/node-$n.log"
  # JVM flags: the distribution's jvm.options that matter here (see README.md).
  setsid nohup "$JAVA" \
    -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -Xss1m \
    -Djava.io.tmpdir="$home/tmp" -Dfile.encoding=UTF-8 -Djava.awt.headless=true \
    -Djava.locale.providers=SPI,COMPAT \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dio.netty.allocator.numDirectArenas=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    -Djna.nosys=true -XX:-OmitStackTraceInFastThrow -XX:+ShowCodeDetailsInExceptionMessages \
    -XX:+ExitOnOutOfMemoryError $(cds_flag "$n") \
    -cp "$CLUSTER_DIR/lib/*" org.archive.cluster.ArchiveClusterNode \
    -Enode.name="node-$n" \
    -Ecluster.name=archive-cluster \
    -Epath.home="$home" -Epath.data="$home/data" -Epath.logs="$LOGS" \
    -Enetwork.host=127.0.0.1 \
    -Ehttp.port=$((HTTP_BASE + n)) -Etransport.port=$((TRANSPORT_BASE + n)) \
    -Ediscovery.seed_hosts="$(seed_hosts)" \
    -Ecluster.initial_cluster_manager_nodes=node-1,node-2,node-3 \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    >"$LOGS/node-$n.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$n")"
}

stop_node() {
  local n=$1 pid i
  pid=$(running_pid "$n") || { rm -f "$(pidfile "$n")"; return 0; }
  kill -TERM "$pid"
  for i in $(seq 1 60); do alive "$pid" || break; sleep 0.5; done
  if alive "$pid"; then echo "node-$n (pid $pid) still up after 30 s: SIGKILL"; kill -KILL "$pid"; fi
  while alive "$pid"; do sleep 0.2; done
  rm -f "$(pidfile "$n")"
  echo "node-$n stopped (pid $pid)"
}

# The nodes are orphans (setsid), so init reaps them, here a few seconds after they exit; wait
# for that (10 s at most) so that no <defunct> java is listed once stop returns.
await_reaped() {
  local pid i
  for pid in "$@"; do
    for i in $(seq 1 50); do [ -e "/proc/$pid" ] || break; sleep 0.2; done
    [ -e "/proc/$pid" ] && echo "pid $pid exited but is not reaped yet (zombie, holds no memory or port)"
  done
  return 0
}

# Wait until every node answers HTTP (a node joins the cluster before it binds its HTTP port, so
# health alone may count a node that still refuses connections), then for health >= yellow
# (or `status`) with 3 nodes, and print it.
wait_health() {
  local status=${1:-yellow} n i up
  for i in $(seq 1 240); do
    up=0
    for n in "${NODES[@]}"; do
      curl -sf -o /dev/null "http://127.0.0.1:$((HTTP_BASE + n))/" && up=$((up + 1))
    done
    if [ "$up" = "${#NODES[@]}" ]; then
      curl -sf "http://127.0.0.1:$((HTTP_BASE + 1))/_cluster/health?wait_for_nodes=3&wait_for_status=$status&timeout=120s&pretty" \
        && return 0
      echo "cluster not $status with 3 nodes within 120 s" >&2; return 1
    fi
    for n in "${NODES[@]}"; do
      if ! running_pid "$n" >/dev/null; then
        echo "node-$n does not run; last lines of $LOGS/node-$n.log:" >&2; tail -n 30 "$LOGS/node-$n.log" >&2; return 1
      fi
    done
    sleep 0.5
  done
  echo "not every node answered HTTP within 120 s" >&2; return 1
}

all_running() { local n; for n in "${NODES[@]}"; do running_pid "$n" >/dev/null || return 1; done; }

case ${1:-} in
  start)
    if all_running && curl -sf "$HEALTH_URL" >/dev/null 2>&1; then
      echo "cluster already up (pids $(cat "$RUN"/node-*.pid | tr '\n' ' '))"
      curl -sf "http://127.0.0.1:$((HTTP_BASE + 1))/_cluster/health?pretty"
      exit 0
    fi
    for n in "${NODES[@]}"; do start_node "$n"; done
    wait_health yellow ;;
  stop)
    pids=$(cat "$RUN"/node-*.pid 2>/dev/null || true)
    for n in "${NODES[@]}"; do stop_node "$n"; done
    await_reaped $pids ;;
  node)
    n=${2:?usage: cluster.sh node N}
    stop_node "$n"; start_node "$n"; wait_health yellow
    echo "node-$n rejoined; waiting for green:"
    curl -sf "http://127.0.0.1:$((HTTP_BASE + n))/_cluster/health?wait_for_status=green&timeout=120s&pretty" ;;
  kill)
    n=${2:?usage: cluster.sh kill N}
    pid=$(running_pid "$n") || { echo "node-$n does not run" >&2; exit 1; }
    kill -KILL "$pid"; echo "node-$n SIGKILLed (pid $pid)" ;;
  status)
    for n in "${NODES[@]}"; do
      if pid=$(running_pid "$n"); then echo "node-$n runs (pid $pid)"; else echo "node-$n down"; fi
    done
    for n in "${NODES[@]}"; do
      curl -sf "http://127.0.0.1:$((HTTP_BASE + n))/_cluster/health?pretty" && break
    done || true ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
