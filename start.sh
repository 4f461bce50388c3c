#!/usr/bin/env bash
# Builds StreamThings and starts the whole platform in standalone mode (one JVM plus an influxd child process).
# Works from any directory. Flags are passed to the launcher: ./start.sh --help. Without --data-dir, data lives in
# the repository's data/ folder; a relative --data-dir is taken from the directory you run it in.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/install-packages.sh
. "$root/scripts/install-packages.sh"

install_missing "the platform" java:openjdk-17-jdk-headless mvn:maven influxd:influxdb
stop_packaged_influxd

jar="$root/standalone/target/streamthings-standalone.jar"
if [ ! -d "$HOME/.m2/repository/org/apache/flink" ]; then
  echo "StreamThings: first build: Maven downloads the dependencies (about 400 MB; about 6 minutes on 2 cores)..."
fi
echo "StreamThings: building (mvn package, tests skipped)..."
mvn -q -B -ntp -f "$root/pom.xml" -DskipTests -DappJars.skip=true -pl standalone -am package

args=("$@")
has_data_dir=false
for a in "$@"; do
  case "$a" in --data-dir|--data-dir=*) has_data_dir=true ;; esac
done
$has_data_dir || args=(--data-dir "$root/data" "${args[@]}")

# shellcheck disable=SC2086  # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} -jar "$jar" "${args[@]}"
