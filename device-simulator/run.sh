#!/usr/bin/env bash
# Builds the device simulator (no install step) and runs it: device-simulator/run.sh [flags]; --help lists them.
# Works from any directory. JAVA_OPTS is passed to its JVM.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cp_file="$root/device-simulator/target/run-classpath.txt"
mvn -q -B -ntp -f "$root/pom.xml" -pl device-simulator -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/run-classpath.txt -Dmdep.includeScope=runtime
# shellcheck disable=SC2086  # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} -cp "$root/device-simulator/target/classes:$(cat "$cp_file")" \
  io.streamthings.simulator.DeviceSimulator "$@"
