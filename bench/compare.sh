#!/usr/bin/env bash
# One node, one run, one machine: the bare Spring MVC ceiling against order, event and port-out intake.
#   baseline  an order posted to /bench/baseline, a bare endpoint in the node's own JVM that parses nothing
#   orders    end to end: answered 200 only once the persistent JMS send to the in-process broker is on disk
#   events    the same onto the event queue (the alert mail is sent afterwards, asynchronously)
#   portout   validated against a directory hashed at bcrypt cost COST (default 7), audited and published
#   portout-nopin  the same for subscribers with no PIN on file: rules, audit journal and publish, no bcrypt check
# Each is driven to saturation (CONCURRENCY clients, default 32, back to back, after a WARMUP), with wrk
# (bench/wrk/webhook.lua) where it is installed (`apt-get install wrk`), else with bench/Flood.java. Port-outs with
# a PIN, which need the subscriber's PIN per request, always use Flood.java. Then each runs at a fixed RATE per second
# (default 1000; port-outs at PORTOUT_RATE, default 50, those without a PIN at PORTOUT_NOPIN_RATE, default 250) with
# Flood.java for p50/p99, timed from each request's planned start. Preemptive Basic auth, one request per webhook.
# Then start-up and RSS are printed.
#   bench/compare.sh                 # PHASE=30s per measurement after a WARMUP=30s
#   KINDS="baseline portout-nopin" bench/compare.sh     # only these kinds (the baseline is what ratios are to)
set -euo pipefail
cd "$(dirname "$0")/.."
phase=${PHASE:-30s} warmup=${WARMUP:-30s} concurrency=${CONCURRENCY:-32} rate=${RATE:-1000}
dir=$(COST=${COST:-7} bench/subscribers.sh)
export NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE="$dir/subscribers.csv" NUMBERS_ROUTER_PORTOUT_RULES_FILE="$dir/portout-rules.yaml"
export NUMBERS_ROUTER_BENCH_BASELINE_ENDPOINT=true
. bench/node.sh
start_node
url=http://localhost:${PORT:-8080}/webhooks/bandwidth
flood() {
    local kind=$1 subscribers=$dir/requests.csv
    shift
    # Flood.java's port-out is one kind; the subscribers it asks about make it one with or without a PIN check.
    [ "$kind" != portout-nopin ] || { kind=portout; subscribers=$dir/requests-nopin.csv; }
    java bench/Flood.java --url="$url" --management= --subscribers="$subscribers" --report-every=3600s \
        --mix="$kind=1" "$@" | grep -E '^  [a-z]+ +statuses|^Total'
}
saturate() {
    if [ "$1" != portout ] && command -v wrk > /dev/null; then
        wrk -t2 -c"$concurrency" -d"$warmup" -s bench/wrk/webhook.lua "$url" -- "$1" > /dev/null
        echo "  wrk, $concurrency connections: $(wrk -t2 -c"$concurrency" -d"$phase" -s bench/wrk/webhook.lua "$url" -- "$1" | tail -1)"
    else
        flood "$1" --concurrency="$concurrency" --warmup="$warmup" --duration="$phase"
    fi
}
for kind in ${KINDS:-baseline orders events portout portout-nopin}; do
    echo "== $kind: saturation, $concurrency clients"
    saturate "$kind"
    steady=$rate
    [ "$kind" != portout ] || steady=${PORTOUT_RATE:-50}
    [ "$kind" != portout-nopin ] || steady=${PORTOUT_NOPIN_RATE:-250}
    echo "== $kind: $steady per second"
    flood "$kind" --concurrency="$concurrency" --rate="$steady" --warmup="$warmup" --duration="$phase"
done
echo "== node: ready $NODE_READY_MS ms after launch; RSS after the run $(node_rss_mib) MiB"
grep -o 'Started NumbersRouterApplication in [0-9.]* seconds' "$NODE_WORK/stdout.log" || true
