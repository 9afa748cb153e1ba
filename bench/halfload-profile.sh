#!/usr/bin/env bash
# Where does udapi's p99 at half load come from? udapi alone, paced at RATE (default 6900 req/s, 50 % of the max in
# the quieter halfload run) for DURATION s after WARMUP s of closed-loop admit load, with a GC + safepoint log and a
# JFR recording (settings=default, lighter than profile) of the paced part. Prints the latency, the GC/safepoint pauses during the paced
# run, and the JFR top frames (bench/jfr-top.sh).
#   bench/halfload-profile.sh     # ~3 min; SKIP_BUILD=1 JAR=... as in halfload.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-6900} DURATION=${DURATION:-30} WARMUP=${WARMUP:-60}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
OUT=bench/results/halfload-profile-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
trap cleanup EXIT
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then ./mvnw -B -q package -DskipTests; fi
make_echo_script
start_nginx $NGINX_PORT $CLIENT_CPU
prepare_store "$JAR"
start_udapi "$JAR" "$SERVER_CPU" http "$WORK/data" -Xlog:gc,safepoint:file="$OUT/gc-safepoint.log":uptime
run_wrk udapi-warmup $UDAPI_PORT admit "$WARMUP"
jcmd "$UDAPI_PID" JFR.start name=p settings=default filename="$PWD/$OUT/udapi-paced.jfr" >/dev/null
t0=$(awk '{print $1}' /proc/uptime)
up0=$(jcmd "$UDAPI_PID" VM.uptime | awk 'NR==2 {print $1}')
run_wrk udapi-paced $UDAPI_PORT admit "$DURATION" "$RATE"
up1=$(jcmd "$UDAPI_PID" VM.uptime | awk 'NR==2 {print $1}')
jcmd "$UDAPI_PID" JFR.stop name=p >/dev/null
{
  echo "# udapi alone paced at $RATE req/s for $DURATION s (after $WARMUP s warm-up), $(date -u +%FT%TZ), load $(load)"
  grep '^udapi-paced' "$RAW.runs"
  echo
  echo "## Pauses logged between JVM uptime $up0 s and $up1 s (the paced run, JFR on)"
  awk -v a="$up0" -v b="$up1" '{t=$1; gsub(/[\[\]s]/,"",t)} t+0 >= a && t+0 <= b' "$OUT/gc-safepoint.log" >"$OUT/paced-pauses.log"
  echo "GC pauses: $(grep -c 'Pause' "$OUT/paced-pauses.log" || true); $(grep 'Pause' "$OUT/paced-pauses.log" | sed -E 's/.* ([0-9.]+)ms$/\1/' | sort -n | awk '{a[NR]=$1; s+=$1} END {if (NR) printf "median %.2f ms, max %.2f ms, total %.0f ms", a[int((NR+1)/2)], a[NR], s}')"
  echo "safepoints: $(grep -c 'Safepoint' "$OUT/paced-pauses.log" || true); $(grep -o 'Total: [0-9]* ns' "$OUT/paced-pauses.log" | awk '{v=$2/1e6; s+=v; if (v>m) m=v; if (v>1) n1++} END {printf "total %.0f ms, max %.2f ms, %d over 1 ms", s, m, n1}')"
  echo
  echo "## JFR top frames (bench/jfr-top.sh)"
  bench/jfr-top.sh "$OUT/udapi-paced.jfr" 2>&1 | head -60
} >"$OUT/summary.md"
cat "$OUT/summary.md"
