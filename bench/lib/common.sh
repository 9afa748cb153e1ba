# Shared pieces of the benchmark scripts (halfload.sh, soak.sh, startup.sh, process-ab.sh).
# Source it from bench/; it does not start anything by itself.
#   JAR_A / JAR_B : quarkus-run.jar of the two builds compared (default: this worktree's target/quarkus-app)
#   NROUTES=2000  : definitions svc<i>/items/{id} in the prepared file store (bench/load.sh says why 2,000)
NGINX_PORT=${NGINX_PORT:-18081} UDAPI_PORT=${UDAPI_PORT:-18080} MGMT_PORT=${MGMT_PORT:-19000} HAPROXY_PORT=${HAPROXY_PORT:-18090}
SERVER_CPU=${SERVER_CPU:-1} CLIENT_CPU=${CLIENT_CPU:-0}
ADMIN_PASSWORD=bench-admin-password-0123
NROUTES=${NROUTES:-2000}
CLK_TCK=$(getconf CLK_TCK)
WORK=${WORK:-$(mktemp -d /tmp/udapi-bench.XXXXXX)}
UDAPI_PID=
PIDS=()

log() { echo "[$(date +%T)] $*" | tee -a "$RAW" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
cpu_ms() { awk -v hz="$CLK_TCK" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# parse_variants 'name=JAR [JVM options...]' ... -> arrays names, jars, opts (the options as one string)
parse_variants() {
  names=(); jars=(); opts=()
  local a rest
  for a in "$@"; do
    names+=("${a%%=*}"); rest=${a#*=}; jars+=("${rest%% *}")
    if [[ $rest == *" "* ]]; then opts+=("${rest#* }"); else opts+=(""); fi
  done
}

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for f in "$WORK"/nginx-*.pid "$WORK"/haproxy.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true; done
  [[ -n ${UDAPI_PID:-} ]] && kill "$UDAPI_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}

start_nginx() { # port cpu
  sed -e "s#@WORK@#$WORK#g" -e "s#@PORT@#$1#g" bench/load/nginx.conf.in >"$WORK/nginx-$1.conf"
  taskset -c "$2" nginx -c "$WORK/nginx-$1.conf" -e "$WORK/nginx-$1-error.log"
}

make_echo_script() {
  mkdir -p "$WORK/scripts"
  printf '#!/bin/sh\ncat >/dev/null; printf '"'"'{"responseCode":200,"responseBody":"ok"}'"'"'\n' >"$WORK/scripts/echo"
  chmod +x "$WORK/scripts/echo"
}

start_udapi() { # jar cpus engine data-dir [extra JVM options...] -> sets UDAPI_PID, STARTUP_MS, STARTUP_CPU_MS
  local jar=$1 cpus=$2 engine=$3 data=$4 t0
  shift 4
  local opts=(-Dquarkus.http.port=$UDAPI_PORT -Dquarkus.management.port=$MGMT_PORT
    -Dudapi.file-store.dir="$data" -Dudapi.scripts.dir="$WORK/scripts" -Dudapi.access-log.enabled=false
    -Dudapi.node-id=bench -Dudapi.script-engine=$engine -Dudapi.http-engine.url=http://127.0.0.1:$NGINX_PORT)
  t0=$(date +%s%N)
  UDAPI_ADMIN_PASSWORD=$ADMIN_PASSWORD taskset -c "$cpus" java "$@" "${opts[@]}" -jar "$jar" >>"$WORK/udapi.log" 2>&1 &
  UDAPI_PID=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready"; do
    kill -0 "$UDAPI_PID" 2>/dev/null || { tail -50 "$WORK/udapi.log"; echo "udapi died" >&2; exit 1; }
    sleep 0.02
  done
  STARTUP_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  STARTUP_CPU_MS=$(cpu_ms "$UDAPI_PID")
}
stop_udapi() {
  [[ -n ${UDAPI_PID:-} ]] || return 0
  kill "$UDAPI_PID"; wait "$UDAPI_PID" 2>/dev/null || true; UDAPI_PID=
}

# Fills $WORK/data (file store) with 2 tokens and NROUTES+1 definitions through the admin API of JAR;
# sets SECRET_ADMIT, SECRET_LIMITED, TOK_ADMIT, TOK_LIMITED and writes $WORK/defs.txt (route id).
prepare_store() { # jar
  mkdir -p "$WORK/data"
  start_udapi "$1" 0,1 http "$WORK/data"
  local ADMIN=(-fsS -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json') BASE=http://127.0.0.1:$UDAPI_PORT/admin/v1
  SECRET_ADMIT=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
  SECRET_LIMITED=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
  TOK_ADMIT=$(curl "${ADMIN[@]}" "$BASE/tokens" \
    -d "{\"name\":\"bench-admit\",\"secret\":\"$SECRET_ADMIT\",\"rateLimit\":{\"limit\":100,\"window\":\"PT1S\"}}" | jq -r .id)
  TOK_LIMITED=$(curl "${ADMIN[@]}" "$BASE/tokens" \
    -d "{\"name\":\"bench-limited\",\"secret\":\"$SECRET_LIMITED\",\"rateLimit\":{\"limit\":1,\"window\":\"P1D\"}}" | jq -r .id)
  seq 0 $((NROUTES - 1)) | xargs -P 4 -I{} curl "${ADMIN[@]}" -o /dev/null "$BASE/definitions" \
    -d "{\"route\":\"svc{}/items/{id}\",\"allowedTokens\":[\"$TOK_ADMIT\"],\"actionMeta\":{\"scriptName\":\"echo\"}}"
  curl "${ADMIN[@]}" -o /dev/null "$BASE/definitions" \
    -d "{\"route\":\"limited/{id}\",\"allowedTokens\":[\"$TOK_LIMITED\"],\"actionMeta\":{\"scriptName\":\"echo\"}}"
  list_definitions
  # use up the limited token's one admission per day, so that it answers 429 from now on
  curl -s -o /dev/null -H "Authorization: Bearer $SECRET_LIMITED" -X POST "http://127.0.0.1:$UDAPI_PORT/api/custom/limited/1"
  stop_udapi
}

source bench/lib/haproxy.sh


# run_wrk label port mode duration [rate] -> appends a RESULT line to $RAW, sets R[...] (rps, p50_us, ...), CPU_US
# rate (req/s, optional): paced by bench/load/trigger.lua (RATE), otherwise closed-loop as fast as possible.
declare -A R
run_wrk() {
  local label=$1 port=$2 mode=$3 dur=$4 rate=${5:-0} pid c0 c1 line secret kv
  case $mode in limited) secret=$SECRET_LIMITED ;; invalid) secret=x ;; *) secret=$SECRET_ADMIT ;; esac
  case $label in udapi*) pid=$UDAPI_PID ;; haproxy*) pid=$(cat "$WORK/haproxy.pid") ;; *) pid= ;; esac
  c0=$(cpu_ms "${pid:-0}")
  line=$(MODE=$mode SECRET=$secret SECRET_LIMITED=$SECRET_LIMITED NROUTES=$NROUTES RATE=$rate taskset -c "$CLIENT_CPU" \
    wrk -t1 -c"${CONNS:-64}" -d"${dur}s" --timeout 10s -s bench/load/trigger.lua "http://127.0.0.1:$port" | tee -a "$RAW" | grep '^RESULT')
  c1=$(cpu_ms "${pid:-0}")
  R=(); for kv in ${line#RESULT }; do R[${kv%%=*}]=${kv#*=}; done
  CPU_US=$(( (c1 - c0) * 1000 / (R[requests] > 0 ? R[requests] : 1) ))
  echo "$label mode=$mode rate=$rate ${line#RESULT } cpu_us_per_req=$CPU_US load1=$(load | cut -d' ' -f1)" >>"$RAW.runs"
  log "$label $mode rate=$rate: ${R[rps]} req/s p50 ${R[p50_us]} p99 ${R[p99_us]} p99.9 ${R[p999_us]} us, non2xx ${R[non2xx]}, server CPU $CPU_US us/req (load $(load))"
}

# Head of an A/B summary: the variants, then runs.tsv as a markdown table (its header row as the column names).
ab_summary_head() { # runs.tsv
  local v
  for v in "${!names[@]}"; do echo "- ${names[$v]}: ${jars[$v]} ${opts[$v]}"; done
  echo
  awk -F'\t' '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line
                if (NR == 1) { sep = "|"; for (i = 1; i <= NF; i++) sep = sep "---|"; print sep } }' "$1"
  echo
}
