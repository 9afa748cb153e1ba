#!/usr/bin/env bash
# Heap soak (issue #6: "heap flat in a 10-minute soak"): udapi (file store, http engine -> nginx, 501 definitions)
# under a mixed load from bench/load/trigger.lua MODE=mixed (per 5 requests: 2 admitted, 1 rate-limited 429,
# 1 invalid secret 401, 1 unknown route 404) for SOAK seconds; every INTERVAL s: `jcmd GC.run`, then the heap used
# after that full GC (`jcmd GC.heap_info`), RSS and the JVM's CPU time. Reports first vs last sample and the
# least-squares slope of heap-after-GC over time.
#
#   bench/soak.sh      # 10 min + ~1 min set-up; SKIP_BUILD=1 reuses target/quarkus-app
# Environment: SOAK=600, INTERVAL=30, WARMUP=30, CONNS=32, RATE (optional paced req/s; default closed loop), JAR
# Output: bench/results/soak-<UTC>/ (samples.tsv, raw.txt, summary.md)
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK=${SOAK:-600} INTERVAL=${INTERVAL:-30} WARMUP=${WARMUP:-30} CONNS=${CONNS:-32} RATE=${RATE:-0}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
OUT=bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
trap cleanup EXIT
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then ./mvnw -B -q package -DskipTests; fi
log "machine: $(nproc) cores, load $(load); $(java -version 2>&1 | head -1); jar $JAR"
make_echo_script
start_nginx $NGINX_PORT $CLIENT_CPU
prepare_store "$JAR"
start_udapi "$JAR" "$SERVER_CPU" http "$WORK/data" -Xlog:gc:file="$OUT/gc.log"
for m in admit limited invalid unknown; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $([[ $m == limited ]] && echo "$SECRET_LIMITED" || { [[ $m == invalid ]] && echo nope || echo "$SECRET_ADMIT"; })" \
    -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$UDAPI_PORT/api/custom/$([[ $m == limited ]] && echo limited/9 || { [[ $m == unknown ]] && echo nope/x || echo svc3/items/1; })")
  log "sanity $m -> $code"
done
log "warm-up ${WARMUP} s (mixed)"
run_wrk udapi-warmup $UDAPI_PORT mixed "$WARMUP" "$RATE"
# Heap after a full GC, two ways: the "Pause Full (Diagnostic Command) A->B(C)" line (jcmd GC.run) of the GC log (B, in MiB: the whole
# heap right after the collection) and `jcmd GC.heap_info` (KiB; with Serial/Parallel GC the old generation, which
# holds everything that survived the full GC, while the young one already refills under the load; with G1 the heap).
heap_after_gc() {
  jcmd "$UDAPI_PID" GC.run >/dev/null
  local mib kib
  mib=$(grep 'Pause Full (Diagnostic Command)' "$OUT/gc.log" | tail -1 | sed -E 's/.*->([0-9]+)M\(.*/\1/')
  kib=$(jcmd "$UDAPI_PID" GC.heap_info | tee -a "$RAW" | awk '
    /(tenured|ParOldGen|garbage-first heap).* total .* used / {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub(/K,?$/,"",v); print v; exit}}')
  echo -e "${mib:-?}\t${kib:-?}"
}
echo -e "t_s\theap_after_full_gc_mib\told_gen_used_kib\trss_kb\tjvm_cpu_ms\tload1" >"$OUT/samples.tsv"
sample() { echo -e "$1\t$(heap_after_gc)\t$(rss_kb "$UDAPI_PID")\t$(cpu_ms "$UDAPI_PID")\t$(load | cut -d' ' -f1)" | tee -a "$OUT/samples.tsv" >&2; }
# the soak load, in the background for the whole period
( MODE=mixed SECRET=$SECRET_ADMIT SECRET_LIMITED=$SECRET_LIMITED NROUTES=$NROUTES RATE=$RATE taskset -c "$CLIENT_CPU" \
    wrk -t1 -c"$CONNS" -d"${SOAK}s" --timeout 10s -s bench/load/trigger.lua "http://127.0.0.1:$UDAPI_PORT" >"$OUT/wrk.txt" 2>&1 ) &
WRK_PID=$!; PIDS+=("$WRK_PID")
t0=$(date +%s)
sample 0
while kill -0 "$WRK_PID" 2>/dev/null; do
  sleep $(( INTERVAL - ( ($(date +%s) - t0) % INTERVAL ) ))
  kill -0 "$WRK_PID" 2>/dev/null || break
  sample $(( $(date +%s) - t0 ))
done
wait "$WRK_PID" || true
sample $(( $(date +%s) - t0 ))   # after the load stopped
curl -fs "http://127.0.0.1:$MGMT_PORT/q/metrics" | grep -E '^udapi_(trigger|secret|limiter)' >>"$RAW" || true
{
  echo "# Heap soak, $(date -u +%FT%TZ): ${SOAK} s of MODE=mixed, wrk -t1 -c$CONNS$( ((RATE > 0)) && echo ", paced at $RATE req/s") on CPU $CLIENT_CPU, udapi on CPU $SERVER_CPU (default heap)"
  echo
  grep '^RESULT' "$OUT/wrk.txt" | sed 's/^RESULT/wrk:/'
  echo
  echo "| t (s) | heap after full GC (MiB, GC log) | old generation used after it (KiB) | RSS (KiB) | JVM CPU (ms) | load1 |"
  echo "|---|---|---|---|---|---|"
  tail -n +2 "$OUT/samples.tsv" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6}'
  echo
  # under load: every sample but the last (taken after wrk stopped)
  tail -n +2 "$OUT/samples.tsv" | head -n -1 | bench/lib/slope.awk
  echo "load average at the end: $(load)"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
