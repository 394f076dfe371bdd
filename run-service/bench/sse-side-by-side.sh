#!/usr/bin/env bash
# run-service's run-event streams and nginx + Nchan, side by side: the same Node SSE client
# (../shared/bench-sse) against both, in one run, one table.
#
#   PUB_SECONDS=10 run-service/bench/sse-side-by-side.sh 10000x10 1000x100 100x1000 1000x10+resume
#
# SCENARIO = <subscribers>x<events per second>[+resume]. For each scenario, Nchan first (run-nchan.sh, its own
# private nginx on 127.0.0.1:19080, stopped after the scenario), then the packaged run-service (started once, on
# loopback, with a fresh database and Redis key prefix): SseBenchTool starts a run through the API, the client
# connects every subscriber to the generic face's stream, then SseBenchTool appends the events to PostgreSQL at the
# rate and announces them on Redis, as another instance would. Latency = arrival - the event's createdAt.
# Everything started here is stopped by PID on exit; the run is bounded (PUB_SECONDS <= 120, safety caps).
#
# Knobs: WARM_UP (10000x10,10000x10: unreported scenarios against run-service first, on each side measured (VIA), so
# that its rows are those of a warm JVM, as Nchan's are of a warm server; after one, the first measured 10,000 x 10/s
# row still had C2 compiling and G1 refining remembered sets, see its "events phase" line; WARM_UP=none to skip), PUB_SECONDS (10), RS_PORT (18081), RS_MANAGEMENT_PORT (19181), RS_JAVA_OPTS (-Xms1g -Xmx1g),
# JFR=1 (record a JFR profile of run-service to RESULTS_DIR/run-service.jfr, and of each gateway), RESULTS_DIR (a temp dir, kept),
# BENCH_SSE (../shared/bench-sse), SKIP_NCHAN=1, RESUME_FRACTION (0.1), RESUME_AFTER (3), IDLE_HEAP (1: in the warm-up,
# the live heap after a full GC with its subscribers connected and idle against before it, per subscriber and by class).
# Every run-service row also prints its connect phase (the server's CPU from the client's start to the last connect) and
# its events phase (from the last connect to the client's end), each by thread kind.
# VIA=gateway (or both: the direct row, then the gateway row, per scenario) also starts GATEWAYS (2) packaged gateway
# replicas on loopback (ports GW_PORT, GW_PORT+2, ...; management +1; GW_JAVA (JAVA), GW_JAVA_OPTS -Xms512m -Xmx512m) in front of the
# run-service, and subscribes with a user JWT through them, the client's connections spread round-robin over the
# replicas (split-ports.cjs); those rows print each process's CPU. GW_H2C=1: gateway -> run-service over HTTP/2
# cleartext (run-service with HTTP/2 on); 0 (default): HTTP/1.1. Anything else in the environment reaches
# the services (e.g. SPRING_CLOUD_GATEWAY_SERVER_WEBFLUX_STREAMINGMEDIATYPES=text/event-stream: the gateways' old
# flush per event). JAR, GW_JAR, TEST_CLASSES: the jars and test classes to run (default: this tree's target folders).
# PERF=1: perf record (-F 499 -g, PERF_SECONDS 5) of each server process of a measured scenario, from 2 s after its
# subscribers are connected, to RESULTS_DIR/<side>-<i>.perf.<pid>, with the JIT's symbol map (start the JVMs with
# -XX:+PreserveFramePointer for Java stacks); perf report -i FILE reads the map from /tmp/perf-<pid>.map.
# REPLAY (0): the run's first three events (started before anyone subscribes) are not replayed to the measured
# subscribers, which connect with Last-Event-ID: 3, so that they receive only what is published once all are connected,
# as Nchan's do (the client's rate is counted from its first event: with a replay that is the first connection, and the
# connect phase would count as delivery time for run-service only); REPLAY=1: the old way, each receives events 1-3 at
# connect. The warm-up connects as the measured scenarios do; +resume scenarios always replay.
# Nchan's runner takes its own settings from the environment too: PUB_CONCURRENCY=4 keeps its publisher at the offered
# rate under overload (its default, one POST at a time, publishes slower when nginx answers late, and its rows then
# carry less load than run-service's, whose publisher keeps the rate); with more than one POST in flight Nchan may
# deliver events out of order, which its rows count. PAD=142 pads each Nchan message so that its frame is as long as
# run-service's generic-face frame (209 bytes with its id and event lines, against Nchan's 58): the shared client then
# reads and parses as many bytes per delivery from both.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
case "${1:-}" in -h|--help|"") sed -n '2,42p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

BENCH_SSE="${BENCH_SSE:-$(cd "$ROOT/.." && pwd)/shared/bench-sse}"
PUB_SECONDS="${PUB_SECONDS:-10}"
RS_PORT="${RS_PORT:-18081}"
RS_MANAGEMENT_PORT="${RS_MANAGEMENT_PORT:-19181}"
RS_JAVA_OPTS="${RS_JAVA_OPTS:--Xms1g -Xmx1g}"
RESUME_FRACTION="${RESUME_FRACTION:-0.1}"
RESUME_AFTER="${RESUME_AFTER:-3}"
RESULTS_DIR="${RESULTS_DIR:-$(mktemp -d -t sse-side-by-side.XXXXXX)}"; mkdir -p "$RESULTS_DIR"
JAVA="${JAVA:-java}"
SECRET="bench-sse-internal-token-secret-0123456789"
JWT_SECRET="bench-sse-user-jwt-secret-0123456789abcdef"
DB_NAME="runway_bench_sse"
JAR="${JAR:-$ROOT/run-service/target/run-service.jar}"
GW_JAR="${GW_JAR:-$ROOT/gateway/target/gateway.jar}"
TEST_CLASSES="${TEST_CLASSES:-$ROOT/run-service/target/test-classes}"
VIA="${VIA:-direct}"
GATEWAYS="${GATEWAYS:-2}"
GW_PORT="${GW_PORT:-18091}"
GW_JAVA_OPTS="${GW_JAVA_OPTS:--Xms512m -Xmx512m}"
GW_JAVA="${GW_JAVA:-$JAVA}"
GW_H2C="${GW_H2C:-0}"

die() { echo "sse-side-by-side: $*" >&2; exit 1; }
[[ "$PUB_SECONDS" =~ ^[0-9]+$ ]] && [ "$PUB_SECONDS" -ge 1 ] && [ "$PUB_SECONDS" -le 120 ] || die "PUB_SECONDS must be 1..120"
for sc in "$@"; do
  [[ "$sc" =~ ^([0-9]+)x([0-9]+)(\+resume)?$ ]] || die "bad scenario '$sc' (e.g. 1000x10 or 1000x10+resume)"
  [ "${BASH_REMATCH[1]}" -le 10000 ] && [ "${BASH_REMATCH[2]}" -le 2000 ] || die "'$sc': at most 10000 subscribers, 2000/s"
done
WARM_UP="${WARM_UP:-10000x10,10000x10}"
if [ "$WARM_UP" != none ]; then
  for wsc in ${WARM_UP//,/ }; do
    [[ "$wsc" =~ ^([0-9]+)x([0-9]+)$ ]] || die "bad WARM_UP scenario '$wsc' (e.g. 10000x10,10000x10 or none)"
    [ "${BASH_REMATCH[1]}" -le 10000 ] && [ "${BASH_REMATCH[2]}" -le 2000 ] || die "WARM_UP '$wsc': at most 10000 subscribers, 2000/s"
  done
fi
[ -f "$BENCH_SSE/run-target.sh" ] || die "bench client not found at $BENCH_SSE (set BENCH_SSE)"
case "$VIA" in direct) sides=(rs) ;; gateway) sides=(gw) ;; both) sides=(rs gw) ;; *) die "VIA must be direct, gateway or both" ;; esac
gw_ports=()
if [ "$VIA" != direct ]; then
  [[ "$GATEWAYS" =~ ^[1-4]$ ]] || die "GATEWAYS must be 1..4"
  for k in $(seq 0 $(( GATEWAYS - 1 ))); do gw_ports+=("$(( GW_PORT + 2 * k ))"); done
  [ -f "$GW_JAR" ] || die "$GW_JAR is missing: ./mvnw -B -q -o -pl common,gateway -DskipTests package"
fi
for port in "$RS_PORT" "$RS_MANAGEMENT_PORT" ${gw_ports[@]+"${gw_ports[@]}"} \
    $(for p in ${gw_ports[@]+"${gw_ports[@]}"}; do echo $(( p + 1 )); done); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "127.0.0.1:$port is in use"; fi
done
if [ ! -f "$JAR" ] || [ ! -f "$TEST_CLASSES/io/runway/run/stream/SseBenchTool.class" ]; then
  echo "building run-service (package, tests compiled not run)" >&2
  (cd "$ROOT" && ./mvnw -B -q -o -pl common,run-service -DskipTests package) || die "build failed"
fi

hard="$(ulimit -Hn)"; [ "$hard" = unlimited ] && hard=1048576
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$hard" ]; then ulimit -n "$hard" 2>/dev/null || true; fi

WORK="$(mktemp -d -t sse-side-by-side-work.XXXXXX)"
RS_PID=""
GW_PIDS=()
stop_pid() {
  kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1"
  for _ in $(seq 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$1" 2>/dev/null && kill -KILL "$1"
  wait "$1" 2>/dev/null
}
cleanup() {
  local rc=$?
  set +e
  for pid in ${GW_PIDS[@]+"${GW_PIDS[@]}"}; do stop_pid "$pid"; done
  [ -n "$RS_PID" ] && stop_pid "$RS_PID"
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export BENCH_JDBC="jdbc:postgresql://127.0.0.1:5432/$DB_NAME" BENCH_SECRET="$SECRET" BENCH_JWT_SECRET="$JWT_SECRET"
export REDIS_HOST=127.0.0.1 REDIS_PORT=6379 REDIS_KEY_PREFIX="bench-sse-$$:"
export PERF="${PERF:-0}" PERF_SECONDS="${PERF_SECONDS:-5}" PERF_DIR="$RESULTS_DIR"
cat > "$WORK/tool" <<EOF
#!/usr/bin/env bash
exec "$JAVA" -XX:TieredStopAtLevel=1 -cp "$JAR" -Dloader.path="$TEST_CLASSES" \
  -Dloader.main=io.runway.run.stream.SseBenchTool org.springframework.boot.loader.launch.PropertiesLauncher "\$@"
EOF
chmod +x "$WORK/tool"

cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$1/stat"; }
# CPU ticks by thread kind (the thread name without its number), one "<kind> <ticks>" line each.
thread_ticks() {
  for t in /proc/"$1"/task/*; do
    name="$(tr ' ' '_' < "$t/comm" 2>/dev/null)" || continue
    awk -v n="$name" '{ sub(/^[^)]*\) /, ""); print n, $12 + $13 }' "$t/stat" 2>/dev/null
  done | awk '{ sub(/[-#]?[0-9]+$/, "", $1); ticks[$1] += $2 } END { for (k in ticks) print k, ticks[k] }'
}
export -f thread_ticks
# The live heap after a full GC (jcmd's class histogram forces one), one "<bytes> <class>" line per class.
live_heap() { jcmd "$1" GC.class_histogram 2>/dev/null | awk '$1 ~ /^[0-9]+:$/ { print $3, $4 }'; }
# Runs the publisher once every subscriber is connected, after noting the server's CPU (and its live heap if asked).
cat > "$WORK/at-ready" <<'AT_READY'
#!/usr/bin/env bash
# at-ready PID[,PID...] OUT_PREFIX HEAP(0|1) PUBLISH_COMMAND...: the first PID is run-service's.
pids="$1"; pid="${pids%%,*}"; out="$2"; heap="$3"; shift 3
for p in ${pids//,/ }; do awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$p/stat" > "$out.cpu.$p"; done
cp "$out.cpu.$pid" "$out.cpu"
thread_ticks "$pid" > "$out.threads"
if [ "$heap" = 1 ]; then jcmd "$pid" GC.class_histogram 2>/dev/null | awk '$1 ~ /^[0-9]+:$/ { print $3, $4 }' > "$out.heap"; fi
if [ "${PERF:-0}" = 1 ] && [ "$heap" = 0 ]; then
  ( sleep 2
    for p in ${pids//,/ }; do perf record -F 499 -g -o "$PERF_DIR/$(basename "$out").perf.$p" -p "$p" -- sleep "${PERF_SECONDS:-5}" > /dev/null 2>&1 & done
    wait
    for p in ${pids//,/ }; do jcmd "$p" Compiler.perfmap > /dev/null 2>&1 && cp "/tmp/perf-$p.map" "$PERF_DIR/"; done ) &
fi
exec "$@"
AT_READY
chmod +x "$WORK/at-ready"
# by_thread BEFORE AFTER: the six thread kinds that took most CPU between two thread_ticks files, " <kind> <s>" each.
by_thread() {
  awk 'NR == FNR { before[$1] = $2; next } { d[$1] = $2 - before[$1] }
    END { for (k in d) if (d[k] > 0) printf "%d %s\n", d[k], k }' "$1" "$2" \
    | sort -rn | awk -v tck="$(getconf CLK_TCK)" 'NR <= 6 { printf " %s %.2f s", $2, $1 / tck }'
}
connect_cpu() {  # connect_cpu CPU_BEFORE OUT_PREFIX N
  [ -f "$2.cpu" ] || return 0
  awk -v a="$1" -v b="$(cat "$2.cpu")" -v n="$3" \
    'BEGIN { printf "connect phase   server CPU %.2f s for %d connections = %.3f ms per connection; by thread:", b - a, n, 1000 * (b - a) / n }'
  by_thread "$2.threads.before" "$2.threads"
  echo
}
events_threads() {  # events_threads OUT_PREFIX: run-service's CPU by thread from the last connect to the client's end
  [ -f "$1.threads" ] || return 0
  thread_ticks "$RS_PID" > "$1.threads.end"
  printf "events phase    run-service CPU by thread:"
  by_thread "$1.threads" "$1.threads.end"
  echo
}
idle_heap() {  # idle_heap BEFORE_FILE AFTER_FILE N
  [ -s "$1" ] && [ -s "$2" ] || { echo "idle heap       not measured"; return 0; }
  awk -v n="$3" 'NR == FNR { before[$2] = $1; b += $1; next } { after[$2] = $1; a += $1 }
    END {
      printf "idle heap       live heap after a full GC: %.1f MiB with 0 subscribers, %.1f MiB with %d idle = %.2f KiB per idle subscriber\n", b / 1048576, a / 1048576, n, (a - b) / 1024 / n
      for (c in after) { d = after[c] - before[c]; if (d > 0) printf "%d %s\n", d, c }
    }' "$1" "$2" | { read -r line; echo "$line"; sort -rn | awk -v n="$3" 'NR <= 15 { printf "  %8.0f B per subscriber  %s\n", $1 / n, $2 }'; }
}

# process_cpu OUT_PREFIX DELIVERIES NAME=PID...: each process's CPU from the client's start to the last connect and
# from there to the end, the latter per delivery (CPU before the client: OUT_PREFIX.cpu0.PID).
process_cpu() {
  local out="$1" deliveries="$2"; shift 2
  local line="by process      connect phase:" live="" total=0 name pid a b c
  for np in "$@"; do
    name="${np%%=*}"; pid="${np#*=}"
    [ -f "$out.cpu.$pid" ] || return 0
    a="$(cat "$out.cpu0.$pid")"; b="$(cat "$out.cpu.$pid")"; c="$(cpu_seconds "$pid")"
    line+="$(awk -v n="$name" -v a="$a" -v b="$b" 'BEGIN { printf " %s %.2f s", n, b - a }')"
    live+="$(awk -v n="$name" -v b="$b" -v c="$c" -v d="$deliveries" 'BEGIN { printf " %s %.2f s (%.1f us)", n, c - b, (d > 0 ? 1e6 * (c - b) / d : 0) }')"
  done
  echo "$line; after connect, for $deliveries deliveries:$live"
}
# run-service's run.events.fanout.lag histogram (cumulative "<le> <count>" lines) and, from two of them, the
# scenario's samples: creation to the last write of a lane, the server's share of the client's latency.
lag_buckets() { curl -fsS "http://127.0.0.1:$RS_MANAGEMENT_PORT/actuator/prometheus" 2>/dev/null \
  | awk -F'[{}]' '/^run_events_fanout_lag_seconds_bucket/ { match($2, /le="[^"]*"/); le = substr($2, RSTART + 4, RLENGTH - 5); split($3, v, " "); print le, v[1] }'; }
lag_line() {  # lag_line BEFORE_FILE AFTER_FILE
  [ -s "$1" ] && [ -s "$2" ] || return 0
  awk 'NR == FNR { b[$1] = $2; next } { le[++n] = $1; c[n] = $2 - b[$1] }
    END {
      total = c[n]; if (total <= 0) exit
      printf "fanout lag      n=%d lane writes (creation to a lane'"'"'s last write, run-service side)", total
      split("0.5 0.9 0.99", qs, " ")
      for (q = 1; q <= 3; q++) { for (i = 1; i <= n; i++) if (c[i] >= qs[q] * total) break
        printf "  p%s <= %s ms", qs[q] * 100, le[i] == "+Inf" ? "inf" : le[i] * 1000 }
      print ""
    }' "$1" "$2"
}
deliveries_of() { node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r.events.received)' "$1" 2>/dev/null || echo 0; }

"$WORK/tool" prepare "$DB_NAME"
[ "$VIA" != direct ] && "$WORK/tool" prepare "${DB_NAME}_likepion"
jfr=()
[ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$RESULTS_DIR/run-service.jfr,settings=profile,dumponexit=true")
# shellcheck disable=SC2086
SERVER_HTTP2_ENABLED="$([ "$GW_H2C" = 1 ] && echo true || echo false)" \
RUN_DB_NAME="$DB_NAME" RUN_SERVICE_PORT="$RS_PORT" RUN_SERVICE_MANAGEMENT_PORT="$RS_MANAGEMENT_PORT" \
INTERNAL_TOKEN_SECRET="$SECRET" SERVER_ADDRESS=127.0.0.1 LOGGING_LEVEL_ROOT=WARN \
  "$JAVA" $RS_JAVA_OPTS ${jfr[@]+"${jfr[@]}"} -jar "$JAR" > "$RESULTS_DIR/run-service.log" 2>&1 &
RS_PID=$!
for _ in $(seq 600); do
  kill -0 "$RS_PID" 2>/dev/null || die "run-service exited; see $RESULTS_DIR/run-service.log"
  curl -fsS "http://127.0.0.1:$RS_MANAGEMENT_PORT/actuator/health/readiness" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$RS_MANAGEMENT_PORT/actuator/health/readiness" >/dev/null || die "run-service not ready"
TOKEN="$("$WORK/tool" token)"
BASE="http://127.0.0.1:$RS_PORT"

if [ "$VIA" != direct ]; then
  closed="http://127.0.0.1:9"
  for port in "${gw_ports[@]}"; do
    gw_jfr=()
    [ "${JFR:-0}" = 1 ] && gw_jfr=("-XX:StartFlightRecording=filename=$RESULTS_DIR/gateway-$port.jfr,settings=profile,dumponexit=true")
    # shellcheck disable=SC2086
    PG_HOST=127.0.0.1 PG_PORT=5432 PG_USER=postgres LIKEPION_DB_NAME="${DB_NAME}_likepion" \
    INTERNAL_TOKEN_SECRET="$SECRET" JWT_SECRET="$JWT_SECRET" GATEWAY_PORT="$port" GATEWAY_MANAGEMENT_PORT=$(( port + 1 )) \
    SERVER_ADDRESS=127.0.0.1 MANAGEMENT_SERVER_ADDRESS=127.0.0.1 LOGGING_LEVEL_ROOT=WARN RUN_SERVICE_URL="$BASE" \
    RUN_SERVICE_H2C="$([ "$GW_H2C" = 1 ] && echo true || echo false)" WORKER_SERVICE_URL="$closed" ASSIGN_SERVICE_URL="$closed" \
      "$GW_JAVA" $GW_JAVA_OPTS ${gw_jfr[@]+"${gw_jfr[@]}"} -jar "$GW_JAR" > "$RESULTS_DIR/gateway-$port.log" 2>&1 &
    GW_PIDS+=($!)
  done
  for port in "${gw_ports[@]}"; do
    for _ in $(seq 1200); do
      for pid in "${GW_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a gateway exited; see $RESULTS_DIR/gateway-*.log"; done
      curl -fsS "http://127.0.0.1:$(( port + 1 ))/actuator/health/readiness" >/dev/null 2>&1 && break
      sleep 0.2
    done
    curl -fsS "http://127.0.0.1:$(( port + 1 ))/actuator/health/readiness" >/dev/null || die "gateway on $port not ready"
  done
  JWT="$("$WORK/tool" jwt)"
fi
# the stream URL, client headers and server processes of a side (rs: direct, gw: through the gateways)
side_url() { if [ "$1" = rs ]; then echo "$BASE/api/v1/automation-runs/$2/events"; else echo "http://127.0.0.1:${gw_ports[0]}/api/v1/automation-runs/$2/events"; fi; }
side_header() { if [ "$1" = rs ]; then echo "X-Internal-Token: $TOKEN"; else echo "Authorization: Bearer $JWT"; fi; }
side_pids() { if [ "$1" = rs ]; then echo "$RS_PID"; else local IFS=,; echo "$RS_PID,${GW_PIDS[*]}"; fi; }
side_label() { if [ "$1" = rs ]; then echo "run-service"; else echo "run-service via $GATEWAYS gateways$([ "$GW_H2C" = 1 ] && echo ", h2c")"; fi; }
side_procs() {
  echo "run-service=$RS_PID"
  if [ "$1" = gw ]; then local k=0; for pid in "${GW_PIDS[@]}"; do k=$(( k + 1 )); echo "gateway-$k=$pid"; done; fi
}
export BENCH_SSE_PORTS="$(IFS=,; echo "${gw_ports[*]-}")"

echo "== run-service vs nginx+Nchan  $(date -u +%Y-%m-%dT%H:%M:%SZ)  (results in $RESULTS_DIR)"
echo "host: $(nproc) CPUs; $("$JAVA" -version 2>&1 | head -1); run-service pid $RS_PID ($RS_JAVA_OPTS); nofile $(ulimit -n)"
[ "$VIA" != direct ] && echo "gateways: pids ${GW_PIDS[*]} on ports ${gw_ports[*]} ($GW_JAVA_OPTS), upstream $([ "$GW_H2C" = 1 ] && echo "HTTP/2 cleartext" || echo "HTTP/1.1")"
echo "load average before start: $(cut -d' ' -f1-3 /proc/loadavg)"

# run_side SIDE RUN N RATE COUNT OUT LABEL HEAP [CLIENT OPTIONS...]: one client run against a side (rs or gw); prints
# the client's lines, the run-service connect phase and, through the gateways, each process's CPU.
run_side() {
  local side="$1" run="$2" n="$3" rate="$4" count="$5" out="$6" label="$7" heap="$8"; shift 8
  local pids cpu0 p
  pids="$(side_pids "$side")"
  cpu0="$(cpu_seconds "$RS_PID")"; thread_ticks "$RS_PID" > "$WORK/$out.threads.before"
  for p in ${pids//,/ }; do cpu_seconds "$p" > "$WORK/$out.cpu0.$p"; done
  lag_buckets > "$WORK/$out.lag.before"
  NODE_OPTIONS="${BENCH_SSE_PORTS:+--require $HERE/split-ports.cjs}" \
  URL="$(side_url "$side" "$run")" N="$n" LABEL="$label" RESULTS_DIR="$WORK/$out" \
  PUBLISH_CMD="'$WORK/at-ready' $pids '$WORK/$out' $heap '$WORK/tool' publish $run $rate $count" \
    "$BENCH_SSE/run-target.sh" -H "$(side_header "$side")" --seq-from-id --ts-field createdAt --ts-unit iso \
    --expect-first "${FIRST_SEQ:-1}" --expect-last $(( count + 3 )) --server-pid "$pids" --duration $(( PUB_SECONDS * 8 + 60 )) \
    --idle-timeout 30 "$@" > "$RESULTS_DIR/$out.log" 2>&1 || echo "$label run failed (see $out.log)" >&2
  grep -E "^(connect time|events|latency|sequence|resume|client CPU|server CPU|machine CPU|publish )" "$RESULTS_DIR/$out.log" || true
  lag_buckets > "$WORK/$out.lag.after"
  lag_line "$WORK/$out.lag.before" "$WORK/$out.lag.after"
  connect_cpu "$cpu0" "$WORK/$out" "$n"
  events_threads "$WORK/$out"
  # shellcheck disable=SC2046
  [ "$side" = gw ] && process_cpu "$WORK/$out" "$(deliveries_of "$WORK/$out/01.sub.json")" $(side_procs "$side")
  return 0
}

# how the measured subscribers connect (REPLAY above): at the run's head, or from its start
if [ "${REPLAY:-0}" = 1 ]; then HEAD_FIRST=1; HEAD_ARGS=(); else HEAD_FIRST=4; HEAD_ARGS=(-H "Last-Event-ID: 3"); fi
if [ "$WARM_UP" != none ]; then
  heap="${IDLE_HEAP:-1}"
  # each measured side in turn (through the gateways warms run-service's HTTP/2 path, not its HTTP/1.1 one), each
  # warm-up scenario in order; the idle heap is measured in the first
  for wside in "${sides[@]}"; do
    k=0
    for wsc in ${WARM_UP//,/ }; do
      k=$(( k + 1 )); wout="warm-up-$wside-$k"
      [[ "$wsc" =~ ^([0-9]+)x([0-9]+)$ ]]
      wn="${BASH_REMATCH[1]}"; wrate="${BASH_REMATCH[2]}"; wcount=$(( wrate * PUB_SECONDS ))
      echo; echo "---- warm-up $wsc: $(side_label "$wside") (not reported)  [load $(cut -d' ' -f1 /proc/loadavg)]"
      run="$("$WORK/tool" run "$BASE" "$TOKEN")"
      [ "$heap" = 1 ] && live_heap "$RS_PID" > "$WORK/$wout.before.heap"
      FIRST_SEQ="$HEAD_FIRST"
      run_side "$wside" "$run" "$wn" "$wrate" "$wcount" "$wout" warm-up "$heap" ${HEAD_ARGS[@]+"${HEAD_ARGS[@]}"} | grep -E "^(connect|events|latency live|by process)" || true
      [ "$heap" = 1 ] && idle_heap "$WORK/$wout.before.heap" "$WORK/$wout.heap" "$wn"
      heap=0
      sleep 3
    done
  done
fi

i=0
for sc in "$@"; do
  i=$(( i + 1 ))
  [[ "$sc" =~ ^([0-9]+)x([0-9]+)(\+resume)?$ ]]
  n="${BASH_REMATCH[1]}"; rate="${BASH_REMATCH[2]}"; resume="${BASH_REMATCH[3]}"
  count=$(( rate * PUB_SECONDS ))
  if [ -n "$resume" ]; then
    FIRST_SEQ=1; extra=(--resume-fraction "$RESUME_FRACTION" --resume-after "$RESUME_AFTER" --resume-delay-ms 1000)
  else
    FIRST_SEQ="$HEAD_FIRST"; extra=(${HEAD_ARGS[@]+"${HEAD_ARGS[@]}"})
  fi

  if [ "${SKIP_NCHAN:-0}" != 1 ]; then
    echo; echo "---- $sc: nginx + Nchan  [load $(cut -d' ' -f1 /proc/loadavg)]"
    RESULTS_DIR="$WORK/nchan-$i" PUB_SECONDS="$PUB_SECONDS" RESUME_FRACTION="$RESUME_FRACTION" RESUME_AFTER="$RESUME_AFTER" \
      PAUSE=0 "$BENCH_SSE/run-nchan.sh" "$sc" > "$RESULTS_DIR/nchan-$i.log" 2>&1 || echo "Nchan run failed (see nchan-$i.log)" >&2
    grep -E "^(connect time|events|latency|sequence|resume|client CPU|server CPU|machine CPU)" "$RESULTS_DIR/nchan-$i.log" || true
  fi

  for side in "${sides[@]}"; do
    echo; echo "---- $sc: $(side_label "$side")  [load $(cut -d' ' -f1 /proc/loadavg)]"
    run="$("$WORK/tool" run "$BASE" "$TOKEN")"
    run_side "$side" "$run" "$n" "$rate" "$count" "$side-$i" "$(side_label "$side") $n x $rate/s${resume:+ +resume}" 0 \
      ${extra[@]+"${extra[@]}"}
    echo "run-service heap after scenario: $(jcmd "$RS_PID" GC.heap_info 2>/dev/null | grep -m1 -E 'total|used' | sed 's/^ *//')"
    sleep 3
  done
done

# One table: per scenario the Nchan row, then the run-service rows (direct, through the gateways).
mkdir -p "$RESULTS_DIR/table"
k=0
for j in $(seq "$i"); do
  for side in nchan rs gw; do
    [ -f "$WORK/$side-$j/01.sub.json" ] || continue
    k=$(( k + 1 ))
    node -e '
      const fs = require("fs"); const [from, to, side] = process.argv.slice(1);
      const r = JSON.parse(fs.readFileSync(from, "utf8"));
      if (side === "nchan") r.label = "Nchan " + r.label;
      fs.writeFileSync(to, JSON.stringify(r));' "$WORK/$side-$j/01.sub.json" "$RESULTS_DIR/table/$(printf %02d "$k").sub.json" "$side"
    [ -f "$WORK/$side-$j/01.pub.json" ] && cp "$WORK/$side-$j/01.pub.json" "$RESULTS_DIR/table/$(printf %02d "$k").pub.json"
  done
done
echo
echo "== summary (latency = arrival - publish timestamp; missed/dup summed over all subscribers; load $(cut -d' ' -f1-3 /proc/loadavg))"
node "$BENCH_SSE/report.js" "$RESULTS_DIR/table"
