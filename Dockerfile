# syntax=docker/dockerfile:1
# MambaRec Service image.
#   docker build -t mambarec:latest .                                # CPU PyTorch (default)
#   docker build --build-arg FLAVOR=cuda -t mambarec:cuda .          # CUDA 12.4 PyTorch (untested here: no GPU)
# PyTorch's native libraries need glibc: Ubuntu-based images only (no Alpine).
# FLAVOR picks both the Maven profile (-Pcuda swaps the native jar, see pom.xml) and the base image.
ARG FLAVOR=cpu

# ---- build: Maven wrapper, dependencies cached in their own layer ---------------------------------
FROM eclipse-temurin:17-jdk-jammy AS build-base
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q dependency:go-offline
COPY db db
COPY src src

FROM build-base AS jar-cpu
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -Dmaven.test.skip=true package \
 && cp target/mambarec.jar /mambarec.jar

FROM build-base AS jar-cuda
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -Dmaven.test.skip=true -Pcuda package \
 && cp target/mambarec.jar /mambarec.jar

FROM jar-${FLAVOR} AS jar

# ---- runtime base images: a JRE on Ubuntu 22.04, plain or with the CUDA 12.4 runtime -------------
FROM eclipse-temurin:17-jre-jammy AS base-cpu

FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04 AS base-cuda
COPY --from=eclipse-temurin:17-jre-jammy /opt/java/openjdk /opt/java/openjdk

# ---- runtime --------------------------------------------------------------------------------------
# Runs as the non-root user 10001 and works with a read-only root file system: DJL extracts its
# native PyTorch libraries into DJL_CACHE_DIR and the JVM writes to /tmp; mount both writable
# (emptyDir / tmpfs). MaxRAMPercentage stays moderate: PyTorch's native memory is outside the heap.
FROM base-${FLAVOR} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 mambarec \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin mambarec \
 && mkdir -p /app /var/cache/djl \
 && chown 10001:10001 /var/cache/djl
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    DJL_CACHE_DIR=/var/cache/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
WORKDIR /app
COPY --from=jar --chown=10001:10001 /mambarec.jar /app/mambarec.jar
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=180s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-jar", "/app/mambarec.jar"]
