#!/bin/sh
# The operator's command inside the image. JVM flags come from JAVA_TOOL_OPTIONS (set by the chart).
exec java -jar /opt/eniroute/eniroute-operator.jar "$@"
