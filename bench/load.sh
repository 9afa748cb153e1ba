#!/usr/bin/env bash
# Load test of udapi against HAProxy doing the same job, both in front of the same nginx (see bench/README.md).
#
#   bench/load.sh            # about 8 minutes; results in bench/results/load-<timestamp>/ (summary.md, raw.txt)
#
# Environment (all optional):
#   DURATION=10   seconds per measured wrk run      ROUNDS=2      alternating udapi/HAProxy rounds
#   CONNS=64      wrk connections                   NROUTES=2000  definitions svc<i>/items/{id}
#   FLOOD=1000000 invalid-secret requests to check for zero Argon2 runs
#   SKIP_BUILD=1  reuse target/quarkus-app          PROFILE=1     record a JFR of udapi under the admit load
#   CONNS_PROCESS=4  wrk connections for the process engine
#   SCOPE=1       also measure rate limits of cluster scope (a local redis-server) against instance scope
#   CLUSTER_TIMEOUT=1s  udapi.limits.cluster-timeout of the cluster-scope instance
#
# Layout on the 2 cores (taskset): the server under test (udapi JVM or HAProxy) on CPU 1; wrk and the upstream
# nginx on CPU 0. The nginx ceiling is a second nginx, alone on CPU 1. The machine is shared: the load average
# is recorded with every figure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-64}
# 2,000 definitions: the admit token's limit (100 per second per definition, udapi's maximum) then admits up to
# 200,000 req/s in all, so the admit scenario measures admitted triggers on both servers. With 500, HAProxy's
# admit runs were mostly 429s (its rate also counts refused requests), which the non-2xx column now shows.
NROUTES=${NROUTES:-2000}
FLOOD=${FLOOD:-1000000}
PROFILE=${PROFILE:-1}
SCOPE=${SCOPE:-1}
REDIS_PORT=18379 CLUSTER_PORT=18083 CLUSTER_MGMT_PORT=19003
NGINX_PORT=18081 CEILING_PORT=18082 UDAPI_PORT=18080 MGMT_PORT=19000 HAPROXY_PORT=18090
SERVER_CPU=1 CLIENT_CPU=0
ADMIN_PASSWORD=bench-admin-password-0123
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/load-$STAMP
WORK=$(mktemp -d /tmp/udapi-load.XXXXXX)
mkdir -p "$OUT"
RAW=$OUT/raw.txt
SUMMARY=$OUT/summary.md

log() { echo "[$(date +%T)] $*" | tee -a "$RAW" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- 1. tools
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v haproxy >/dev/null || need+=(haproxy)
command -v nginx >/dev/null || need+=(nginx)
command -v jq >/dev/null || need+=(jq)
[[ $SCOPE == 1 ]] && { command -v redis-server >/dev/null || need+=(redis-server); }
if ((${#need[@]})); then
  log "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f target/quarkus-app/quarkus-run.jar ]]; then
  log "building target/quarkus-app"
  ./mvnw -B -q package -DskipTests
fi

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$WORK"/nginx-*.pid "$WORK"/haproxy.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true; done
  [[ -n ${UDAPI_PID:-} ]] && kill "$UDAPI_PID" 2>/dev/null || true
  [[ -n ${CLUSTER_PID:-} ]] && kill "$CLUSTER_PID" 2>/dev/null || true
  [[ -n ${REDIS_PID:-} ]] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

{
  echo "# udapi load test $STAMP"
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1); $(haproxy -v | head -1); $(nginx -v 2>&1); $(wrk -v 2>&1 | head -1)"
  echo "load average at start: $(load)"
} >>"$RAW"

# ---- 2. nginx: upstream (CPU 0) and ceiling (CPU 1)
start_nginx() { # port cpu
  sed -e "s#@WORK@#$WORK#g" -e "s#@PORT@#$1#g" bench/load/nginx.conf.in >"$WORK/nginx-$1.conf"
  taskset -c "$2" nginx -c "$WORK/nginx-$1.conf" -e "$WORK/nginx-$1-error.log"
}
start_nginx $NGINX_PORT $CLIENT_CPU
start_nginx $CEILING_PORT $SERVER_CPU

# ---- 3. udapi
mkdir -p "$WORK/data" "$WORK/scripts"
printf '#!/bin/sh\ncat >/dev/null; printf '"'"'{"responseCode":200,"responseBody":"ok"}'"'"'\n' >"$WORK/scripts/echo"
chmod +x "$WORK/scripts/echo"

UDAPI_PID=
start_udapi() { # cpus engine(http|process) [port mgmt-port data-dir extra -D options...] -> sets UDAPI_PID, STARTUP_MS
  local cpus=$1 engine=$2 port=${3:-$UDAPI_PORT} mgmt=${4:-$MGMT_PORT} data=${5:-$WORK/data} t0
  shift $(( $# < 5 ? $# : 5 ))
  local opts=(-Dquarkus.http.port=$port -Dquarkus.management.port=$mgmt
    -Dudapi.file-store.dir="$data" -Dudapi.scripts.dir="$WORK/scripts" -Dudapi.access-log.enabled=false
    -Dudapi.node-id=bench -Dudapi.script-engine=$engine -Dudapi.http-engine.url=http://127.0.0.1:$NGINX_PORT "$@")
  t0=$(date +%s%N)
  UDAPI_ADMIN_PASSWORD=$ADMIN_PASSWORD taskset -c "$cpus" java ${JAVA_OPTS:-} "${opts[@]}" \
    -jar target/quarkus-app/quarkus-run.jar >>"$WORK/udapi.log" 2>&1 &
  UDAPI_PID=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$mgmt/q/health/ready"; do
    kill -0 "$UDAPI_PID" 2>/dev/null || { tail -50 "$WORK/udapi.log"; echo "udapi died" >&2; exit 1; }
    sleep 0.02
  done
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  # CPU time the JVM used until ready (user + system, clock ticks): independent of how busy the machine is
  STARTUP_CPU_MS=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$UDAPI_PID/stat")
}
stop_udapi() {
  kill "$UDAPI_PID"; wait "$UDAPI_PID" 2>/dev/null || true; UDAPI_PID=
}
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }

log "starting udapi (empty store)"
start_udapi 0,1 http
COLD_MS=$STARTUP_MS
log "ready after $COLD_MS ms (empty store, first start)"

source bench/lib/haproxy.sh
ADMIN=(-fsS -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json')
BASE=http://127.0.0.1:$UDAPI_PORT/admin/v1
SECRET_ADMIT=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
SECRET_LIMITED=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
TOK_ADMIT=$(curl "${ADMIN[@]}" "$BASE/tokens" \
  -d "{\"name\":\"bench-admit\",\"secret\":\"$SECRET_ADMIT\",\"rateLimit\":{\"limit\":100,\"window\":\"PT1S\"}}" | jq -r .id)
TOK_LIMITED=$(curl "${ADMIN[@]}" "$BASE/tokens" \
  -d "{\"name\":\"bench-limited\",\"secret\":\"$SECRET_LIMITED\",\"rateLimit\":{\"limit\":1,\"window\":\"P1D\"}}" | jq -r .id)
log "tokens: admit=$TOK_ADMIT limited=$TOK_LIMITED; creating $NROUTES definitions"
t0=$(date +%s)
seq 0 $((NROUTES - 1)) | xargs -P 4 -I{} curl "${ADMIN[@]}" -o /dev/null "$BASE/definitions" \
  -d "{\"route\":\"svc{}/items/{id}\",\"allowedTokens\":[\"$TOK_ADMIT\"],\"actionMeta\":{\"scriptName\":\"echo\"}}"
DEF_LIMITED=$(curl "${ADMIN[@]}" "$BASE/definitions" \
  -d "{\"route\":\"limited/{id}\",\"allowedTokens\":[\"$TOK_LIMITED\"],\"actionMeta\":{\"scriptName\":\"echo\"}}" | jq -r .id)
log "definitions created in $(( $(date +%s) - t0 )) s"
# the svc definitions' ids, for HAProxy's maps
list_definitions
stop_udapi

# ---- 4. start-up time with the populated file store (3 starts on both cores, then the pinned one used below)
STARTS=()
STARTS_CPU=()
for i in 1 2 3; do start_udapi 0,1 http; STARTS+=("$STARTUP_MS"); STARTS_CPU+=("$STARTUP_CPU_MS"); stop_udapi; done
log "start-up to ready (2 cores, $((NROUTES + 1)) definitions): ${STARTS[*]} ms; JVM CPU time until ready: ${STARTS_CPU[*]} ms; load $(load)"
start_udapi $SERVER_CPU http
PINNED_START=$STARTUP_MS
log "start-up to ready (pinned to CPU $SERVER_CPU): $PINNED_START ms"
sleep 3
RSS_IDLE=$(rss_kb "$UDAPI_PID")
log "udapi RSS idle after start: $RSS_IDLE kB"

# ---- 5. HAProxy with the same tokens and routes
start_haproxy

# ---- 6. sanity: each target answers each scenario as expected
status() { # port path secret
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    -d '{}' "http://127.0.0.1:$1$2"
}
curl -s -o /dev/null -H "Authorization: Bearer $SECRET_LIMITED" -X POST "http://127.0.0.1:$UDAPI_PORT/api/custom/limited/1"
for port in $UDAPI_PORT $HAPROXY_PORT; do
  got="$(status $port /api/custom/svc7/items/1 "$SECRET_ADMIT") $(status $port /api/custom/limited/2 "$SECRET_LIMITED")"
  got="$got $(status $port /api/custom/limited/3 "$SECRET_LIMITED")"
  got="$got $(status $port /api/custom/svc7/items/1 "x$SECRET_ADMIT") $(status $port /api/custom/nope1/x "$SECRET_ADMIT")"
  log "sanity port $port: admit,limited,limited,invalid,unknown -> $got"
  [[ $got == "200 "*" 429 401 404" ]] || { echo "unexpected statuses on port $port: $got" >&2; exit 1; }
done

# ---- 7. measured runs
declare -A SECRET_OF=([admit]=$SECRET_ADMIT [limited]=$SECRET_LIMITED [invalid]=x [unknown]=$SECRET_ADMIT)
RESULTS=$OUT/runs.tsv
echo -e "target\tscenario\tround\trps\tp50_us\tp99_us\tp999_us\tmean_us\trequests\tnon2xx\terrors\tload1\tcpu_us_per_req" >"$RESULTS"
cpu_ms() { awk -v hz="$CLK_TCK" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }
CLK_TCK=$(getconf CLK_TCK)
target_pid() { # target name -> pid of the process serving it (CPU time is read from it)
  case $1 in
    scope-instance) echo "$INSTANCE_PID" ;;
    scope-cluster) echo "$CLUSTER_PID" ;;
    *udapi*) echo "$UDAPI_PID" ;;
    haproxy*) cat "$WORK/haproxy.pid" ;;
    nginx-ceiling) pgrep -P "$(cat "$WORK/nginx-$CEILING_PORT.pid")" | head -1 ;;
  esac
}
run_wrk() { # target port scenario round duration
  local line pid c0 c1
  pid=$(target_pid "$1"); c0=$(cpu_ms "$pid")
  line=$(MODE=$3 SECRET=${SECRET_OF[$3]:-$SECRET_ADMIT} NROUTES=$NROUTES taskset -c $CLIENT_CPU \
    wrk -t1 -c"$CONNS" -d"$5s" --timeout 10s -s bench/load/trigger.lua "http://127.0.0.1:$2" | tee -a "$RAW" | grep '^RESULT')
  c1=$(cpu_ms "$pid")
  local kv; declare -A r; for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
  # CPU time of the server per request, in microseconds: robust against the machine's other load
  local cpu_us=$(( (c1 - c0) * 1000 / (r[requests] > 0 ? r[requests] : 1) ))
  echo -e "$1\t$3\t$4\t${r[rps]}\t${r[p50_us]}\t${r[p99_us]}\t${r[p999_us]}\t${r[mean_us]}\t${r[requests]}\t${r[non2xx]}\t$((${r[err_connect]} + ${r[err_read]} + ${r[err_write]} + ${r[err_timeout]}))\t$(load | cut -d' ' -f1)\t$cpu_us" >>"$RESULTS"
  LAST_REQUESTS=${r[requests]}
  log "$1 $3 round $4: ${r[rps]} req/s p50 ${r[p50_us]} us p99 ${r[p99_us]} us p99.9 ${r[p999_us]} us, server CPU $cpu_us us/req (load $(load))"
}

log "warm-up: udapi JIT (15 s admit + 5 s of each other scenario), HAProxy 5 s"
run_wrk warmup-udapi $UDAPI_PORT admit 0 15 >/dev/null
for s in limited invalid unknown; do run_wrk warmup-udapi $UDAPI_PORT $s 0 5 >/dev/null; done
run_wrk warmup-haproxy $HAPROXY_PORT admit 0 5 >/dev/null

# RSS under load: sampled every second during the measured runs
( peak=0; while kill -0 "$UDAPI_PID" 2>/dev/null; do v=$(rss_kb "$UDAPI_PID" || echo 0); ((v > peak)) && peak=$v && echo "$peak" >"$WORK/rss-peak"; sleep 1; done ) &
PIDS+=($!)

for round in $(seq 1 "$ROUNDS"); do
  for scenario in admit limited invalid unknown; do
    if ((round % 2)); then order=("udapi $UDAPI_PORT" "haproxy $HAPROXY_PORT"); else order=("haproxy $HAPROXY_PORT" "udapi $UDAPI_PORT"); fi
    for t in "${order[@]}"; do run_wrk ${t% *} ${t#* } $scenario "$round" "$DURATION"; done
  done
  run_wrk nginx-ceiling $CEILING_PORT admit "$round" "$DURATION"
done
RSS_LOAD=$(cat "$WORK/rss-peak")
log "udapi RSS peak under load: $RSS_LOAD kB"

# ---- 8. invalid-secret flood: no Argon2 at all
verifications() {
  curl -fs "http://127.0.0.1:$MGMT_PORT/q/metrics" | awk '/^udapi_secret_verifications_total/{s += $NF} END {printf "%d", s}'
}
V0=$(verifications)
sent=0
t0=$(date +%s)
while ((sent < FLOOD)); do
  run_wrk udapi-flood $UDAPI_PORT invalid flood 15 >/dev/null
  sent=$((sent + LAST_REQUESTS))
done
V1=$(verifications)
log "invalid-secret flood: $sent requests in $(( $(date +%s) - t0 )) s, udapi_secret_verifications_total $V0 -> $V1 (delta $((V1 - V0)))"
curl -fs "http://127.0.0.1:$MGMT_PORT/q/metrics" | grep -E '^udapi_(secret|auth)' >>"$RAW" || true

# ---- 9. JFR of udapi under the admit load (for the profile section of RESULTS.md)
if [[ $PROFILE == 1 ]]; then
  jcmd "$UDAPI_PID" JFR.start name=bench settings=profile filename="$OUT/udapi-admit.jfr" >/dev/null
  run_wrk udapi-jfr $UDAPI_PORT admit profile 15 >/dev/null
  jcmd "$UDAPI_PID" JFR.stop name=bench >/dev/null
  log "JFR: $OUT/udapi-admit.jfr"
fi
stop_udapi

# ---- 9b. rate limits of cluster scope against instance scope: two udapi processes on CPU 1, the same data (a copy
# of the file store), one deciding limits in memory, one on a redis-server (CPU 0, beside wrk and nginx); alternated
# runs of the two scenarios that reach the limit stage. The Redis server's own CPU per request is reported apart.
# CLUSTER_TIMEOUT (1s here, 50ms by default in udapi): the cost of the server's decisions is measured, so none may
# fall back on this saturated 2-core machine (the summary prints the fallback count).
if [[ $SCOPE == 1 ]]; then
  mkdir -p "$WORK/redis"
  taskset -c $CLIENT_CPU redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$WORK/redis" --daemonize no --loglevel warning >"$WORK/redis/redis.log" 2>&1 &
  REDIS_PID=$!
  until redis-cli -p $REDIS_PORT ping >/dev/null 2>&1; do
    kill -0 "$REDIS_PID" 2>/dev/null || { cat "$WORK/redis/redis.log"; echo "redis-server did not start (port $REDIS_PORT taken?)" >&2; exit 1; }
    sleep 0.05
  done
  kill -0 "$REDIS_PID" 2>/dev/null || { echo "port $REDIS_PORT answered, but not our redis-server" >&2; exit 1; }
  cp -r "$WORK/data" "$WORK/data-cluster"
  start_udapi $SERVER_CPU http; INSTANCE_PID=$UDAPI_PID
  start_udapi $SERVER_CPU http $CLUSTER_PORT $CLUSTER_MGMT_PORT "$WORK/data-cluster" \
    -Dudapi.limits.scope=cluster -Dudapi.limits.redis.url=redis://127.0.0.1:$REDIS_PORT \
    -Dudapi.limits.cluster-timeout=${CLUSTER_TIMEOUT:-1s}
  CLUSTER_PID=$UDAPI_PID; UDAPI_PID=$INSTANCE_PID
  curl -s -o /dev/null -H "Authorization: Bearer $SECRET_LIMITED" -X POST "http://127.0.0.1:$CLUSTER_PORT/api/custom/limited/1"
  got="$(status $CLUSTER_PORT /api/custom/svc7/items/1 "$SECRET_ADMIT") $(status $CLUSTER_PORT /api/custom/limited/2 "$SECRET_LIMITED")"
  log "sanity cluster scope: admit,limited -> $got; keys on the server: $(redis-cli -p $REDIS_PORT dbsize)"
  [[ $got == "200 429" ]] || { echo "unexpected statuses in cluster scope: $got" >&2; exit 1; }
  log "warm-up: both scopes, 15 s admit + 5 s limited each"
  for t in "scope-instance $UDAPI_PORT" "scope-cluster $CLUSTER_PORT"; do
    run_wrk warmup-${t% *} ${t#* } admit 0 15 >/dev/null; run_wrk warmup-${t% *} ${t#* } limited 0 5 >/dev/null
  done
  REDIS_CPU=$OUT/redis-cpu.tsv
  echo -e "scenario\tround\trequests\tredis_cpu_us_per_req" >"$REDIS_CPU"
  for round in $(seq 1 "$ROUNDS"); do
    for scenario in admit limited; do
      if ((round % 2)); then order=("scope-instance $UDAPI_PORT" "scope-cluster $CLUSTER_PORT"); else order=("scope-cluster $CLUSTER_PORT" "scope-instance $UDAPI_PORT"); fi
      for t in "${order[@]}"; do
        r0=$(cpu_ms "$REDIS_PID")
        run_wrk ${t% *} ${t#* } $scenario "$round" "$DURATION"
        if [[ ${t% *} == scope-cluster ]]; then
          echo -e "$scenario\t$round\t$LAST_REQUESTS\t$(( ($(cpu_ms "$REDIS_PID") - r0) * 1000 / (LAST_REQUESTS > 0 ? LAST_REQUESTS : 1) ))" >>"$REDIS_CPU"
        fi
      done
    done
  done
  FALLBACKS=$(curl -fs "http://127.0.0.1:$CLUSTER_MGMT_PORT/q/metrics" | awk '/^udapi_limits_cluster_fallbacks_total/{print $NF}')
  log "cluster scope: udapi_limits_cluster_fallbacks_total $FALLBACKS; keys on the server: $(redis-cli -p $REDIS_PORT dbsize)"
  kill "$CLUSTER_PID" 2>/dev/null || true; wait "$CLUSTER_PID" 2>/dev/null || true; CLUSTER_PID=
  stop_udapi
  kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=
fi

# ---- 10. process engine: trivial sh script, as many connections as script slots (default max(4, cores) = 4),
# so the mean latency is the time of one run, not time spent queueing. First the floor of this machine: the same
# script started from bash on the same core, one at a time and 4 at a time.
spawn_rate() { # parallelism -> runs per second of 100 runs
  local t0=$(date +%s%N)
  seq 100 | taskset -c $SERVER_CPU xargs -P "$1" -I{} sh -c "echo '{}' | '$WORK/scripts/echo' >/dev/null"
  echo $(( 100 * 1000000000 / ($(date +%s%N) - t0) ))
}
SPAWN1=$(spawn_rate 1); SPAWN4=$(spawn_rate 4)
log "spawn floor (bash + sh script on CPU $SERVER_CPU): $SPAWN1 runs/s serial, $SPAWN4 runs/s 4 at a time (load $(load))"
start_udapi $SERVER_CPU process
CONNS_SAVED=$CONNS; CONNS=${CONNS_PROCESS:-4}
run_wrk warmup-process $UDAPI_PORT admit 0 5 >/dev/null
run_wrk udapi-process $UDAPI_PORT admit 1 "$DURATION"
PROC_LINE=$(tail -1 "$RESULTS")
CONNS=$CONNS_SAVED
stop_udapi

# ---- 11. summary
{
  echo "# Load test $STAMP"
  echo
  echo "$(sed -n 2,3p "$RAW")"
  echo "Layout: server under test pinned to CPU $SERVER_CPU; wrk (1 thread, $CONNS connections) and the upstream nginx on CPU $CLIENT_CPU;"
  echo "ceiling = a second nginx alone on CPU $SERVER_CPU. $DURATION s per run, $ROUNDS alternating rounds; $NROUTES definitions."
  echo
  echo "| scenario | udapi req/s | HAProxy req/s | udapi/HAProxy | udapi p50 / p99 / p99.9 (ms) | HAProxy p50 / p99 / p99.9 (ms) | server CPU µs/req udapi / HAProxy | non-2xx udapi / HAProxy | load1 |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for s in admit limited invalid unknown; do
    awk -F'\t' -v s=$s '
      $2==s && $1=="udapi"   {ur+=$4; u50+=$5; u99+=$6; u999+=$7; uc+=$13; un++; l+=$12; ln++; ureq+=$9; ubad+=$10}
      $2==s && $1=="haproxy" {hr+=$4; h50+=$5; h99+=$6; h999+=$7; hc+=$13; hn++; l+=$12; ln++; hreq+=$9; hbad+=$10}
      END { printf "| %s | %.0f | %.0f | %.2f | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.0f / %.0f | %.2f %% / %.2f %% | %.1f |\n", s, ur/un, hr/hn, (ur/un)/(hr/hn),
            u50/un/1000, u99/un/1000, u999/un/1000, h50/hn/1000, h99/hn/1000, h999/hn/1000, uc/un, hc/hn,
            100*ubad/ureq, 100*hbad/hreq, l/ln }' "$RESULTS"
  done
  awk -F'\t' '$2=="admit" && ($1=="udapi" || $1=="haproxy") && $10 > $9 / 100 {
      printf "\n**WARNING**: %s admit round %s answered %d of %d requests with a non-2xx status: not an admitted figure.\n", $1, $3, $10, $9 }' "$RESULTS"
  awk -F'\t' '$1=="nginx-ceiling" {r+=$4; p50+=$5; p99+=$6; p999+=$7; c+=$13; n++; l+=$12}
    END { printf "| nginx alone (ceiling) | %.0f | | | %.2f / %.2f / %.2f | | %.0f (nginx) | %.1f |\n", r/n, p50/n/1000, p99/n/1000, p999/n/1000, c/n, l/n }' "$RESULTS"
  echo
  echo "(means over the rounds; every run is in runs.tsv)"
  if [[ $SCOPE == 1 ]]; then
    echo
    echo "Rate limits of cluster scope (redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on CPU $CLIENT_CPU) against instance scope, both udapi on CPU $SERVER_CPU:"
    echo
    echo "| scenario | instance req/s | cluster req/s | cluster/instance | instance p50 / p99 (ms) | cluster p50 / p99 (ms) | udapi CPU µs/req instance / cluster | Redis CPU µs/req | load1 |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for s in admit limited; do
      rc=$(awk -F'\t' -v s=$s '$1==s {c+=$4; n++} END {printf "%.0f", c/n}' "$REDIS_CPU")
      awk -F'\t' -v s=$s -v rc="$rc" '
        $2==s && $1=="scope-instance" {ir+=$4; i50+=$5; i99+=$6; ic+=$13; in_++; l+=$12; ln++}
        $2==s && $1=="scope-cluster"  {cr+=$4; c50+=$5; c99+=$6; cc+=$13; cn++; l+=$12; ln++}
        END { printf "| %s | %.0f | %.0f | %.2f | %.2f / %.2f | %.2f / %.2f | %.0f / %.0f | %s | %.1f |\n", s, ir/in_, cr/cn, (cr/cn)/(ir/in_),
              i50/in_/1000, i99/in_/1000, c50/cn/1000, c99/cn/1000, ic/in_, cc/cn, rc, l/ln }' "$RESULTS"
    done
    echo
    echo "(udapi_limits_cluster_fallbacks_total after the runs: $FALLBACKS)"
  fi
  echo
  echo "- invalid-secret flood: $sent requests, udapi_secret_verifications_total $V0 -> $V1 (Argon2 runs: $((V1 - V0)))"
  echo "- start-up to ready, file store with $((NROUTES + 1)) definitions and 2 tokens: ${STARTS[*]} ms (2 cores; CPU time used until ready: ${STARTS_CPU[*]} ms); $PINNED_START ms (1 core); first start, empty store: $COLD_MS ms"
  echo "- udapi RSS: idle $((RSS_IDLE / 1024)) MiB, peak under load $((RSS_LOAD / 1024)) MiB (default JVM heap settings)"
  echo "- process engine (sh script, CPU $SERVER_CPU, ${CONNS_PROCESS:-4} connections): $(echo "$PROC_LINE" | awk -F'\t' '{printf "%.0f req/s, mean %.1f ms, p99 %.1f ms, %d non-2xx", $4, $8/1000, $6/1000, $10}'); machine floor: the same script from bash $SPAWN1 runs/s serial, $SPAWN4 runs/s 4 at a time"
  echo "- load average at the end: $(load)"
} >"$SUMMARY"
cp "$WORK/udapi.log" "$OUT/udapi.log" 2>/dev/null || true
cat "$SUMMARY"
