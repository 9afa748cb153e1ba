#!/usr/bin/env bash
# Process engine A/B: udapi with udapi.script-engine=process running the trivial sh script of bench/load.sh,
# for several variants (jar + JVM options), ROUNDS rounds alternating the order; udapi on CPU 1, wrk -c4
# (= script slots) on CPU 0. Each run: a fresh udapi, 5 s warm-up, DURATION s measured.
#
#   bench/process-ab.sh 'base=/work/wt-perf-base/target/quarkus-app/quarkus-run.jar' 'new=target/quarkus-app/quarkus-run.jar'
# Environment: DURATION=15, ROUNDS=3, CONNS_PROCESS=4. Output: bench/results/process-ab-<UTC>/ (raw.txt, runs.tsv, summary.md)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3}
OUT=bench/results/process-ab-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
trap cleanup EXIT
parse_variants "$@"
log "machine: $(nproc) cores, load $(load); $(java -version 2>&1 | head -1); variants: ${names[*]}"
make_echo_script
NROUTES=${NROUTES:-50}
prepare_store "${jars[-1]}"
CONNS=${CONNS_PROCESS:-4}
echo -e "variant\tround\trps\tmean_ms\tp50_ms\tp99_ms\tnon2xx\tudapi_cpu_us_per_req\tload1" >"$OUT/runs.tsv"
for r in $(seq 1 "$ROUNDS"); do
  idx=("${!names[@]}"); ((r % 2)) || idx=($(printf '%s\n' "${idx[@]}" | tac))
  for v in "${idx[@]}"; do
    # shellcheck disable=SC2086
    start_udapi "${jars[$v]}" "$SERVER_CPU" process "$WORK/data" ${opts[$v]}
    run_wrk udapi-warmup $UDAPI_PORT admit 5 >/dev/null 2>&1
    run_wrk "udapi-${names[$v]}" $UDAPI_PORT admit "$DURATION"
    echo -e "${names[$v]}\t$r\t${R[rps]}\t$(awk -v m="${R[mean_us]}" 'BEGIN{printf "%.1f", m/1000}')\t$((R[p50_us] / 1000))\t$((R[p99_us] / 1000))\t${R[non2xx]}\t$CPU_US\t$(load | cut -d' ' -f1)" >>"$OUT/runs.tsv"
    jcmd "$UDAPI_PID" VM.system_properties 2>/dev/null | grep -i launchMechanism | sed "s/^/${names[$v]}: /" >>"$RAW" || true
    stop_udapi
  done
done
{
  echo "# Process engine A/B, $(date -u +%FT%TZ); udapi on CPU $SERVER_CPU, wrk -t1 -c$CONNS on CPU $CLIENT_CPU, $DURATION s per run, $ROUNDS rounds alternating"
  echo
  ab_summary_head "$OUT/runs.tsv"
  first=${names[0]}
  awk -F'\t' -v f="$first" 'NR>1 {s[$1]+=$3; n[$1]++} END {for (v in s) printf "- %s: mean %.1f req/s, ratio to %s %.2f\n", v, s[v]/n[v], f, (s[v]/n[v])/(s[f]/n[f])}' "$OUT/runs.tsv"
  echo "- load average at the end: $(load)"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
