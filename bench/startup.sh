#!/usr/bin/env bash
# Start-up to ready (GET /q/health/ready answers 200) with the file store, empty and with NROUTES+1 definitions,
# for several variants (jar + JVM options), STARTS starts each, interleaved (v1, v2, ..., v1, v2, ...) so the
# machine's load hits every variant alike. Also the JVM's CPU time until ready (user + system).
#
#   bench/startup.sh 'base=/work/wt-perf-base/target/quarkus-app/quarkus-run.jar' \
#                    'c1=target/quarkus-app/quarkus-run.jar -XX:TieredStopAtLevel=1'
# Each argument: name=JAR [JVM options...]. Environment: STARTS=5, CPUS=0,1 (taskset of udapi), NROUTES=500.
# Output: bench/results/startup-<UTC>/ (raw.txt, starts.tsv, summary.md)
set -euo pipefail
cd "$(dirname "$0")/.."
STARTS=${STARTS:-5} CPUS=${CPUS:-0,1}
OUT=bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
trap cleanup EXIT
parse_variants "$@"
log "machine: $(nproc) cores, load $(load); $(java -version 2>&1 | head -1); variants: ${names[*]}"
make_echo_script
prepare_store "${jars[-1]}"
mkdir -p "$WORK/empty"
echo -e "variant\tstore\tstart\tready_ms\tjvm_cpu_ms\tload1" >"$OUT/starts.tsv"
for store in empty full; do
  data=$WORK/data; [[ $store == empty ]] && data=$WORK/empty
  for i in $(seq 1 "$STARTS"); do
    for v in "${!names[@]}"; do
      rm -rf "$WORK/empty"; mkdir -p "$WORK/empty"
      # shellcheck disable=SC2086
      start_udapi "${jars[$v]}" "$CPUS" http "$data" ${opts[$v]}
      stop_udapi
      echo -e "${names[$v]}\t$store\t$i\t$STARTUP_MS\t$STARTUP_CPU_MS\t$(load | cut -d' ' -f1)" >>"$OUT/starts.tsv"
      log "${names[$v]} $store #$i: ready after $STARTUP_MS ms (JVM CPU $STARTUP_CPU_MS ms), load $(load)"
    done
  done
done
{
  echo "# Start-up to ready, $(date -u +%FT%TZ), udapi on CPUs $CPUS, $STARTS starts per variant and store (interleaved)"
  echo
  for v in "${!names[@]}"; do echo "- ${names[$v]}: ${jars[$v]} ${opts[$v]}"; done
  echo
  echo "| variant | store | ready ms (each start) | median ms | JVM CPU ms median | median / first variant | load1 range |"
  echo "|---|---|---|---|---|---|---|"
  for store in empty full; do
    first=
    for v in "${names[@]}"; do
      vals=$(awk -F'\t' -v v="$v" -v s="$store" '$1==v && $2==s {print $4}' "$OUT/starts.tsv")
      med=$(echo "$vals" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
      cpu=$(awk -F'\t' -v v="$v" -v s="$store" '$1==v && $2==s {print $5}' "$OUT/starts.tsv" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
      lr=$(awk -F'\t' -v v="$v" -v s="$store" '$1==v && $2==s {print $6}' "$OUT/starts.tsv" | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {print lo "–" hi}')
      [[ -z $first ]] && first=$med
      echo "| $v | $store | $(echo $vals | tr ' ' '/') | $med | $cpu | $(awk -v a="$med" -v b="$first" 'BEGIN{printf "%.2f", a/b}') | $lr |"
    done
  done
  echo
  echo "load average at the end: $(load)"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
