#!/usr/bin/env bash
# How fast the local spool empties once the broker is back: NOTIFICATIONS order notifications (default 20,000) are
# written into a spool folder the way the node spools them, then a node (bench/node.sh, zero-config, in-process
# broker) starts on it and forwards them; the script polls the spool depth gauge until it reads 0.
#   mvn -B -q package -DskipTests && bench/spool-drain.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/node.sh
source bench/node.sh
count=${NOTIFICATIONS:-20000}
spool=$(mktemp -d /tmp/numbers-router-spool.XXXXXX)
received=$(date +%s%3N)
for n in $(seq 1 "$count"); do
    # <received millis>-<sequence>.xml: the name NotificationSpool gives a file; the body is the XML as received
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<Notification><SubscriptionId>0d2c1f86-5b3e-4a8e-9c41-7f0e2b1a9d33</SubscriptionId><OrderType>portins</OrderType><OrderId>spooled-%d</OrderId><Status>COMPLETE</Status><LastModifiedDate>2026-11-28T02:00:00.000Z</LastModifiedDate></Notification>\n' \
        "$n" > "$spool/$(printf '%013d-%012d' "$received" "$n").xml"
done
export NUMBERS_ROUTER_SPOOL_DIRECTORY=$spool
depth() {
    curl -s "localhost:${MANAGEMENT_PORT:-8081}/actuator/prometheus" | awk '/^numbers_router_spool_depth / { print int($2) }'
}
start_node
ready=$(date +%s%N)
at_ready=$(depth)
until [ "$(depth)" = 0 ]; do
    kill -0 "$NODE_PID" 2>/dev/null || { echo "node stopped: $NODE_WORK/stdout.log"; exit 1; }
    sleep 0.1
done
ms=$(( ($(date +%s%N) - ready) / 1000000 ))
echo "spool: $count notifications; $at_ready still spooled at readiness, forwarded in $ms ms after it" \
     "($(( at_ready * 1000 / (ms > 0 ? ms : 1) ))/s)"
stop_node
rm -rf "$spool"
