#!/usr/bin/env bash
# Builds StreamThings and starts the whole platform in standalone mode (one JVM plus an influxd child process).
# Flags are passed to the launcher: ./start.sh --help
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! command -v influxd >/dev/null 2>&1 && [ ! -x /usr/bin/influxd ]; then
  echo "StreamThings: installing InfluxDB (Debian package influxdb)..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq influxdb >/dev/null
  # The package starts its own influxd service on port 8086 where systemd runs; the platform runs influxd itself.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet influxdb 2>/dev/null; then
    $SUDO systemctl disable --now influxdb >/dev/null 2>&1 || true
  fi
fi

jar=standalone/target/streamthings-standalone.jar
echo "StreamThings: building (mvn package, tests skipped)..."
mvn -q -B -DskipTests -pl standalone -am package

exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
