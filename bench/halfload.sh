#!/usr/bin/env bash
# p99 at half load (issue #6): first the maximum admitted throughput of udapi (closed loop, as bench/load.sh),
# then udapi and HAProxy both driven at the same fixed rate, FRACTION (0.5) of udapi's maximum, by the paced
# bench/load/trigger.lua (RATE), alternating which goes first; p50 / p99 / p99.9 of each.
#
#   bench/halfload.sh     # ~6 min; SKIP_BUILD=1 reuses target/quarkus-app
# Environment: DURATION=20 (s per paced run), MAXDUR=10 (s per max run), ROUNDS=2, CONNS=64, FRACTION=0.5, WARMUP=30, JAR
# Output: bench/results/halfload-<UTC>/ (raw.txt with every wrk output, raw.txt.runs one line per run, summary.md)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20} MAXDUR=${MAXDUR:-10} ROUNDS=${ROUNDS:-2} FRACTION=${FRACTION:-0.5} WARMUP=${WARMUP:-30}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
OUT=bench/results/halfload-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
trap cleanup EXIT
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then ./mvnw -B -q package -DskipTests; fi
log "machine: $(nproc) cores, load $(load); $(java -version 2>&1 | head -1); jar $JAR"
make_echo_script
start_nginx $NGINX_PORT $CLIENT_CPU
prepare_store "$JAR"
start_haproxy
start_udapi "$JAR" "$SERVER_CPU" http "$WORK/data"
log "warm-up: udapi $WARMUP s admit + 5 s of each rejection; HAProxy 5 s"
run_wrk udapi-warmup $UDAPI_PORT admit "$WARMUP"
for m in limited invalid unknown; do run_wrk udapi-warmup $UDAPI_PORT $m 5; done
run_wrk haproxy-warmup $HAPROXY_PORT admit 5

# 1. maximum admitted throughput, closed loop, alternating
declare -a UMAX HMAX
for r in $(seq 1 "$ROUNDS"); do
  if ((r % 2)); then order="udapi haproxy"; else order="haproxy udapi"; fi
  for t in $order; do
    port=$UDAPI_PORT; [[ $t == haproxy ]] && port=$HAPROXY_PORT
    run_wrk "$t-max" $port admit "$MAXDUR"
    if [[ $t == udapi ]]; then UMAX+=("${R[rps]}"); else HMAX+=("${R[rps]}"); fi
  done
done
umax=$(printf '%s\n' "${UMAX[@]}" | awk '{s+=$1} END {printf "%d", s/NR}')
hmax=$(printf '%s\n' "${HMAX[@]}" | awk '{s+=$1} END {printf "%d", s/NR}')
RATE=$(awk -v m="$umax" -v f="$FRACTION" 'BEGIN {printf "%d", m*f}')
log "max admitted: udapi ${UMAX[*]} (mean $umax), HAProxy ${HMAX[*]} (mean $hmax) req/s; paced rate = $FRACTION x $umax = $RATE req/s"

# 2. both at the same paced rate, alternating
echo -e "target\tround\trate\trps\tp50_us\tp99_us\tp999_us\tmax_us\tnon2xx\tcpu_us_per_req\tload1" >"$OUT/paced.tsv"
for r in $(seq 1 "$ROUNDS"); do
  if ((r % 2)); then order="udapi haproxy"; else order="haproxy udapi"; fi
  for t in $order; do
    port=$UDAPI_PORT; [[ $t == haproxy ]] && port=$HAPROXY_PORT
    run_wrk "$t-paced" $port admit "$DURATION" "$RATE"
    echo -e "$t\t$r\t$RATE\t${R[rps]}\t${R[p50_us]}\t${R[p99_us]}\t${R[p999_us]}\t${R[max_us]}\t${R[non2xx]}\t$CPU_US\t$(load | cut -d' ' -f1)" >>"$OUT/paced.tsv"
  done
done
{
  echo "# p99 at half load, $(date -u +%FT%TZ)"
  echo
  echo "machine: $(nproc) cores; udapi (JVM, file store, http engine -> nginx) or HAProxy on CPU $SERVER_CPU; wrk -t1 -c${CONNS:-64} + nginx on CPU $CLIENT_CPU"
  echo "max admitted (closed loop, ${MAXDUR} s runs): udapi ${UMAX[*]} req/s (mean $umax), HAProxy ${HMAX[*]} (mean $hmax); udapi/HAProxy $(awk -v a=$umax -v b=$hmax 'BEGIN{printf "%.2f", a/b}')"
  echo "paced rate: $FRACTION x udapi max = $RATE req/s, ${DURATION} s per run"
  echo
  echo "| target | round | achieved req/s | p50 ms | p99 ms | p99.9 ms | max ms | non-2xx | server CPU µs/req | load1 |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  tail -n +2 "$OUT/paced.tsv" | awk -F'\t' '{printf "| %s | %s | %s | %.2f | %.2f | %.2f | %.1f | %s | %s | %s |\n", $1, $2, $4, $5/1000, $6/1000, $7/1000, $8/1000, $9, $10, $11}'
  echo
  awk -F'\t' 'NR>1 {p99[$1]+=$6; n[$1]++} END {printf "mean p99: udapi %.2f ms, HAProxy %.2f ms, ratio %.2f\n", p99["udapi"]/n["udapi"]/1000, p99["haproxy"]/n["haproxy"]/1000, (p99["udapi"]/n["udapi"])/(p99["haproxy"]/n["haproxy"])}' "$OUT/paced.tsv"
  echo "load average at the end: $(load)"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
