# syntax=docker/dockerfile:1
# The local function host (API on :8080, RabbitMQ event-source emulation, DLQ consumer) as a container,
# for docker-compose.yml. Built from the repository root: docker compose build local-host.

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# The whole tree: the root pom lists every module, and -am builds what local-host needs.
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -q -B -pl local-host -am package -DskipTests -DskipITs \
 && cp local-host/target/local-host.jar /local-host.jar

FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 jobs
COPY --from=build /local-host.jar /app/local-host.jar
USER jobs
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD curl -fsS "http://127.0.0.1:${JOBS_HTTP_PORT:-8080}/healthz" || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/local-host.jar"]
