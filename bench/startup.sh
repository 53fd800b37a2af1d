#!/usr/bin/env bash
# Start-up to readiness (launch of `java` to /actuator/health/readiness answering 200), three ways, RUNS times each
# (default 5, taken in turns so a busy moment hits all three), then min and median of each:
#   fat jar          java -jar target/numbers-router.jar, as bench/node.sh starts it
#   extracted jar    the image's /app without its class data sharing archive: java -jar numbers-router.jar
#   extracted + CDS  the image's ENTRYPOINT, with the archive of the image's training run
# There is no Docker here, so the image's steps are done by hand, read from the Dockerfile itself: its extract
# command, its layers in its COPY order, its training RUN (run as it is written, with its JAVA_TOOL_OPTIONS and
# nothing else in the environment) and its ENTRYPOINT. A Dockerfile whose training or archive does not work fails
# here too. Every start: the zero-config node, fresh data, the Dockerfile's JVM options under NODE_MEMORY (1g).
# Last, one more start with -Xshare:on and a class-loading log shows that the JVM really uses the archive.
#   mvn -B -q package -DskipTests && bench/startup.sh          (RUNS=10 for more)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
. bench/node.sh
[ -f target/numbers-router.jar ] || mvn -B -q package -DskipTests

# The Dockerfile's instructions, one a line: continuation lines joined, comments left out.
instructions=$(awk '/^[[:space:]]*#/ { next }
    { line = line $0 } /\\$/ { sub(/\\$/, "", line); next } { if (line ~ /[^[:space:]]/) print line; line = "" }' Dockerfile)
jvm_options=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile)
image=$(mktemp -d /tmp/numbers-router-image.XXXXXX)
app=$image/app
mkdir -p "$app/data"

# Build stage: the same extract command, into this folder instead of the build stage's.
extract=$(grep -o 'java -Djarmode=tools [^&;]*' <<< "$instructions" | sed 's/ *$//')
read -ra extract <<< "${extract% --destination *}"
"${extract[@]}" --destination "$image/extracted" > /dev/null

# Runtime stage: the layers copied over each other in the Dockerfile's order (cp -a keeps the jars' times, which the
# archive records, as COPY does), then the routes and config.
layers=$(sed -n 's|^COPY --from=build /build/extracted/\([^/ ]*\)/\{0,1\} \./\{0,1\}$|\1|p' <<< "$instructions")
[ -n "$layers" ] || { echo "no COPY --from=build of the extracted layers in the Dockerfile"; exit 1; }
for layer in $layers; do
    cp -a "$image/extracted/$layer/." "$app/"
done
cp -r routes "$app/"

# cds stage: the training RUN as written, in the image's /app, with the image's JAVA_TOOL_OPTIONS.
training=$(grep -e '-XX:ArchiveClassesAtExit=' <<< "$instructions" | sed 's/^RUN //')
archive=$(grep -o 'XX:ArchiveClassesAtExit=[^ ]*' <<< "$training" | cut -d= -f2)
echo "training run (log: $image/training.log): $(tr -s ' ' <<< "$training")"
trained=$(date +%s%N)
if ! (cd "$app" && env -i PATH="$PATH" HOME="$HOME" JAVA_TOOL_OPTIONS="$jvm_options" sh -c "$training") \
        > "$image/training.log" 2>&1; then
    echo "the training run failed:"; grep -v '\[cds\]' "$image/training.log" | tail -20; exit 1
fi
echo "archive $archive: $(du -m "$app/$archive" | cut -f1) MiB, trained in $(( ($(date +%s%N) - trained) / 1000000 )) ms"
[ -z "$(ls -A "$app/data")" ] || { echo "the training run left data in data/: $(ls "$app/data")"; exit 1; }
# The image holds no config/: docker-compose.yml mounts ./config at /app/config, as this does for the starts below.
cp -r config "$app/"

# The image's ENTRYPOINT, and the same without the archive.
read -ra with_cds <<< "$(sed -n 's/^ENTRYPOINT \[\(.*\)\]$/\1/p' <<< "$instructions" | sed 's/", *"/ /g; s/"//g')"
without_cds=()
for word in "${with_cds[@]}"; do
    [[ $word == -XX:SharedArchiveFile=* ]] || without_cds+=("$word")
done

declare -A ready=()
configurations=("fat jar" "extracted jar" "extracted + CDS")
for ((run = 1; run <= runs; run++)); do
    for configuration in "${configurations[@]}"; do
        case $configuration in
            "fat jar") NODE_DIR= ;;
            "extracted jar") NODE_DIR=$app; NODE_COMMAND=("${without_cds[@]}") ;;
            *) NODE_DIR=$app; NODE_COMMAND=("${with_cds[@]}") ;;
        esac
        echo -n "run $run/$runs, $configuration: "
        start_node
        ready[$configuration]+="$NODE_READY_MS "
        stop_node
        [ -n "$NODE_DIR" ] || rm -rf "$NODE_WORK"
    done
done

# -Xshare:on: the JVM refuses to start rather than silently run without the archive.
NODE_DIR=$app
NODE_COMMAND=("${with_cds[0]}" -Xshare:on "-Xlog:class+load:file=$image/classes.log" "${with_cds[@]:1}")
echo -n "check, the ENTRYPOINT with -Xshare:on and a class-loading log: "
start_node
stop_node
from_archive=$(grep -c 'source: shared objects file (top)' "$image/classes.log" || true)
loaded=$(grep -c 'source: ' "$image/classes.log" || true)
echo "by readiness the JVM had loaded $loaded classes, $from_archive of them ($(( 100 * from_archive / loaded ))%) from $archive"

echo
echo "start-up to readiness, ms, $runs starts each ($(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
for configuration in "${configurations[@]}"; do
    # shellcheck disable=SC2086
    sorted=$(printf '%s\n' ${ready[$configuration]} | sort -n)
    median=$(awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }' <<< "$sorted")
    printf '  %-16s min %6d   median %6d   (%s)\n' "$configuration" "$(head -1 <<< "$sorted")" "$median" \
        "$(tr '\n' ' ' <<< "$sorted" | sed 's/ $//')"
done
echo "image folder: $app"
