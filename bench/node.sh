# Sourced by the bench scripts: start_node starts a node from target/numbers-router.jar in its zero-config form
# (in-process broker and SMTP server) in a fresh folder of its own, with copies of routes/ and config/ (edits in
# the repository during a run must not reach it) and the Dockerfile's JVM options under a container memory limit
# of NODE_MEMORY (default 1g, as docker-compose.yml sets). It is stopped gracefully when the script exits.
# After start_node: NODE_PID, NODE_WORK (its folder: data/, stdout.log) and NODE_READY_MS (launch to readiness).

start_node() {
    [ -f target/numbers-router.jar ] || mvn -B -q package -DskipTests
    local repo memory jvm_options launched
    repo=$(pwd)
    NODE_WORK=$(mktemp -d /tmp/numbers-router-bench.XXXXXX)
    cp -r routes config "$NODE_WORK/"
    memory=${NODE_MEMORY:-1g}
    jvm_options=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\([^"]*\)".*/\1/p' Dockerfile)
    export WEBHOOK_USERNAME=bandwidth WEBHOOK_PASSWORD=bench NUMBERS_ROUTER_EMBEDDED_BROKER_CONNECTOR=
    launched=$(date +%s%N)
    # shellcheck disable=SC2086
    (cd "$NODE_WORK" && exec java -XX:MaxRAM="$memory" $jvm_options -jar "$repo/target/numbers-router.jar" \
        > "$NODE_WORK/stdout.log" 2>&1) &
    NODE_PID=$!
    trap 'kill "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null || true' EXIT
    until curl -fs localhost:8081/actuator/health/readiness > /dev/null 2>&1; do
        kill -0 "$NODE_PID" 2>/dev/null || { echo "node did not start: $NODE_WORK/stdout.log"; exit 1; }
        sleep 0.05
    done
    NODE_READY_MS=$(( ($(date +%s%N) - launched) / 1000000 ))
    echo "node pid $NODE_PID ready in $NODE_READY_MS ms; memory limit $memory, JVM options $jvm_options; folder $NODE_WORK"
}

node_rss_mib() {
    awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$NODE_PID/status"
}
