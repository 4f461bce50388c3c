#!/usr/bin/env bash
# Runs every StreamThings test: unit tests, then integration tests against real servers (Kafka, PostgreSQL, influxd,
# mosquitto, headless Chromium). Installs first, from Debian's packages, whatever the tests need and the machine lacks.
# Extra arguments go to Maven, e.g. ./test.sh -pl ingest -am
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/install-packages.sh
. "$root/scripts/install-packages.sh"

# command -> the Debian package that provides it
install_missing "the tests" \
  java:openjdk-17-jdk-headless mvn:maven \
  influxd:influxdb mosquitto:mosquitto mosquitto_pub:mosquitto-clients mosquitto_sub:mosquitto-clients \
  chromium:chromium chromedriver:chromium-driver
stop_packaged_influxd

cd "$root"
exec mvn -B verify "$@"
