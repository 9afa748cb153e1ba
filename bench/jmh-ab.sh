#!/usr/bin/env bash
# Before/after JMH on the same machine in the same time window: runs the same benchmarks from two builds
# (e.g. the base commit in a second worktree and this one), alternating A, B, A, B ... so that the machine's load
# hits both alike.
#
#   A_DIR=/tmp/jmh-base B_DIR=/tmp/jmh-new ROUNDS=2 OUT=bench/results/jmh-ab bench/jmh-ab.sh 'PipelineBench' -f 1 ...
#
# Each *_DIR holds classes/, test-classes/ and bench-classpath.txt copied from a `./mvnw -Pbench process-test-classes`
# build (copy them so that a later build does not change what is measured). Output: $OUT-<A|B>-<round>.{txt,json}.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${A_DIR:?}" "${B_DIR:?}" "${OUT:?}"
ROUNDS=${ROUNDS:-2}
mkdir -p "$(dirname "$OUT")"
for r in $(seq 1 "$ROUNDS"); do
  # alternate which build goes first
  if (( r % 2 )); then order="A B"; else order="B A"; fi
  for side in $order; do
    dir=A_DIR; [[ $side == B ]] && dir=B_DIR
    d=${!dir}
    f="$OUT-$side-$r"
    { echo "# $side=$d round $r $(date -u +%FT%TZ) $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"; } | tee "$f.txt"
    java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
      -cp "$d/test-classes:$d/classes:$(cat "$d/bench-classpath.txt")" org.openjdk.jmh.Main \
      -rf json -rff "$f.json" "$@" 2>&1 | tee -a "$f.txt" | grep -E '^(Benchmark|[A-Z][A-Za-z]+Bench\.)' || true
    echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$f.txt"
  done
done
