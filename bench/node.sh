# Sourced by the bench scripts: start_node starts a node from target/numbers-router.jar in its zero-config form
# (in-process broker and SMTP server) in a fresh folder of its own, with copies of routes/ and config/ (edits in
# the repository during a run must not reach it) and the Dockerfile's JVM options under a container memory limit
# of NODE_MEMORY (default 768m, as docker-compose.yml sets), and the Dockerfile's MALLOC_ARENA_MAX. It is stopped gracefully when the script exits.
# After start_node: NODE_PID, NODE_WORK (its folder: data/, stdout.log) and NODE_READY_MS (launch to readiness).
# stop_node stops it gracefully (SIGTERM, as `docker stop`) and waits for it to exit.
#
# To start it the way the image does (bench/startup.sh): NODE_DIR, a folder laid out like the image's /app (the
# extracted jar, lib/, routes/, config/), is used instead of a fresh folder (its data/ is removed first, as in a new
# container), and the array NODE_COMMAND (such as the Dockerfile's ENTRYPOINT) is run there instead of `java -jar`;
# the JVM options then reach it as JAVA_TOOL_OPTIONS, as in the image.

start_node() {
    [ -f target/numbers-router.jar ] || mvn -B -q package -DskipTests
    local repo memory jvm_options launched readiness
    repo=$(pwd)
    memory=${NODE_MEMORY:-768m}
    jvm_options=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile)
    export MALLOC_ARENA_MAX
    MALLOC_ARENA_MAX=$(sed -n 's/^ *MALLOC_ARENA_MAX=\([0-9]*\).*/\1/p' Dockerfile)
    readiness=localhost:${MANAGEMENT_PORT:-8081}/actuator/health/readiness
    # Another node on the port would answer the readiness probe and be timed instead.
    if curl -s -o /dev/null "$readiness"; then
        echo "something already answers on ${readiness%%/*}: stop it, or set MANAGEMENT_PORT (and PORT)"
        exit 1
    fi
    if [ -n "${NODE_DIR:-}" ]; then
        NODE_WORK=$NODE_DIR
        rm -rf "$NODE_WORK/data" "$NODE_WORK/stdout.log"
    else
        NODE_WORK=$(mktemp -d /tmp/numbers-router-bench.XXXXXX)
        cp -r routes config "$NODE_WORK/"
    fi
    export WEBHOOK_USERNAME=bandwidth WEBHOOK_PASSWORD=bench NUMBERS_ROUTER_EMBEDDED_BROKER_CONNECTOR=
    launched=$(date +%s%N)
    if [ -n "${NODE_DIR:-}" ]; then
        (cd "$NODE_WORK" && export JAVA_TOOL_OPTIONS="-XX:MaxRAM=$memory $jvm_options" \
            && exec "${NODE_COMMAND[@]}" > "$NODE_WORK/stdout.log" 2>&1) &
    else
        # shellcheck disable=SC2086
        (cd "$NODE_WORK" && exec java -XX:MaxRAM="$memory" $jvm_options -jar "$repo/target/numbers-router.jar" \
            > "$NODE_WORK/stdout.log" 2>&1) &
    fi
    NODE_PID=$!
    trap stop_node EXIT
    until curl -fs "$readiness" > /dev/null 2>&1; do
        kill -0 "$NODE_PID" 2>/dev/null || { echo "node did not start: $NODE_WORK/stdout.log"; exit 1; }
        sleep 0.05
    done
    NODE_READY_MS=$(( ($(date +%s%N) - launched) / 1000000 ))
    echo "node pid $NODE_PID ready in $NODE_READY_MS ms; memory limit $memory, JVM options $jvm_options; folder $NODE_WORK"
}

stop_node() {
    [ -n "${NODE_PID:-}" ] || return 0
    kill "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null || true
    NODE_PID=
}

node_rss_mib() {
    awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$NODE_PID/status"
}
