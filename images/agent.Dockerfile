# syntax=docker/dockerfile:1
# eniroute agent image. Build from the repository root (bin/images does):
#   docker build -f images/agent.Dockerfile -t ghcr.io/eniroute/eniroute-agent:0.1.0 .
ARG BUILD_IMAGE=maven:3-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven cache mount keeps dependencies between builds; tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -pl agent -am package -DskipTests \
 && mkdir -p /out \
 && cp agent/target/eniroute-agent.jar /out/ \
 && cp -r agent/target/lib /out/lib

FROM ${RUNTIME_IMAGE}
# iproute2: the agent applies routes and rules with `ip -batch` and reads state with `ip -json`.
# iputils-ping / iputils-arping: the connectivity probes that guard every change.
# The agent also runs sh and grep (present in the base image) to read sysctls.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      iproute2 iputils-ping iputils-arping \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /opt/eniroute/
# One command on PATH for the DaemonSet (`eniroute-agent cluster`) and for troubleshooting in the
# pod: `kubectl exec -n <ns> ds/<release>-agent -- eniroute-agent status|plan` (docs/troubleshooting.md).
COPY --chmod=0755 images/eniroute-agent.sh /usr/local/bin/eniroute-agent
# Runs as root INSIDE the container on purpose, yet the pod is not privileged: the chart drops
# every capability and adds back only NET_ADMIN and NET_RAW, with allowPrivilegeEscalation=false
# (no_new_privs) and a read-only root filesystem. Root is needed because Kubernetes gives added
# capabilities to a non-root process only through file capabilities (it has no ambient
# capabilities), and no_new_privs stops file capabilities from being granted on exec: a numeric
# non-root user would need setcap'd java, ip, ping and arping AND allowPrivilegeEscalation=true,
# which is weaker. Root also owns the hostPath journal (/var/lib/eniroute) without CAP_CHOWN or
# CAP_DAC_OVERRIDE. Root without CAP_SYS_ADMIN cannot mount, load modules or change namespaces.
USER 0:0
ENV ENIROUTE_HOME=/opt/eniroute
LABEL org.opencontainers.image.title="eniroute-agent" \
      org.opencontainers.image.description="Per-node policy routing for nodes with several interfaces on one subnet" \
      org.opencontainers.image.source="https://github.com/eniroute/eniroute"
ENTRYPOINT ["eniroute-agent"]
CMD ["--help"]
