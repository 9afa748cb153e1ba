# HAProxy doing udapi's job for the load comparison, shared by bench/load.sh and bench/lib/common.sh:
# a map of SHA-256 digests of the bearer secrets, a route allow-list (last segment wildcarded), the tokens
# allowed per definition, per-token limits, and bench/load/haproxy.cfg.in proxying to the same nginx.
# Needs WORK (with defs.txt: "route id" per line), SECRET_ADMIT/TOK_ADMIT, SECRET_LIMITED/TOK_LIMITED,
# NGINX_PORT, HAPROXY_PORT and SERVER_CPU.
start_haproxy() {
  : >"$WORK/secrets.map"; : >"$WORK/routes.map"; : >"$WORK/allowed.map"; : >"$WORK/limits.map"
  digest() { printf '%s' "$1" | sha256sum | cut -d' ' -f1 | tr a-f A-F; }
  echo "$(digest "$SECRET_ADMIT") $TOK_ADMIT" >>"$WORK/secrets.map"
  echo "$(digest "$SECRET_LIMITED") $TOK_LIMITED" >>"$WORK/secrets.map"
  echo "$TOK_ADMIT 100" >>"$WORK/limits.map"
  echo "$TOK_LIMITED 1" >>"$WORK/limits.map"
  while read -r route id; do
    key="${route%/*}/_"; key=${key,,}
    echo "$key $id" >>"$WORK/routes.map"
    if [[ $route == limited/* ]]; then echo "$TOK_LIMITED:$id 1"; else echo "$TOK_ADMIT:$id 1"; fi >>"$WORK/allowed.map"
  done <"$WORK/defs.txt"
  sed -e "s#@WORK@#$WORK#g" -e "s#@NGINX_PORT@#$NGINX_PORT#g" -e "s#@HAPROXY_PORT@#$HAPROXY_PORT#g" \
    bench/load/haproxy.cfg.in >"$WORK/haproxy.cfg"
  taskset -c "$SERVER_CPU" haproxy -D -f "$WORK/haproxy.cfg"
  sleep 0.5
}

# Writes $WORK/defs.txt ("route id" per definition), page by page (the admin API pages at most 1,000);
# uses the caller's ADMIN (curl options) and BASE (admin API URL).
list_definitions() {
  local page=0 n
  : >"$WORK/defs.txt"
  while :; do
    n=$(curl "${ADMIN[@]}" "$BASE/definitions?size=1000&page=$page" | jq -r '.items[] | "\(.route) \(.id)"' \
      | tee -a "$WORK/defs.txt" | wc -l)
    ((n == 1000)) || break
    page=$((page + 1))
  done
}
