#!/usr/bin/env bash
# Builds an ahead-of-time cache for the gateway (JDK 25, JEP 483/514/515: classes loaded and linked, and the method
# profiles of a training run) so that a fresh gateway starts near its plateau instead of warming for a minute.
# Extracts gateway.jar (the cache needs a plain class path), starts it on JDK 25 with -XX:AOTCacheOutput in front of
# an nginx backend, drives the three caller shapes with wrk, then stops it: the JVM writes the cache as it exits.
# Needs what side-by-side.sh needs, and a JDK 25 (JAVA25, default Temurin 25 under /usr/lib/jvm). The gateway and its
# backend are pinned to cpu 0 and wrk to cpu 1, as in warm-up.sh and side-by-side.sh, so that the training JVM makes
# the same ergonomic choices (one CPU: Serial GC, compiler threads) as the JVM that will use the cache. The caller's
# environment reaches the gateway (e.g. WARM_UP_ENABLED=true trains the self warm-up too).
# Usage: gateway/bench/aot-train.sh [output dir, default gateway/target/aot] [seconds per shape, default 30]
# BENCH_JAR trains another gateway jar than gateway/target/gateway.jar.
# Then:  JAVA25/bin/java -XX:AOTCache=<dir>/gateway.aot -jar <dir>/gateway.jar   (the same JDK, the same jars)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$(realpath -m "${1:-$ROOT/gateway/target/aot}") PER_SHAPE=${2:-30}
JAVA25=${JAVA25:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)}
[[ -x $JAVA25/bin/java ]] || { echo "no JDK 25: set JAVA25 to its home" >&2; exit 2; }
[[ -f $ROOT/.dev/demo.env ]] || { echo "run ./dev up once first (demo keys and secrets)" >&2; exit 2; }
JAR=${BENCH_JAR:-$ROOT/gateway/target/gateway.jar}
[[ -f $JAR ]] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }
set -a; . "$ROOT/.dev/demo.env"; set +a
WORK=$(mktemp -d)
BACKEND=18481 GW=18485
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

rm -rf "$OUT" && mkdir -p "$OUT"
# the extracted jar is named after its source: copy it to gateway.jar first
cp "$JAR" "$WORK/gateway.jar"
"$JAVA25/bin/java" -Djarmode=tools -jar "$WORK/gateway.jar" extract --destination "$OUT" >/dev/null

. "$ROOT/gateway/bench/backend.sh"
start_backend "$WORK" "$BACKEND" 0
env LIKEPION_DB_NAME=${LIKEPION_DB_NAME:-likepion} REDIS_KEY_PREFIX=bench-aot: \
  INTERNAL_TOKEN_SECRET="$(cat "$ROOT/.dev/internal-token.secret")" JWT_SECRET="$(cat "$ROOT/.dev/jwt.secret")" \
  GATEWAY_PORT=$GW GATEWAY_MANAGEMENT_PORT=$((GW + 1)) WORKER_SERVICE_URL=http://127.0.0.1:$BACKEND \
  RUN_SERVICE_URL=http://127.0.0.1:$BACKEND ASSIGN_SERVICE_URL=http://127.0.0.1:$BACKEND \
  RATE_LIMIT_WORKER_PER_KEY=1000000000 RATE_LIMIT_ASSIGN_PER_KEY=1000000000 RATE_LIMIT_RUN_ACTIVE=1000000000 \
  taskset -c 0 "$JAVA25/bin/java" -Xms256m -Xmx512m -XX:AOTCacheOutput="$OUT/gateway.aot" -jar "$OUT/gateway.jar" \
  >"$OUT/training.log" 2>&1 &
GW_PID=$!
pids+=($GW_PID)
for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:$((GW + 1))/actuator/health/readiness" && break; sleep 0.5; done

echo '{"server_name":"bench","cpu_usage":10.5}' >"$WORK/heartbeat.json"
export BENCH_BODY_FILE="$WORK/heartbeat.json"
taskset -c 1 wrk -t1 -c50 -d"${PER_SHAPE}s" -H "X-API-Key: $TOOL_API_KEY" -s "$ROOT/gateway/bench/post-body.lua" \
  "http://127.0.0.1:$GW/api/v1/worker/health" | awk '/Requests\/sec/{print "worker  " $2 " req/s"}'
taskset -c 1 wrk -t1 -c50 -d"${PER_SHAPE}s" -H "Authorization: Bearer $USER_TOKEN" \
  "http://127.0.0.1:$GW/api/v1/automation/run/active" | awk '/Requests\/sec/{print "user    " $2 " req/s"}'
taskset -c 1 wrk -t1 -c50 -d"${PER_SHAPE}s" -H "X-API-Key: $ASSIGN_API_KEY" \
  "http://127.0.0.1:$GW/api/v1/worker/servers/available" | awk '/Requests\/sec/{print "assign  " $2 " req/s"}'

kill -TERM "$GW_PID"
wait "$GW_PID" || true
[[ -s $OUT/gateway.aot ]] || { echo "no cache written; see $OUT/training.log" >&2; exit 1; }
echo "AOT cache: $OUT/gateway.aot ($(du -h "$OUT/gateway.aot" | cut -f1)); run with:"
echo "  $JAVA25/bin/java -XX:AOTCache=$OUT/gateway.aot -jar $OUT/gateway.jar"
