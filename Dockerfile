# numbers-router container image.
#   docker build -t numbers-router .
#   docker compose up --build        (with ActiveMQ Classic and Mailpit; see docker-compose.yml)

# ---- build: compile the jar and split it into Spring Boot's layers ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# Dependencies first, so a source-only change reuses this (slow) layer.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline

COPY src ./src
RUN mvn -B -q -DskipTests package \
 && java -Djarmode=tools -jar target/numbers-router.jar extract --layers --launcher --destination extracted

# ---- runtime ----
FROM eclipse-temurin:17-jre

# A fixed, numeric uid/gid so volume ownership is predictable and Kubernetes' runAsNonRoot can verify it.
# /app/data holds what the node writes (embedded broker store, local spool, port-out audit journal): the only
# place it may write.
RUN groupadd --system --gid 10001 numbers \
 && useradd --system --uid 10001 --gid numbers --home-dir /app --no-create-home --shell /usr/sbin/nologin numbers \
 && mkdir -p /app/data \
 && chown numbers:numbers /app/data

WORKDIR /app

# Least to most often changed, so a code change rebuilds only the last layer. The code stays root-owned: read-only to the app.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./

# Defaults baked in (Spring Boot reads ./config/application.yaml by itself); docker-compose.yml mounts the host's folders over them so edits reach a running node.
COPY routes/ /app/routes/
COPY config/ /app/config/

# Heap at 60% of the container's memory: the rest (~300 MiB under a flood: metaspace, threads, GC, buffers) must fit
# too, or the kernel kills the container before Java can say why (README "Capacity"; bench/flood.sh measures it).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError" \
    NUMBERS_ROUTER_ROUTES_DIRECTORY=/app/routes \
    NUMBERS_ROUTER_PORTOUT_SUBSCRIBERS_FILE=/app/config/subscribers.csv

# 8080: webhooks. 8081: actuator (health, metrics), for operators only. 61616: the in-process broker's OpenWire connector, used only when no external broker is set.
EXPOSE 8080 8081 61616

USER 10001:10001

# The JRE image ships no HTTP client we can count on, so bash's /dev/tcp sends the request.
# Readiness (not overall health): a broker outage must not mark the container unhealthy while it still answers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -qE '^HTTP/[0-9.]+ 200'"]

# Exec form: java is PID 1 and gets SIGTERM directly, so graceful shutdown works on `docker stop`.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
