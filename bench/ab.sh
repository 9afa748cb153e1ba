#!/usr/bin/env bash
# A/B of builds or settings on the trigger paths: each variant is a udapi (http engine in front of nginx) measured
# on SCENARIOS (wrk scenarios of bench/load/trigger.lua), ROUNDS rounds alternating the order; udapi on CPU 1, wrk,
# nginx (and redis-server) on CPU 0. The same layout as bench/load.sh, without HAProxy.
#
#   bench/ab.sh 'before=/tmp/before/quarkus-run.jar' 'after=target/quarkus-app/quarkus-run.jar -Dsome.option=x'
# Environment: DURATION=10, ROUNDS=3, SCENARIOS="admit limited invalid unknown", SCOPE=instance.
# SCOPE=cluster (bench/scope-ab.sh): udapi.limits.scope=cluster on one local redis-server, whose CPU per request is
# reported too; a variant named "instance" then runs in instance scope, the baseline of the same jar; CLUSTER_TIMEOUT=1s
# (no decision may fall back: the cost of the server's decisions is measured).
# Output: bench/results/ab-<UTC>/ (scope-ab-<UTC> in cluster scope): raw.txt, runs.tsv, summary.md
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10} ROUNDS=${ROUNDS:-3} REDIS_PORT=${REDIS_PORT:-18379} SCOPE=${SCOPE:-instance}
SCENARIOS=${SCENARIOS:-admit limited invalid unknown}
case $SCOPE in instance) OUT=bench/results/ab ;; cluster) OUT=bench/results/scope-ab ;; *) echo "SCOPE: instance or cluster" >&2; exit 2 ;; esac
OUT=$OUT-$(date -u +%Y%m%dT%H%M%SZ); mkdir -p "$OUT"; RAW=$OUT/raw.txt
source bench/lib/common.sh
REDIS_PID=
# redis-server first: cleanup waits for every child
trap '[[ -n $REDIS_PID ]] && kill $REDIS_PID 2>/dev/null; cleanup' EXIT
parse_variants "$@"
if [[ $SCOPE == cluster ]]; then
  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
fi
log "machine: $(nproc) cores, load $(load); $(java -version 2>&1 | head -1); scope $SCOPE; variants: ${names[*]}"
make_echo_script
NROUTES=${NROUTES:-2000}
start_nginx $NGINX_PORT $CLIENT_CPU
prepare_store "${jars[-1]}"
if [[ $SCOPE == cluster ]]; then
mkdir -p "$WORK/redis"
taskset -c "$CLIENT_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK/redis" \
  --daemonize no --loglevel warning >"$WORK/redis/redis.log" 2>&1 &
REDIS_PID=$!
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do
  kill -0 "$REDIS_PID" 2>/dev/null || { cat "$WORK/redis/redis.log"; echo "redis-server did not start (port $REDIS_PORT taken?)" >&2; exit 1; }
  sleep 0.05
done
fi
echo -e "variant\tscenario\tround\trps\tp50_ms\tp99_ms\tnon2xx\tudapi_cpu_us_per_req\tredis_cpu_us_per_req\tfallbacks\tload1" >"$OUT/runs.tsv"
for r in $(seq 1 "$ROUNDS"); do
  idx=("${!names[@]}"); ((r % 2)) || idx=($(printf '%s\n' "${idx[@]}" | tac))
  for v in "${idx[@]}"; do
    scope=$SCOPE; [[ ${names[$v]} == instance ]] && scope=instance
    rm -rf "$WORK/data-run"; cp -r "$WORK/data" "$WORK/data-run"
    [[ $SCOPE == cluster ]] && redis-cli -p "$REDIS_PORT" flushall >/dev/null
    # shellcheck disable=SC2086
    start_udapi "${jars[$v]}" "$SERVER_CPU" http "$WORK/data-run" ${opts[$v]} -Dudapi.limits.scope=$scope \
      -Dudapi.limits.redis.url=redis://127.0.0.1:$REDIS_PORT -Dudapi.limits.cluster-timeout=${CLUSTER_TIMEOUT:-1s}
    curl -s -o /dev/null -H "Authorization: Bearer $SECRET_LIMITED" -X POST "http://127.0.0.1:$UDAPI_PORT/api/custom/limited/1"
    run_wrk udapi-warmup $UDAPI_PORT admit 10 >/dev/null 2>&1
    run_wrk udapi-warmup $UDAPI_PORT limited 5 >/dev/null 2>&1
    for scenario in $SCENARIOS; do
      r0=$(cpu_ms "${REDIS_PID:-0}")
      run_wrk "udapi-${names[$v]}" $UDAPI_PORT $scenario "$DURATION"
      redis_us=$(( ($(cpu_ms "${REDIS_PID:-0}") - r0) * 1000 / (R[requests] > 0 ? R[requests] : 1) ))
      fallbacks=$(curl -fs "http://127.0.0.1:$MGMT_PORT/q/metrics" | awk '/^udapi_limits_cluster_fallbacks_total/{print $NF}')
      echo -e "${names[$v]}\t$scenario\t$r\t${R[rps]}\t$(awk -v p="${R[p50_us]}" 'BEGIN{printf "%.2f", p/1000}')\t$(awk -v p="${R[p99_us]}" 'BEGIN{printf "%.2f", p/1000}')\t${R[non2xx]}\t$CPU_US\t$redis_us\t${fallbacks:-0}\t$(load | cut -d' ' -f1)" >>"$OUT/runs.tsv"
    done
    stop_udapi
  done
done
{
  echo "# A/B ($SCOPE scope), $(date -u +%FT%TZ); udapi on CPU $SERVER_CPU; wrk -t1 -c${CONNS:-64}, nginx and redis-server on CPU $CLIENT_CPU; $DURATION s per run, $ROUNDS rounds alternating"
  echo
  ab_summary_head "$OUT/runs.tsv"
  first=${names[0]}
  for s in $SCENARIOS; do
    awk -F'\t' -v f="$first" -v s=$s 'NR>1 && $2==s {r[$1]+=$4; c[$1]+=$8; q[$1]+=$9; p[$1]+=$6; n[$1]++}
      END {for (v in r) printf "- %s %s: %.0f req/s (%.2f of %s), p99 %.2f ms, udapi CPU %.0f µs/req (%.2f of %s), redis CPU %.0f µs/req\n",
           s, v, r[v]/n[v], (r[v]/n[v])/(r[f]/n[f]), f, p[v]/n[v], c[v]/n[v], (c[v]/n[v])/(c[f]/n[f]), f, q[v]/n[v]}' "$OUT/runs.tsv"
  done
  echo "- load average at the end: $(load)"
} >"$OUT/summary.md"
cat "$OUT/summary.md"
