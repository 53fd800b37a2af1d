#!/usr/bin/env bash
# Starts a node (bench/node.sh) and runs bench/Flood.java against it with the arguments given:
#   bench/flood.sh --duration=10m --concurrency=400          # the flood of the README's "Capacity" section
#   bench/flood.sh --duration=2m --rate=50 --concurrency=16 --mix=portout=1 --challenge=true
# FLOOD_ALSO="--option=value ..." runs a second load generator beside the first, against the same node (its report
# follows the first one's): for example steady orders measured while a port-out brute-force burst runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/node.sh
start_node
if [ -n "${FLOOD_ALSO:-}" ]; then
    # shellcheck disable=SC2086
    java bench/Flood.java --management= $FLOOD_ALSO > "$NODE_WORK/also.out" 2>&1 &
    also=$!
fi
java bench/Flood.java --pid="$NODE_PID" "$@"
if [ -n "${FLOOD_ALSO:-}" ]; then
    wait "$also" || true
    echo; echo "beside it: $FLOOD_ALSO"; cat "$NODE_WORK/also.out"
fi
echo "node log: $NODE_WORK/stdout.log"
