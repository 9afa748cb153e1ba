#!/usr/bin/env bash
# Long fuzzing runs (docs/fuzzing.md): every *FuzzTest for SECONDS each (default 600), one after the
# other, then a summary line per target: executions, exec/s, coverage (edges, features), corpus size and
# whether it found something.
#
#   bench/fuzz.sh            # 10 min per target, about an hour
#   bench/fuzz.sh 120        # 2 min per target
#   TARGETS='RoutingFuzzTest ScriptOutputFuzzTest' bench/fuzz.sh 300
#
# Unlike the short run in `./mvnw verify` (base directory target/fuzz), the base directory here is the
# project: the generated corpus grows in .cifuzz-corpus/ (git-ignored) across runs, and a finding is
# written into src/test/resources/<package>/<Class>Inputs/<method>/, where the next `./mvnw test` runs it
# as a regression test. Logs: target/fuzz-logs/<Class>.log.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET="${1:-600}"
if [[ -z "${TARGETS:-}" ]]; then
  TARGETS="$(find src/test/java -name '*FuzzTest.java' -printf '%f\n' | sed 's/\.java$//' | sort | tr '\n' ' ')"
fi
LOGS=target/fuzz-logs
mkdir -p "$LOGS"

./mvnw -B -q -Djcstress.skip test-compile

status=0
for target in $TARGETS; do
  echo "== $target: ${SECONDS_PER_TARGET}s"
  if ! ./mvnw -B -Djcstress.skip surefire:test@fuzz -Dfuzz.test="$target" -Dfuzz.forks=1 \
        -Dfuzz.duration="${SECONDS_PER_TARGET}s" -Dfuzz.basedir="$PWD" > "$LOGS/$target.log" 2>&1; then
    status=1
  fi
done

printf '\n%-30s %12s %8s %6s %7s %10s %s\n' target execs exec/s cov ft corpus result
for target in $TARGETS; do
  log="$LOGS/$target.log"
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)"
  runs="$(grep -oE '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
  execs="$(awk '{print $2}' <<<"$runs")"
  secs="$(awk '{print $5}' <<<"$runs")"
  rate="-"
  if [[ -n "$execs" && -n "$secs" && "$secs" -gt 0 ]]; then rate=$((execs / secs)); fi
  cov="$(grep -oE 'cov: [0-9]+' <<<"$done_line" | awk '{print $2}')"
  ft="$(grep -oE 'ft: [0-9]+' <<<"$done_line" | awk '{print $2}')"
  corp="$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$done_line" | awk '{print $2}')"
  if grep -q 'BUILD SUCCESS' "$log"; then result=ok; else result="FINDING or error, see $log"; fi
  printf '%-30s %12s %8s %6s %7s %10s %s\n' "$target" "${execs:--}" "$rate" "${cov:--}" "${ft:--}" "${corp:--}" "$result"
done
exit $status
