#!/bin/sh
# The agent's command inside the image. JVM flags come from JAVA_TOOL_OPTIONS (set by the chart).
exec java -jar /opt/eniroute/eniroute-agent.jar "$@"
