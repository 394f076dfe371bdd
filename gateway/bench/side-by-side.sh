#!/usr/bin/env bash
# The gateway against its framework's floor, in one interleaved run (issue 14): a bare Spring Cloud Gateway of the
# same versions (one route, no filters) and this gateway with every filter on, both pinned to cpu 0 in front of the
# same nginx backend, for the three shapes of caller:
#   gw-worker  POST /api/v1/worker/health          X-API-Key of a tool server   (leased rate-limit allowance)
#   gw-user    GET  /api/v1/automation/run/active  Bearer JWT of a user         (exact rate-limit script)
#   gw-assign  GET  /api/v1/worker/servers/available  X-API-Key of the assign server (leased allowance)
# Needs: ./dev up once (demo keys in PostgreSQL, secrets under .dev; the services themselves may be stopped),
# ./mvnw package, wrk + h2load + nginx (../shared/bench-gateway/install-deps.sh).
# Usage: gateway/bench/side-by-side.sh [bench.py args, e.g. --rounds 5 --json out.json]
# BENCH_SHAPES (e.g. "user" or "worker assign") measures only those shapes, each against its bare SCG twin, and leaves
# out the 'direct' target (the backend is started here instead), 90 s warm-up and 2 rounds: one shape in about 5.5 min.
# The bare SCG jar is built once into gateway/target/bench/ and reused; BENCH_JAR picks another gateway jar;
# BENCH_B_ENV="VAR=value ..." adds a second gateway with those settings (targets gw-<shape>-b), an A/B in one run;
# BENCH_B_JAR="path" makes that second gateway run another jar (an A/B of code; with or without BENCH_B_ENV).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HARNESS=${BENCH_GATEWAY:-$ROOT/../shared/bench-gateway}
WORK=$(mktemp -d)
BACKEND=18181 BARE=18190 GW=18185 GW_B=18195
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

[[ -f $ROOT/.dev/demo.env ]] || { echo "run ./dev up once first (demo keys and secrets)" >&2; exit 2; }
[[ -f $ROOT/gateway/target/gateway.jar ]] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
set -a; . "$ROOT/.dev/demo.env"; set +a
secret() { cat "$ROOT/.dev/$1"; }

cp -r "$HARNESS" "$WORK/harness" && chmod -R u+w "$WORK/harness"
BARE_JAR=$ROOT/gateway/target/bench/bare-scg.jar
if [[ ! -f $BARE_JAR ]]; then
  (cd "$WORK/harness/bare-scg" && "$ROOT/mvnw" -q -B package -DskipTests)
  mkdir -p "$(dirname "$BARE_JAR")" && cp "$WORK/harness/bare-scg/target/bare-scg.jar" "$BARE_JAR"
fi
cp "${BENCH_JAR:-$ROOT/gateway/target/gateway.jar}" "$WORK/gateway.jar"
cp "${BENCH_B_JAR:-$WORK/gateway.jar}" "$WORK/gateway-b.jar"

JVM=(-Xms256m -Xmx512m ${BENCH_JAVA_OPTS:-})
env PORT=$BARE UPSTREAM=http://127.0.0.1:$BACKEND taskset -c 0 java "${JVM[@]}" -jar "$BARE_JAR" \
  >"$WORK/bare-scg.log" 2>&1 &
pids+=($!)
# start_gateway PORT NAME JAR [VAR=value ...]: this gateway on PORT (management PORT+1), pinned like the bare one
start_gateway() {
  local port=$1 name=$2 jar=$3
  shift 3
  env PG_HOST=${PG_HOST:-127.0.0.1} PG_PORT=${PG_PORT:-5432} PG_USER=${PG_USER:-postgres} LIKEPION_DB_NAME=${LIKEPION_DB_NAME:-likepion} \
    REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_KEY_PREFIX=bench-gw: \
    INTERNAL_TOKEN_SECRET="$(secret internal-token.secret)" JWT_SECRET="$(secret jwt.secret)" \
    GATEWAY_PORT=$port GATEWAY_MANAGEMENT_PORT=$((port + 1)) WORKER_SERVICE_URL=http://127.0.0.1:$BACKEND RUN_SERVICE_URL=http://127.0.0.1:$BACKEND \
    ASSIGN_SERVICE_URL=http://127.0.0.1:$BACKEND \
    RATE_LIMIT_WORKER_PER_KEY=1000000000 RATE_LIMIT_ASSIGN_PER_KEY=1000000000 RATE_LIMIT_RUN_ACTIVE=1000000000 "$@" \
    taskset -c 0 java "${JVM[@]}" -jar "$jar" >"$WORK/$name.log" 2>&1 &
  pids+=($!)
}
start_gateway $GW gateway "$WORK/gateway.jar"
GATEWAYS=($GW)
# BENCH_B_ENV="VAR=value ...": a second instance of the same jar with these settings, measured as gw-<shape>-b in the
# same interleaved run (an A/B of one setting)
if [[ -n ${BENCH_B_ENV:-}${BENCH_B_JAR:-} ]]; then
  # shellcheck disable=SC2086
  start_gateway $GW_B gateway-b "$WORK/gateway-b.jar" ${BENCH_B_ENV:-}
  GATEWAYS+=($GW_B)
fi
for port in $BARE "${GATEWAYS[@]}"; do
  for _ in $(seq 1 120); do ss -ltn | grep -q ":$port " && break; sleep 0.5; done
done
# the gateway warms itself up before it reports ready (app.warm-up); callers come only then
for port in "${GATEWAYS[@]}"; do
  for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:$((port + 1))/actuator/health/readiness" && break; sleep 0.5; done
done
echo '{"server_name":"bench","cpu_usage":10.5,"ram_usage":20.0,"disk_usage":30.0,"active_threads":1,"active_tasks":0}' \
  >"$WORK/heartbeat.json"
if [[ -z ${BENCH_SHAPES:-} ]]; then
  BACKEND_ARGS=(--demo-backend $BACKEND --direct http://127.0.0.1:$BACKEND/api/v1/worker/servers/available
    --warmup 60 --rounds 3)
  BENCH_SHAPES="worker user assign" BASELINE=scg-bare
else
  . "$ROOT/gateway/bench/backend.sh"
  start_backend "$WORK/backend" "$BACKEND" 0
  # the backend is part of the system under test; 90 s of warm-up per target (60 s leaves the gateway short of its
  # plateau on this machine), 2 rounds: about 5.5 min for one shape
  BACKEND_ARGS=(--also-port $BACKEND --warmup 90 --rounds 2) BASELINE=
fi
TARGETS=()
for shape in $BENCH_SHAPES; do
  case $shape in
    worker) [[ -n $BASELINE ]] || BASELINE=scg-bare-post
      TARGETS+=(--target scg-bare-post=http://127.0.0.1:$BARE/api/v1/worker/health --data scg-bare-post="$WORK/heartbeat.json") ;;
    user | assign) [[ -n $BASELINE ]] || BASELINE=scg-bare ;;
    *) echo "BENCH_SHAPES: worker, user, assign" >&2; exit 2 ;;
  esac
  for port in "${GATEWAYS[@]}"; do
    name=gw-$shape
    [[ $port == "$GW" ]] || name=gw-$shape-b
    case $shape in
      worker) TARGETS+=(--target $name=http://127.0.0.1:$port/api/v1/worker/health --data $name="$WORK/heartbeat.json"
        --header "$name=X-API-Key: $TOOL_API_KEY") ;;
      user) TARGETS+=(--target $name=http://127.0.0.1:$port/api/v1/automation/run/active
        --header "$name=Authorization: Bearer $USER_TOKEN") ;;
      assign) TARGETS+=(--target $name=http://127.0.0.1:$port/api/v1/worker/servers/available
        --header "$name=X-API-Key: $ASSIGN_API_KEY") ;;
    esac
  done
done
if [[ $BENCH_SHAPES =~ user|assign ]]; then
  TARGETS=(--target scg-bare=http://127.0.0.1:$BARE/api/v1/worker/servers/available "${TARGETS[@]}")
fi
python3 "$WORK/harness/bench.py" "${BACKEND_ARGS[@]}" "${TARGETS[@]}" \
  --baseline $BASELINE \
  --also-port 6379 --also-port 5432 "$@"
