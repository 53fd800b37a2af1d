#!/usr/bin/env bash
# Writes a port-out subscriber directory for the benchmarks and prints its folder:
#   subscribers.csv    SUBSCRIBERS (default 500) subscribers, each with its own random PIN hashed by the node's
#                      PinHasher at bcrypt cost COST (default 10)
#                      and as many again with no PIN on file (+1919557nnnn, ACCT-Nnnnn), for port-outs without
#                      a bcrypt check
#   requests.csv       the subscribers with PINs, their PINs in clear, for bench/Flood.java --subscribers=
#   requests-nopin.csv the subscribers without (bench/wrk/webhook.lua's portout-nopin asks about the same ones)
#   portout-rules.yaml empty: the shipped rule defaults, whatever config/portout-rules.yaml says
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
    for i in $(seq 1 "$count"); do
        printf '+1919557%04d,ACCT-N%04d,,27606,Bench Subscriber N%d,true\n' "$i" "$i" "$i"
    done
} > "$dir/subscribers.csv"
{
    echo "tn,pin,account,zip"
    for i in $(seq 1 "$count"); do
        printf '+1919557%04d,000000,ACCT-N%04d,27606\n' "$i" "$i"
    done
} > "$dir/requests-nopin.csv"
: > "$dir/portout-rules.yaml"
echo "$dir"
