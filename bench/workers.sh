#!/usr/bin/env bash
# Worker scripts against a process per run (docs/workers.md), side by side in one run: the same 500 routes,
# the same token, the same wrk load (bench/load/trigger.lua MODE=admit), udapi on CPU 1 with its scripts,
# wrk -t1 on CPU 0. Variants, alternating order per round:
#   spawn  : scripts/hello, one process per trigger (the process engine's default)
#   worker-sh : scripts/hello-worker (POSIX sh) with a .worker file (min=max=WORKERS processes, started once)
#   worker-py : scripts/hello-worker.py (Python), the same way
# The reference product answers a trivial script at about 40 req/s (docs/workers.md); the summary gives
# both variants as a multiple of it and of each other.
#
#   bench/workers.sh            # SKIP_BUILD=1 reuses target/quarkus-app
#   SOAK=3600 bench/workers.sh  # then an hour of worker load, RSS of udapi and of every worker sampled
# Environment: DURATION=15, ROUNDS=3 (0: soak only), CONNS=16, WORKERS=2, SOAK=0, SOAK_VARIANT=worker-sh, INTERVAL=30, RATE (paced req/s
# of the soak; default closed loop), JAR; UDAPI_PORT/MGMT_PORT to run beside another benchmark
# Output: bench/results/workers-<UTC>/ (runs.tsv, rss.tsv with SOAK, raw.txt, summary.md)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3} WORKERS=${WORKERS:-2} SOAK=${SOAK:-0} INTERVAL=${INTERVAL:-30}
export CONNS=${CONNS:-16}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
OUT=bench/results/workers-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
trap cleanup EXIT
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then ./mvnw -B -q package -DskipTests -Dfuzz.skip; fi
REFERENCE_RPS=40
log "machine: $(nproc) cores, load $(load); $(java -version 2>&1 | head -1); jar $JAR"
make_echo_script
prepare_store "$JAR"

use() { # spawn | worker-sh | worker-py: what the definitions' script "echo" is
  rm -f "$WORK/scripts/echo.worker"
  case $1 in
    spawn) cp scripts/hello "$WORK/scripts/echo" ;;
    worker-sh) cp scripts/hello-worker "$WORK/scripts/echo" ;;
    worker-py) cp scripts/hello-worker.py "$WORK/scripts/echo" ;;
  esac
  [[ $1 == spawn ]] || printf 'min=%s\nmax=%s\n' "$WORKERS" "$WORKERS" >"$WORK/scripts/echo.worker"
  chmod +x "$WORK/scripts/echo"
}
check() { # one trigger must answer 200 with the script's body
  local body
  body=$(curl -fsS -X POST -H "Authorization: Bearer $SECRET_ADMIT" -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$UDAPI_PORT/api/custom/svc1/items/1")
  [[ $body == *hello* ]] || { echo "unexpected answer: $body" >&2; exit 1; }
}

echo -e "variant\tround\trps\tmean_ms\tp50_ms\tp99_ms\tnon2xx\tcpu_us_per_req\tload1" >"$OUT/runs.tsv"
variants=(spawn worker-sh worker-py)
for r in $(seq 1 "$ROUNDS"); do
  order=("${variants[@]}"); ((r % 2)) || order=(worker-py worker-sh spawn)
  for v in "${order[@]}"; do
    use "$v"
    start_udapi "$JAR" "$SERVER_CPU" process "$WORK/data"
    check
    run_wrk udapi-warmup $UDAPI_PORT admit 5 >/dev/null 2>&1
    run_wrk "udapi-$v" $UDAPI_PORT admit "$DURATION"
    echo -e "$v\t$r\t${R[rps]}\t$(awk -v m="${R[mean_us]}" 'BEGIN{printf "%.2f", m/1000}')\t$(awk -v m="${R[p50_us]}" 'BEGIN{printf "%.2f", m/1000}')\t$(awk -v m="${R[p99_us]}" 'BEGIN{printf "%.2f", m/1000}')\t${R[non2xx]}\t$CPU_US\t$(load | cut -d' ' -f1)" >>"$OUT/runs.tsv"
    [[ $v == spawn ]] || log "worker processes: $(pgrep -P "$UDAPI_PID" | wc -l)"
    stop_udapi
  done
done

if ((SOAK > 0)); then
  use "${SOAK_VARIANT:-worker-sh}"
  start_udapi "$JAR" "$SERVER_CPU" process "$WORK/data"
  check
  echo -e "seconds\tudapi_rss_kib\tworkers\tworker_rss_kib" >"$OUT/rss.tsv"
  MODE=admit SECRET=$SECRET_ADMIT NROUTES=$NROUTES RATE=${RATE:-0} taskset -c "$CLIENT_CPU" \
    wrk -t1 -c"$CONNS" -d"${SOAK}s" --timeout 10s -s bench/load/trigger.lua "http://127.0.0.1:$UDAPI_PORT" >"$OUT/soak-wrk.txt" &
  WRK_PID=$!; PIDS+=("$WRK_PID")
  t0=$(date +%s)
  while kill -0 "$WRK_PID" 2>/dev/null; do
    children=$(pgrep -P "$UDAPI_PID" | tr '\n' ' ')
    wrss=0; for c in $children; do wrss=$((wrss + $(rss_kb "$c" 2>/dev/null || echo 0))); done
    echo -e "$(( $(date +%s) - t0 ))\t$(rss_kb "$UDAPI_PID")\t$(echo "$children" | wc -w)\t$wrss" >>"$OUT/rss.tsv"
    sleep "$INTERVAL"
  done
  wait "$WRK_PID" || true
  stop_udapi
  left=$(pgrep -f "$WORK/scripts/echo" | wc -l || true)
  log "soak done; processes of the worker script left after udapi stopped: $left"
fi

{
  echo "# Worker scripts vs a process per run, $(date -u +%FT%TZ)"
  echo
  echo "udapi (JVM, process engine) on CPU $SERVER_CPU with its scripts, wrk -t1 -c$CONNS on CPU $CLIENT_CPU, $DURATION s per run after 5 s of warm-up, $ROUNDS rounds alternating; worker: $WORKERS processes of scripts/hello-worker; spawn: scripts/hello."
  echo
  if ((ROUNDS > 0)); then
  echo "| variant | round | req/s | mean ms | p50 ms | p99 ms | non-2xx | udapi CPU µs/req | load1 |"
  echo "|---|---|---|---|---|---|---|---|---|"
  tail -n +2 "$OUT/runs.tsv" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}'
  echo
  awk -F'\t' -v ref=$REFERENCE_RPS 'NR>1 {s[$1]+=$3; n[$1]++; p[$1]=p[$1] " " $6}
    END {sp=s["spawn"]/n["spawn"];
      for (v in s) printf "- %s: mean %.0f req/s = %.1fx spawn, %.0fx the reference (%d req/s); p99 ms per round:%s\n", v, s[v]/n[v], (s[v]/n[v])/sp, (s[v]/n[v])/ref, ref, p[v]}' "$OUT/runs.tsv"
  fi
  if ((SOAK > 0)); then
    echo
    echo "Soak, $SOAK s of worker load, sampled every $INTERVAL s (rss.tsv): first and last sample"
    echo
    echo '```'
    head -2 "$OUT/rss.tsv"; tail -1 "$OUT/rss.tsv"
    echo '```'
    grep RESULT "$OUT/soak-wrk.txt" || true
  fi
  echo "- load average at the end: $(load)"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
