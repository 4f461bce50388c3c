#!/usr/bin/env bash
# Builds the benchmarks (with the modules they measure, no install step) and runs one harness in a JVM of its own.
#   benchmarks/run.sh HARNESS [key=value ...]
# HARNESS: device-mgmt | flink-realtime | ingest | rules | analytics | predictive | predictive-throughput | rollup | availability | operations | operations-fleet | edge. The figures go to benchmarks/results/HARNESS.md
# unless out=FILE is given. Works from any directory. JAVA_OPTS is passed to the harness's JVM.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
harness="$1"; shift
case "$harness" in
  device-mgmt) main=DeviceMgmtBenchmark ;;
  flink-realtime) main=FlinkRealtimeBenchmark ;;
  ingest) main=IngestBenchmark ;;
  rules) main=RulesBenchmark ;;
  analytics) main=AnalyticsBenchmark ;;
  predictive) main=PredictiveEvaluation ;;
  rollup) main=RollupBenchmark ;;
  availability) main=AvailabilityBenchmark ;;
  predictive-throughput) main=PredictiveThroughputBenchmark ;;
  operations) main=OperationsBenchmark ;;
  operations-fleet) main=OperationsFleetBenchmark ;;
  edge)
    # The edge runtime's harness lives in edge-runtime's test scope (it needs only that module and the packaged jar):
    # built alone, run at -Xmx64m like the runtime itself.
    cp_file="$root/edge-runtime/target/bench-classpath.txt"
    mvn -q -B -ntp -f "$root/pom.xml" -pl edge-runtime -am -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
    cd "$root/edge-runtime"
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:--Xmx64m} -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
      io.streamthings.edge.EdgeBenchmark "out=$root/benchmarks/results/edge.md" "$@" ;;
  -h|--help) usage ;;
  *) echo "unknown harness: $harness" >&2; usage ;;
esac

# One reactor build: the modules the benchmarks use come from their target/ folders, not from ~/.m2.
cp_file="$root/benchmarks/target/run-classpath.txt"
mvn -q -B -ntp -f "$root/pom.xml" -pl benchmarks -am -DskipTests -DappJars.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/run-classpath.txt -Dmdep.includeScope=runtime
cd "$root/benchmarks"
# shellcheck disable=SC2086  # JAVA_OPTS holds several options
exec java ${JAVA_OPTS:-} -cp "target/classes:$(cat "$cp_file")" "io.streamthings.benchmarks.$main" \
  "out=$root/benchmarks/results/$harness.md" "$@"
