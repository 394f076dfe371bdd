# Sourced by profile.sh and cpu-split.sh: start_pinned_pair JAR EXTRA_ENV [EXTRA_JAVA] starts, on cpu 0, one nginx
# backend on $BACKEND, bare SCG on $BARE and this gateway (every filter, limits set high) on $GW in front of it, waits
# until both answer, and sets NGINXPID, BAREPID, GWPID, USER_URL and BARE_URL. warm_pair ROUNDS then loads both in
# turn, 30 s each per round, with wrk -c50 on cpu 1. The caller sets ROOT, BACKEND, BARE and GW; sourcing this makes
# WORK (a temporary folder) and the pids array, both cleaned up on exit.
WORK=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
start_pinned_pair() {
  local jar=$1 extra_env=$2 extra_java=${3:-}
  set -a; . "$ROOT/.dev/demo.env"; set +a
  . "$ROOT/gateway/bench/backend.sh"
  start_backend "$WORK/backend" "$BACKEND" 0
  NGINXPID=${pids[-1]}
  env PORT=$BARE UPSTREAM=http://127.0.0.1:$BACKEND taskset -c 0 java -Xms256m -Xmx512m \
    -jar "$ROOT/gateway/target/bench/bare-scg.jar" >"$WORK/bare.log" 2>&1 &
  pids+=($!); BAREPID=$!
  # shellcheck disable=SC2086 # extra_env and extra_java are word lists
  env PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres LIKEPION_DB_NAME=${LIKEPION_DB_NAME:-likepion} REDIS_HOST=127.0.0.1 REDIS_PORT=6379 \
    REDIS_KEY_PREFIX=bench-gw: INTERNAL_TOKEN_SECRET="$(cat "$ROOT/.dev/internal-token.secret")" \
    JWT_SECRET="$(cat "$ROOT/.dev/jwt.secret")" GATEWAY_PORT=$GW GATEWAY_MANAGEMENT_PORT=$((GW + 1)) \
    WORKER_SERVICE_URL=http://127.0.0.1:$BACKEND RUN_SERVICE_URL=http://127.0.0.1:$BACKEND \
    ASSIGN_SERVICE_URL=http://127.0.0.1:$BACKEND RATE_LIMIT_WORKER_PER_KEY=1000000000 \
    RATE_LIMIT_ASSIGN_PER_KEY=1000000000 RATE_LIMIT_RUN_ACTIVE=1000000000 \
    $extra_env taskset -c 0 java -Xms256m -Xmx512m $extra_java -jar "$jar" >"$WORK/gw.log" 2>&1 &
  pids+=($!); GWPID=$!
  for port in $BARE $((GW + 1)); do for _ in $(seq 1 120); do ss -ltn | grep -q ":$port " && break; sleep 0.5; done; done
  for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:$((GW + 1))/actuator/health/readiness" && break; sleep 0.5; done
  USER_URL=http://127.0.0.1:$GW/api/v1/automation/run/active
  BARE_URL=http://127.0.0.1:$BARE/api/v1/worker/servers/available
  curl -s -o /dev/null -w 'gw %{http_code}\n' -H "Authorization: Bearer $USER_TOKEN" "$USER_URL"
  curl -s -o /dev/null -w 'bare %{http_code}\n' "$BARE_URL"
}

warm_pair() {
  for _ in $(seq 1 "$1"); do
    taskset -c 1 wrk -t1 -c50 -d30s -H "Authorization: Bearer $USER_TOKEN" "$USER_URL" | grep Requests/sec
    taskset -c 1 wrk -t1 -c50 -d30s "$BARE_URL" | grep Requests/sec
  done
}
