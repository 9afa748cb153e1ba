#!/usr/bin/env bash
# Does udapi really start its script processes without jspawnhelper (VFORK)? strace of the whole JVM (execve, vfork)
# from launch on an EMPTY file store (the admin bootstrap then runs Argon2/JNA, which starts `ldconfig -p` early),
# process engine, 10 trigger requests. Per jar: execs of jspawnhelper vs of the script.
#   bench/vfork-verify.sh JAR...
set -euo pipefail
cd "$(dirname "$0")/.."
RAW=/dev/null
source bench/lib/common.sh
trap cleanup EXIT
make_echo_script
for jar in "$@"; do
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  ADMIN=(-fsS -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json')
  UDAPI_ADMIN_PASSWORD=$ADMIN_PASSWORD strace -f -qq -e trace=execve,vfork -o "$WORK/strace.txt" \
    java -Dquarkus.http.port=$UDAPI_PORT -Dquarkus.management.port=$MGMT_PORT -Dudapi.file-store.dir="$WORK/data" \
    -Dudapi.scripts.dir="$WORK/scripts" -Dudapi.node-id=bench -Dudapi.script-engine=process -jar "$jar" >"$WORK/udapi.log" 2>&1 &
  SPID=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready"; do sleep 0.2; done
  SECRET=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
  TOK=$(curl "${ADMIN[@]}" "http://127.0.0.1:$UDAPI_PORT/admin/v1/tokens" -d "{\"name\":\"v\",\"secret\":\"$SECRET\"}" | jq -r .id)
  curl "${ADMIN[@]}" -o /dev/null "http://127.0.0.1:$UDAPI_PORT/admin/v1/definitions" \
    -d "{\"route\":\"v/{id}\",\"allowedTokens\":[\"$TOK\"],\"actionMeta\":{\"scriptName\":\"echo\"}}"
  codes=""
  for i in 1 2 3 4 5 6 7 8 9 10; do
    codes+="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $SECRET" -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$UDAPI_PORT/api/custom/v/$i") "
  done
  kill "$(pgrep -P $SPID java || echo $SPID)" 2>/dev/null || true; wait $SPID 2>/dev/null || true
  echo "== $jar: trigger statuses $codes"
  echo "   execve of jspawnhelper: $(grep -c 'execve(.*jspawnhelper' "$WORK/strace.txt" || true); execve of the script: $(grep -c 'execve(.*scripts/echo' "$WORK/strace.txt" || true); other execs: $(grep 'execve(' "$WORK/strace.txt" | grep -v 'jspawnhelper\|scripts/echo' | sed -E 's/.*execve\("([^"]+)".*/\1/' | sort | uniq -c | tr '\n' ' ')"
done
