#!/usr/bin/env bash
# Dynamic AppCDS archive of udapi trained by a real run (JDK 13+ -XX:ArchiveClassesAtExit): start with the file store
# (NROUTES+1 definitions), wait until ready, send a few trigger and admin requests, stop (SIGTERM: the JVM writes
# the archive as it exits). Then run with: java -XX:SharedArchiveFile=ARCHIVE -jar JAR
# The archive is only valid for the same JDK build and the same jar/class path (same directory).
#
#   bench/appcds-train.sh JAR ARCHIVE
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$1 ARCHIVE=$2
RAW=${RAW:-/dev/null}
source bench/lib/common.sh
trap cleanup EXIT
make_echo_script
start_nginx $NGINX_PORT $CLIENT_CPU
prepare_store "$JAR"
start_udapi "$JAR" 0,1 http "$WORK/data" -XX:ArchiveClassesAtExit="$ARCHIVE"
for i in $(seq 1 50); do
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $SECRET_ADMIT" -H 'Content-Type: application/json' -d '{}' \
    "http://127.0.0.1:$UDAPI_PORT/api/custom/svc$i/items/$i"
  curl -s -o /dev/null -X POST -H "Authorization: Bearer nope$i" "http://127.0.0.1:$UDAPI_PORT/api/custom/svc$i/items/$i"
done
curl -s -o /dev/null -u "admin:$ADMIN_PASSWORD" "http://127.0.0.1:$UDAPI_PORT/admin/v1/definitions?size=10"
stop_udapi
ls -la "$ARCHIVE"
