#!/usr/bin/env bash
# JMH micro-benchmarks of udapi's hot path (limiter, verified-secret cache, route table, in-memory pipeline),
# each next to its baseline in the same run.
#
#   bench/jmh.sh                       # everything, default settings (about 10 minutes)
#   bench/jmh.sh LimiterBench -f 1     # any JMH arguments: a benchmark regex, -f/-wi/-i/-r/-prof ...
#
# Builds with the `bench` Maven profile (JMH 1.37, Bucket4j), which the default `./mvnw verify` never runs,
# then runs org.openjdk.jmh.Main on the test classpath. Results: bench/results/jmh.{txt,json}.
# SKIP_BUILD=1 reuses the last build; JMH_OUT=name changes the result file names.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -Pbench -DskipTests process-test-classes
fi
mkdir -p bench/results
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
if [[ $# -eq 0 ]]; then
  # fork 1, 8 x 2 s warm-up (the pipeline needs ~6 under load before C2 settles), 5 x 1 s measurement
  set -- 'io\.udapi\.bench\..*' -f 1 -wi 8 -w 2s -i 5 -r 1s -prof io.udapi.bench.CpuTimeProfiler
fi
{ echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"; } \
  | tee bench/results/${JMH_OUT:-jmh}.txt
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" org.openjdk.jmh.Main \
  -rf json -rff bench/results/${JMH_OUT:-jmh}.json "$@" 2>&1 | tee -a bench/results/${JMH_OUT:-jmh}.txt
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a bench/results/${JMH_OUT:-jmh}.txt
