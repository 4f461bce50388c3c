#!/usr/bin/env bash
# The long fuzzing run: each Jazzer @FuzzTest fuzzes for its maxDuration (2 minutes) with coverage guidance, then the
# API's JSON bodies get a long seeded run against the real service. Writes benchmarks/results/fuzz.md.
# A finding fails its run; Jazzer stores the input that caused it under the test's src/test/resources/...Inputs/
# directory, where the normal build then runs it as a regression test.
#   benchmarks/fuzz.sh [api-bodies] [api-seed]        (from the repository root or from benchmarks/)
set -u
cd "$(dirname "$0")/.."
BODIES="${1:-5000}"
SEED="${2:-$(date +%s)}"
OUT=benchmarks/results/fuzz.md
LOGS=$(mktemp -d)
{
  echo "# Fuzzing run"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores; Jazzer 0.24.0, maxDuration 2m per target (libFuzzer's figures)."
  echo
  echo "| target | executions | exec/s | coverage (edges) | corpus | result |"
  echo "|---|---|---|---|---|---|"
} > "$OUT.tmp"
for target in common:TelemetryFuzzTest ingest:LineProtocolFuzzTest siddhi-apps:RuleCompilerFuzzTest; do
  module=${target%%:*}; test=${target##*:}
  log="$LOGS/$test.log"
  JAZZER_FUZZ=1 mvn -B -o -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true > "$log" 2>&1
  rc=$?
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  execs=$(echo "$done_line" | sed -E 's/^#([0-9]+).*/\1/')
  rate=$(echo "$done_line" | sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p')
  cov=$(echo "$done_line" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
  corp=$(echo "$done_line" | sed -nE 's/.*corp: ([0-9]+\/[0-9A-Za-z]+).*/\1/p')
  result=$([ $rc -eq 0 ] && echo "no finding" || echo "FINDING or failure, see $log")
  echo "| $module $test | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${corp:-?} | $result |" >> "$OUT.tmp"
done
log="$LOGS/JsonBodyFuzzIT.log"
mvn -B -o -pl device-mgmt-api -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=JsonBodyFuzzIT -Dfailsafe.failIfNoSpecifiedTests=false -Dfuzz.bodies="$BODIES" -Dfuzz.seed="$SEED" \
    > "$log" 2>&1
rc=$?
result=$([ $rc -eq 0 ] && echo "no 5xx, no stack trace" || echo "FINDING or failure, see $log")
{
  echo "| device-mgmt-api JsonBodyFuzzIT | $BODIES bodies, seed $SEED | | | | $result |"
} >> "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
echo "Logs: $LOGS"
