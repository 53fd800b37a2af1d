#!/usr/bin/env bash
# Port-out validation latency over HTTP, with Bandwidth's challenge flow and bcrypt PIN hashes: a directory of
# SUBSCRIBERS subscribers hashed at bcrypt cost COST (bench/subscribers.sh), a node on it (bench/node.sh), and
# port-outs at 50 per second for 2 minutes, each for a random subscriber with the right PIN, so every request costs
# one bcrypt check. Any Flood option can be added or overridden:
#   COST=7 bench/portout.sh --warmup=30s
#   FLOOD_ALSO="--mix=guess=1 --concurrency=32 --duration=2m" bench/portout.sh --mix=orders=1 --rate=200
#                                              # order intake measured while PINs are guessed
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(bench/subscribers.sh)
echo "${SUBSCRIBERS:-500} subscribers, bcrypt cost ${COST:-10}, in $dir"
export NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE="$dir/subscribers.csv" NUMBERS_ROUTER_PORTOUT_RULES_FILE="$dir/portout-rules.yaml"
[ -z "${FLOOD_ALSO:-}" ] || export FLOOD_ALSO="$FLOOD_ALSO --subscribers=$dir/requests.csv"
exec bench/flood.sh --rate=50 --concurrency=16 --duration=2m --report-every=30s --mix=portout=1 \
    --challenge=true --subscribers="$dir/requests.csv" "$@"
