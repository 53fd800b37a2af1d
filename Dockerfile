# numbers-router container image.
#   docker build -t numbers-router .
#   docker compose up --build        (with ActiveMQ Classic and Mailpit; see docker-compose.yml)
# bench/startup.sh repeats the extraction, the training run and the start below without Docker, and times them.

# ---- build: compile the jar and split it into Spring Boot's layers ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# Dependencies first, so a source-only change reuses this (slow) layer.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline

COPY src ./src
# No --launcher: the application layer then holds numbers-router.jar, whose manifest lists the dependencies layer's
# lib/*.jar, and the node starts with `java -jar` from plain jars. Class data sharing archives classes from jars only,
# not from the launcher's exploded folders.
RUN mvn -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/numbers-router.jar extract --layers --destination extracted

# ---- runtime: the JRE, the node and its defaults (the image below, before its class data sharing archive) ----
FROM eclipse-temurin:17-jre AS runtime

# A fixed, numeric uid/gid so volume ownership is predictable and Kubernetes' runAsNonRoot can verify it.
# /app/data holds what the node writes (embedded broker store, local spool, port-out audit journal); beside it the
# node writes only Tomcat's work folders in /tmp (a read-only root file system needs both as volumes: README
# "Running on Kubernetes").
RUN groupadd --system --gid 10001 numbers \
 && useradd --system --uid 10001 --gid numbers --home-dir /app --no-create-home --shell /usr/sbin/nologin numbers \
 && mkdir -p /app/data \
 && chown numbers:numbers /app/data \
 && chmod 700 /app/data

WORKDIR /app

# Least to most often changed, so a code change rebuilds only the last layer. The code stays root-owned: read-only to the app.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# The routes are baked in as defaults; docker-compose.yml mounts the host's routes/ over them, so edits reach a running node.
# config/ is not (nor sent to the build: .dockerignore): it is where operators keep the subscriber directory (PIN
# hashes, account numbers, ZIPs, names), the port-out rules and an application.yaml with passwords, and an image
# pushed to a registry would hand them to whoever can pull it. docker-compose.yml mounts ./config at /app/config, the
# Kubernetes example mounts the directory from a Secret; without one the node does not start, naming the file.
COPY routes/ /app/routes/

# Memory: resident under 512 MiB after the benchmarks and through a 10-minute flood (480 to 489 MiB; README "Capacity"), so
# docker-compose.yml's 768 MiB limit leaves room. A fixed heap, because the in-memory bounds (broker cache, duplicate
# keys, digests) are fixed too: 224 MiB holds their ~150 MiB of live data under a flood. Serial GC, as the JVM itself
# picks on fewer than 2 GB, with the least memory beside the heap. Smaller thread stacks (about 300 threads),
# capped metaspace, code cache and direct buffers, and two malloc arenas instead of one per core and thread group.
# -XX:+ExitOnOutOfMemoryError: a node out of heap exits (and restarts) rather than limping on.
# -Xms64m: the start fills about 80 MiB of heap anyway; from the JVM's default (1/64 of the memory) it grew through three
# full collections (about 0.13 s of pauses). Resident memory when idle is the same either way (README "Start-up").
ENV JAVA_TOOL_OPTIONS="-Xms64m -Xmx224m -Xss512k -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=96m -XX:MaxDirectMemorySize=64m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2 \
    NUMBERS_ROUTER_ROUTES_DIRECTORY=/app/routes \
    NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE=/app/config/subscribers.csv

# ---- cds: a training run that writes the class data sharing archive (only the archive leaves this stage) ----
# The JVM maps the archive's classes instead of loading, verifying and linking them from the jars at each start: about
# 1.4 s less to readiness (median 5.6 s -> 4.2 s) (README "Capacity and benchmarks"). It is made on this stage's exact jars, paths and JVM
# options (JAVA_TOOL_OPTIONS above applies here too), which is what the JVM checks before using it.
FROM runtime AS cds

# Trained as the node's own user. The JVM writes the archive beside the jar, so here, and only in this throwaway
# stage, that user may write /app; the image gets a root-owned copy, read-only to the app like the code.
RUN chown numbers:numbers /app
USER 10001:10001

# The node in its zero-config form, with nothing outside the build: no OpenWire port, an empty subscriber directory
# and every data folder in a temporary folder (removed after; /app/data stays empty). camel.main.duration-max-seconds
# stops it (gracefully, exit status 0) just after it started, so the archive also holds what starting Tomcat and the
# routes loads; the reference docs' spring.context.exit=onRefresh stops before both, and starts 0.3 s slower.
# -XX:MaxRAM=1g (docker-compose.yml's limit) because a build has no memory limit: should JAVA_TOOL_OPTIONS lose its
# -Xmx, the heap would be sized from the build host, over 32 GB on a large one, without compressed pointers, and the
# JVM would refuse the archive in a container. -Xshare:on makes the last command fail the build if the JVM would not
# use the archive.
RUN training=$(mktemp -d) \
 && printf 'telephone_number,account_number,pin_hash,zip_code,subscriber_name,active\n' > "$training/subscribers.csv" \
 && NUMBERS_ROUTER_EMBEDDED_BROKER_CONNECTOR= \
    NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE="$training/subscribers.csv" \
    NUMBERS_ROUTER_EMBEDDED_BROKER_DATA_DIRECTORY="$training/activemq" \
    NUMBERS_ROUTER_SPOOL_DIRECTORY="$training/spool" \
    NUMBERS_ROUTER_PORTOUT_AUDIT_DIRECTORY="$training/portout-decisions" \
    java -XX:MaxRAM=1g -XX:ArchiveClassesAtExit=application.jsa -Dcamel.main.duration-max-seconds=1 -jar numbers-router.jar \
 && rm -rf "$training" \
 && java -XX:MaxRAM=1g -Xshare:on -XX:SharedArchiveFile=application.jsa -cp numbers-router.jar -version

# ---- the image ----
FROM runtime

COPY --from=cds /app/application.jsa ./

# 8080: webhooks. 8081: actuator (health, metrics), for operators only. 61616: the in-process broker's OpenWire connector, used only when no external broker is set.
# It requires the broker's username and password (NUMBERS_ROUTER_EMBEDDED_BROKER_USERNAME/_PASSWORD; unset, a password is generated and logged at each start).
EXPOSE 8080 8081 61616

USER 10001:10001

# The JRE image ships no HTTP client we can count on, so bash's /dev/tcp sends the request.
# Readiness (not overall health): a broker outage must not mark the container unhealthy while it still answers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -qE '^HTTP/[0-9.]+ 200'"]

# Exec form: java is PID 1 and gets SIGTERM directly, so graceful shutdown works on `docker stop`.
# Relative paths, as in the training run: the archive records the class path as it was given, so the node must start
# from /app (the WORKDIR). A JVM that cannot use the archive (other JVM options, a heap over 32 GB) still starts,
# only slower; -Xlog:cds in JAVA_TOOL_OPTIONS says why.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=application.jsa", "-jar", "numbers-router.jar"]
