#!/usr/bin/env bash
# Regenerates the CRD YAML from the Java model and copies it where users and the chart read it.
# Tests fail while the committed copies differ from a fresh generation.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl crds -DskipTests package
for f in crds/target/classes/META-INF/fabric8/*.yml; do
  cp "$f" crds/
  mkdir -p helm/eniroute/crds && cp "$f" helm/eniroute/crds/
done
echo "CRDs updated in crds/ and helm/eniroute/crds/"
