#!/usr/bin/env bash
# Port-out validation latency over HTTP, with Bandwidth's challenge flow and bcrypt PIN hashes.
# Writes a directory of SUBSCRIBERS subscribers (each its own random PIN, hashed by the node's PinHasher at
# bcrypt cost COST), starts a node on it (bench/flood.sh) and sends port-outs at RATE per second for DURATION,
# each for a random subscriber with the right PIN, so every request costs one bcrypt check.
#   bench/portout.sh                           # 50/s for 2 minutes, cost 10
#   COST=8 bench/portout.sh
#   bench/portout.sh --mix=orders=1,guess=1    # any Flood option can be added or overridden
#   FLOOD_ALSO="--mix=guess=1 --concurrency=32 --duration=2m" bench/portout.sh --mix=orders=1 --rate=200
#                                              # order intake measured while PINs are guessed (bench/flood.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/numbers-router.jar ] || mvn -B -q package -DskipTests
cost=${COST:-10} count=${SUBSCRIBERS:-500}
dir=$(mktemp -d /tmp/numbers-router-portout.XXXXXX)
echo "tn,pin,account,zip" > "$dir/requests.csv"
for i in $(seq 1 "$count"); do
    printf '+1919556%04d,%06d,ACCT-B%04d,27606\n' "$i" "$(( (RANDOM * 32768 + RANDOM) % 1000000 ))" "$i"
done >> "$dir/requests.csv"
tail -n +2 "$dir/requests.csv" | cut -d, -f2 \
    | java -cp target/numbers-router.jar -Dloader.main=com.numbersrouter.portout.PinHasher \
        org.springframework.boot.loader.launch.PropertiesLauncher --cost="$cost" > "$dir/hashes.txt"
{
    echo "telephone_number,account_number,pin_hash,zip_code,subscriber_name,active"
    paste -d, <(tail -n +2 "$dir/requests.csv" | cut -d, -f1,3) "$dir/hashes.txt" \
        | awk -F, '{print $1","$2","$3",27606,Bench Subscriber "NR",true"}'
} > "$dir/subscribers.csv"
echo "$count subscribers, bcrypt cost $cost, in $dir"
export NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE="$dir/subscribers.csv"
# an empty rules file: the shipped defaults, whatever config/portout-rules.yaml says
: > "$dir/portout-rules.yaml"
export NUMBERS_ROUTER_PORTOUT_RULES_FILE="$dir/portout-rules.yaml"
[ -z "${FLOOD_ALSO:-}" ] || export FLOOD_ALSO="$FLOOD_ALSO --subscribers=$dir/requests.csv"
exec bench/flood.sh --rate=50 --concurrency=16 --duration=2m --report-every=30s --mix=portout=1 \
    --challenge=true --subscribers="$dir/requests.csv" "$@"
