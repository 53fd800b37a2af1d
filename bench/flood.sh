#!/usr/bin/env bash
# Starts a node from target/numbers-router.jar (zero-config: in-process broker and SMTP, fresh data folders) with
# the JVM options of the Dockerfile in a container with a memory limit of NODE_MEMORY (default 1g, as
# docker-compose.yml sets),
# then runs bench/Flood.java against it with the arguments given, and stops the node gracefully.
#   bench/flood.sh --duration=10m --concurrency=400          # the flood of the README's "Capacity" section
#   bench/flood.sh --duration=2m --rate=50 --concurrency=16 --mix=portout=1 --challenge=true
# FLOOD_ALSO="--option=value ..." runs a second load generator beside the first, against the same node (its report
# follows the first one's): for example steady orders measured while a port-out brute-force burst runs.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/numbers-router.jar ] || mvn -B -q package -DskipTests
work=$(mktemp -d /tmp/numbers-router-bench.XXXXXX)
memory=${NODE_MEMORY:-1g}
jvm_options=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile)
export WEBHOOK_USERNAME=bandwidth WEBHOOK_PASSWORD=bench
export NUMBERS_ROUTER_SPOOL_DIRECTORY="$work/spool" NUMBERS_ROUTER_EMBEDDED_BROKER_DATA_DIRECTORY="$work/activemq"
export NUMBERS_ROUTER_EMBEDDED_BROKER_CONNECTOR= NUMBERS_ROUTER_PORTOUT_AUDIT_DIRECTORY="$work/portout-decisions"

# The Dockerfile's JVM options, with the container's memory limit stated.
# shellcheck disable=SC2086
java -XX:MaxRAM="$memory" $jvm_options -jar target/numbers-router.jar \
    > "$work/stdout.log" 2>&1 &
node=$!
trap 'kill "$node" 2>/dev/null; wait "$node" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
    curl -fs localhost:8081/actuator/health/readiness > /dev/null 2>&1 && break
    sleep 0.5
done
echo "node pid $node, memory limit $memory, JVM options $jvm_options, data and logs in $work"
if [ -n "${FLOOD_ALSO:-}" ]; then
    # shellcheck disable=SC2086
    java bench/Flood.java --management= $FLOOD_ALSO > "$work/also.out" 2>&1 &
    also=$!
fi
java bench/Flood.java --pid="$node" "$@"
if [ -n "${FLOOD_ALSO:-}" ]; then
    wait "$also" || true
    echo; echo "beside it: $FLOOD_ALSO"; cat "$work/also.out"
fi
echo "node log: $work/stdout.log"
