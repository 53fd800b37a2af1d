#!/usr/bin/env bash
# Slow clients (slow-loris) against a node: bench/SlowClients.java keeps CONNECTIONS (default 2000) connections with
# no credentials sending their request a piece at a time (SLOW=body: a byte of body every 2 s; SLOW=headers: a header
# line every 2 s), and sends one authenticated order every 2 s beside them. The node (bench/node.sh: zero-config,
# the Dockerfile's JVM options) is sampled every 5 s: resident memory and heap used; at the end, whether it is still
# running.
#   mvn -B -q package -DskipTests && bench/slow-clients.sh
#   SLOW=headers CONNECTIONS=8000 bench/slow-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/node.sh
source bench/node.sh
start_node
samples=$NODE_WORK/memory.log
(while kill -0 "$NODE_PID" 2>/dev/null; do
    echo "$(node_rss_mib) $(jstat -gc "$NODE_PID" 2>/dev/null | awk 'NR == 2 { print int(($3 + $4 + $6 + $8) / 1024) }')"
    sleep 5
done) > "$samples" &
java bench/SlowClients.java --slow="${SLOW:-body}" --connections="${CONNECTIONS:-2000}" --duration="${DURATION:-60s}"
if kill -0 "$NODE_PID" 2>/dev/null; then state="still running"; else state="NOT running"; fi
echo "node: $state; resident memory up to $(sort -n "$samples" | tail -1 | cut -d' ' -f1) MiB," \
     "heap used up to $(cut -d' ' -f2 "$samples" | sort -n | tail -1) MiB;" \
     "OutOfMemoryError in its log: $(grep -c OutOfMemoryError "$NODE_WORK/stdout.log" || true)"
