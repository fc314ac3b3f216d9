# syntax=docker/dockerfile:1
# eniroute operator image. Build from the repository root (bin/images does):
#   docker build -f images/operator.Dockerfile -t ghcr.io/eniroute/eniroute-operator:0.1.0 .
ARG BUILD_IMAGE=maven:3-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl operator -am package -DskipTests \
 && mkdir -p /out \
 && cp operator/target/eniroute-operator.jar /out/ \
 && cp -r operator/target/lib /out/lib

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/ /opt/eniroute/
COPY --chmod=0755 images/eniroute-operator.sh /usr/local/bin/eniroute-operator
# The operator only talks HTTPS to the API server and EC2: a fixed numeric non-root user (the
# chart sets the same runAsUser, so runAsNonRoot can be verified by the kubelet).
USER 65532:65532
LABEL org.opencontainers.image.title="eniroute-operator" \
      org.opencontainers.image.description="Rolls eniroute NodeNetworkPolicies out to a cluster's nodes" \
      org.opencontainers.image.source="https://github.com/eniroute/eniroute"
ENTRYPOINT ["eniroute-operator"]
