#!/usr/bin/env bash
# Scripts that spin against the rest of udapi: for each variant (jar + JVM options), udapi with the process engine
# on CPU 1 runs HOGS scripts that spin on the CPU (the script slots' worth, they inherit udapi's CPU), while wrk on
# CPU 0 sends triggers that udapi answers itself (the "limited" scenario: 429, no script) for DURATION s. The figure
# is what the spinning scripts leave of udapi's own answers (docs/security.md, "Scripts yield to udapi"), next to
# the same measurement with no script running (the "quiet" rows). ROUNDS rounds, alternating the order.
#
#   bench/hog-ab.sh 'equal=target/quarkus-app/quarkus-run.jar -Dudapi.scripts.priority.nice=0' 'nice10=target/quarkus-app/quarkus-run.jar'
# Environment: DURATION=10, ROUNDS=3, HOGS=4, CONNS=16. Output: bench/results/hog-ab-<UTC>/ (raw.txt, runs.tsv, summary.md)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10} ROUNDS=${ROUNDS:-3} HOGS=${HOGS:-4} CONNS=${CONNS:-16}
NROUTES=${NROUTES:-50}   # before common.sh, which defaults it to 2,000
OUT=bench/results/hog-ab-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
HOG_PIDS=()
stop_hogs() { for pid in "${HOG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; HOG_PIDS=(); }
trap 'stop_hogs; cleanup' EXIT
parse_variants "$@"
log "machine: $(nproc) cores, load $(load); $(java -version 2>&1 | head -1); variants: ${names[*]}; $HOGS spinning scripts"
make_echo_script
printf '#!/bin/sh\ncat >/dev/null\nwhile :; do :; done\n' >"$WORK/scripts/spin"
chmod +x "$WORK/scripts/spin"
prepare_store "${jars[-1]}"
start_udapi "${jars[-1]}" 0,1 http "$WORK/data"
curl -fsS -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json' -o /dev/null \
  "http://127.0.0.1:$UDAPI_PORT/admin/v1/definitions" \
  -d "{\"route\":\"spin/{id}\",\"allowedTokens\":[\"$TOK_ADMIT\"],\"actionMeta\":{\"scriptName\":\"spin\"}}"
stop_udapi
echo -e "variant\tscripts\tround\trps\tp50_ms\tp99_ms\tnon2xx\tspinning\tload1" >"$OUT/runs.tsv"
for r in $(seq 1 "$ROUNDS"); do
  idx=("${!names[@]}"); ((r % 2)) || idx=($(printf '%s\n' "${idx[@]}" | tac))
  for v in "${idx[@]}"; do
    # shellcheck disable=SC2086
    start_udapi "${jars[$v]}" "$SERVER_CPU" process "$WORK/data" ${opts[$v]} -Dudapi.script.timeout=$((DURATION * 3 + 30))s
    run_wrk udapi-warmup $UDAPI_PORT limited 5 >/dev/null 2>&1
    for phase in quiet spinning; do
      if [[ $phase == spinning ]]; then
        for h in $(seq 1 "$HOGS"); do
          taskset -c "$CLIENT_CPU" curl -s -o /dev/null -m $((DURATION * 3 + 30)) -X POST -H "Authorization: Bearer $SECRET_ADMIT" \
            "http://127.0.0.1:$UDAPI_PORT/api/custom/spin/$h" &
          HOG_PIDS+=($!)
        done
        for _ in $(seq 1 100); do [[ $(pgrep -fc "$WORK/scripts/spin" || true) -ge $HOGS ]] && break; sleep 0.05; done
      fi
      spinning=$(pgrep -fc "$WORK/scripts/spin" || true)
      run_wrk "udapi-${names[$v]}" $UDAPI_PORT limited "$DURATION"
      echo -e "${names[$v]}\t$phase\t$r\t${R[rps]}\t$(awk -v p="${R[p50_us]}" 'BEGIN{printf "%.2f", p/1000}')\t$(awk -v p="${R[p99_us]}" 'BEGIN{printf "%.2f", p/1000}')\t${R[non2xx]}\t$spinning\t$(load | cut -d' ' -f1)" >>"$OUT/runs.tsv"
    done
    stop_hogs
    pkill -f "$WORK/scripts/spin" 2>/dev/null || true   # their runs fail at once, so the shutdown does not wait for them
    stop_udapi
  done
done
{
  echo "# Spinning scripts against udapi's own answers ($(date -u +%FT%TZ))"
  echo
  echo "$(nproc) cores; udapi on CPU $SERVER_CPU (its scripts with it), wrk -c$CONNS on CPU $CLIENT_CPU; \"limited\" triggers (429 from"
  echo "udapi itself), ${DURATION} s per run, $HOGS spinning scripts in the \"spinning\" rows."
  echo
  ab_summary_head "$OUT/runs.tsv"
  echo "Medians of the rounds:"
  echo
  echo "| variant | scripts | rps | p99 ms |"
  echo "|---|---|---|---|"
  for v in "${!names[@]}"; do
    for phase in quiet spinning; do
      med() { awk -F'\t' -v n="${names[$v]}" -v ph="$phase" -v c="$1" '$1 == n && $2 == ph {print $c}' "$OUT/runs.tsv" |
        sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
      echo "| ${names[$v]} | $phase | $(med 4) | $(med 6) |"
    done
  done
} >"$OUT/summary.md"
cat "$OUT/summary.md"
