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
# Knobs: WARM_UP (10000x10: one unreported scenario against run-service first, so that its rows are those of a warm
# JVM, as Nchan's are of a warm server; WARM_UP=none to skip), PUB_SECONDS (10), RS_PORT (18081), RS_MANAGEMENT_PORT (19181), RS_JAVA_OPTS (-Xms1g -Xmx1g),
# JFR=1 (record a JFR profile of run-service to RESULTS_DIR/run-service.jfr), RESULTS_DIR (a temp dir, kept),
# BENCH_SSE (../shared/bench-sse), SKIP_NCHAN=1, RESUME_FRACTION (0.1), RESUME_AFTER (3), IDLE_HEAP (1: in the warm-up,
# the live heap after a full GC with its subscribers connected and idle against before it, per subscriber and by class).
# Every run-service row also prints its connect phase: the server's CPU from the client's start to the last connect.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
case "${1:-}" in -h|--help|"") sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

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
DB_NAME="runway_bench_sse"
JAR="$ROOT/run-service/target/run-service.jar"
TEST_CLASSES="$ROOT/run-service/target/test-classes"

die() { echo "sse-side-by-side: $*" >&2; exit 1; }
[[ "$PUB_SECONDS" =~ ^[0-9]+$ ]] && [ "$PUB_SECONDS" -ge 1 ] && [ "$PUB_SECONDS" -le 120 ] || die "PUB_SECONDS must be 1..120"
for sc in "$@"; do
  [[ "$sc" =~ ^([0-9]+)x([0-9]+)(\+resume)?$ ]] || die "bad scenario '$sc' (e.g. 1000x10 or 1000x10+resume)"
  [ "${BASH_REMATCH[1]}" -le 10000 ] && [ "${BASH_REMATCH[2]}" -le 2000 ] || die "'$sc': at most 10000 subscribers, 2000/s"
done
[ -f "$BENCH_SSE/run-target.sh" ] || die "bench client not found at $BENCH_SSE (set BENCH_SSE)"
for port in "$RS_PORT" "$RS_MANAGEMENT_PORT"; do
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
cleanup() {
  local rc=$?
  set +e
  if [ -n "$RS_PID" ] && kill -0 "$RS_PID" 2>/dev/null; then
    kill -TERM "$RS_PID"
    for _ in $(seq 150); do kill -0 "$RS_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$RS_PID" 2>/dev/null && kill -KILL "$RS_PID"
    wait "$RS_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export BENCH_JDBC="jdbc:postgresql://127.0.0.1:5432/$DB_NAME" BENCH_SECRET="$SECRET"
export REDIS_HOST=127.0.0.1 REDIS_PORT=6379 REDIS_KEY_PREFIX="bench-sse-$$:"
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
# at-ready PID OUT_PREFIX HEAP(0|1) PUBLISH_COMMAND...
pid="$1"; out="$2"; heap="$3"; shift 3
awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$pid/stat" > "$out.cpu"
thread_ticks "$pid" > "$out.threads"
if [ "$heap" = 1 ]; then jcmd "$pid" GC.class_histogram 2>/dev/null | awk '$1 ~ /^[0-9]+:$/ { print $3, $4 }' > "$out.heap"; fi
exec "$@"
AT_READY
chmod +x "$WORK/at-ready"
connect_cpu() {  # connect_cpu CPU_BEFORE OUT_PREFIX N
  [ -f "$2.cpu" ] || return 0
  awk -v a="$1" -v b="$(cat "$2.cpu")" -v n="$3" \
    'BEGIN { printf "connect phase   server CPU %.2f s for %d connections = %.3f ms per connection; by thread:", b - a, n, 1000 * (b - a) / n }'
  awk -v tck="$(getconf CLK_TCK)" 'NR == FNR { before[$1] = $2; next } { d[$1] = $2 - before[$1] }
    END { for (k in d) if (d[k] > 0) printf "%d %s\n", d[k], k }' "$2.threads.before" "$2.threads" \
    | sort -rn | head -6 | awk -v tck="$(getconf CLK_TCK)" '{ printf " %s %.2f s", $2, $1 / tck }'
  echo
}
idle_heap() {  # idle_heap BEFORE_FILE AFTER_FILE N
  [ -s "$1" ] && [ -s "$2" ] || { echo "idle heap       not measured"; return 0; }
  awk -v n="$3" 'NR == FNR { before[$2] = $1; b += $1; next } { after[$2] = $1; a += $1 }
    END {
      printf "idle heap       live heap after a full GC: %.1f MiB with 0 subscribers, %.1f MiB with %d idle = %.2f KiB per idle subscriber\n", b / 1048576, a / 1048576, n, (a - b) / 1024 / n
      for (c in after) { d = after[c] - before[c]; if (d > 0) printf "%d %s\n", d, c }
    }' "$1" "$2" | { read -r line; echo "$line"; sort -rn | head -15 | awk -v n="$3" '{ printf "  %8.0f B per subscriber  %s\n", $1 / n, $2 }'; }
}

"$WORK/tool" prepare "$DB_NAME"
jfr=()
[ "${JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$RESULTS_DIR/run-service.jfr,settings=profile,dumponexit=true")
# shellcheck disable=SC2086
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

echo "== run-service vs nginx+Nchan  $(date -u +%Y-%m-%dT%H:%M:%SZ)  (results in $RESULTS_DIR)"
echo "host: $(nproc) CPUs; $("$JAVA" -version 2>&1 | head -1); run-service pid $RS_PID ($RS_JAVA_OPTS); nofile $(ulimit -n)"
echo "load average before start: $(cut -d' ' -f1-3 /proc/loadavg)"

WARM_UP="${WARM_UP:-10000x10}"
if [ "$WARM_UP" != none ]; then
  [[ "$WARM_UP" =~ ^([0-9]+)x([0-9]+)$ ]] || die "bad WARM_UP '$WARM_UP'"
  wn="${BASH_REMATCH[1]}"; wrate="${BASH_REMATCH[2]}"; wcount=$(( wrate * PUB_SECONDS ))
  [ "$wn" -le 10000 ] && [ "$wrate" -le 2000 ] || die "WARM_UP: at most 10000 subscribers, 2000/s"
  echo; echo "---- warm-up $WARM_UP: run-service (not reported)  [load $(cut -d' ' -f1 /proc/loadavg)]"
  run="$("$WORK/tool" run "$BASE" "$TOKEN")"
  heap="${IDLE_HEAP:-1}"
  [ "$heap" = 1 ] && live_heap "$RS_PID" > "$WORK/warm-up.before.heap"
  cpu0="$(cpu_seconds "$RS_PID")"; thread_ticks "$RS_PID" > "$WORK/warm-up.threads.before"
  URL="$BASE/api/v1/automation-runs/$run/events" N="$wn" LABEL="warm-up" RESULTS_DIR="$WORK/warm-up" \
  PUBLISH_CMD="'$WORK/at-ready' $RS_PID '$WORK/warm-up' $heap '$WORK/tool' publish $run $wrate $wcount" \
    "$BENCH_SSE/run-target.sh" -H "X-Internal-Token: $TOKEN" --seq-from-id --ts-field createdAt --ts-unit iso \
    --expect-first 1 --expect-last $(( wcount + 3 )) --server-pid "$RS_PID" --duration $(( PUB_SECONDS * 8 + 60 )) \
    --idle-timeout 30 > "$RESULTS_DIR/warm-up.log" 2>&1 || echo "warm-up run failed (see warm-up.log)" >&2
  grep -E "^(connect time|events|latency live)" "$RESULTS_DIR/warm-up.log" || true
  connect_cpu "$cpu0" "$WORK/warm-up" "$wn"
  [ "$heap" = 1 ] && idle_heap "$WORK/warm-up.before.heap" "$WORK/warm-up.heap" "$wn"
  sleep 3
fi

i=0
for sc in "$@"; do
  i=$(( i + 1 ))
  [[ "$sc" =~ ^([0-9]+)x([0-9]+)(\+resume)?$ ]]
  n="${BASH_REMATCH[1]}"; rate="${BASH_REMATCH[2]}"; resume="${BASH_REMATCH[3]}"
  count=$(( rate * PUB_SECONDS ))
  extra=()
  [ -n "$resume" ] && extra=(--resume-fraction "$RESUME_FRACTION" --resume-after "$RESUME_AFTER" --resume-delay-ms 1000)

  if [ "${SKIP_NCHAN:-0}" != 1 ]; then
    echo; echo "---- $sc: nginx + Nchan  [load $(cut -d' ' -f1 /proc/loadavg)]"
    RESULTS_DIR="$WORK/nchan-$i" PUB_SECONDS="$PUB_SECONDS" RESUME_FRACTION="$RESUME_FRACTION" RESUME_AFTER="$RESUME_AFTER" \
      PAUSE=0 "$BENCH_SSE/run-nchan.sh" "$sc" > "$RESULTS_DIR/nchan-$i.log" 2>&1 || echo "Nchan run failed (see nchan-$i.log)" >&2
    grep -E "^(connect time|events|latency|sequence|resume|client CPU|server CPU|machine CPU)" "$RESULTS_DIR/nchan-$i.log" || true
  fi

  echo; echo "---- $sc: run-service  [load $(cut -d' ' -f1 /proc/loadavg)]"
  run="$("$WORK/tool" run "$BASE" "$TOKEN")"
  cpu0="$(cpu_seconds "$RS_PID")"; thread_ticks "$RS_PID" > "$WORK/rs-$i.threads.before"
  URL="$BASE/api/v1/automation-runs/$run/events" N="$n" LABEL="run-service $n x $rate/s${resume:+ +resume}" \
  RESULTS_DIR="$WORK/rs-$i" PUBLISH_CMD="'$WORK/at-ready' $RS_PID '$WORK/rs-$i' 0 '$WORK/tool' publish $run $rate $count" \
    "$BENCH_SSE/run-target.sh" -H "X-Internal-Token: $TOKEN" --seq-from-id --ts-field createdAt --ts-unit iso \
    --expect-first 1 --expect-last $(( count + 3 )) --server-pid "$RS_PID" --duration $(( PUB_SECONDS * 8 + 60 )) \
    --idle-timeout 30 ${extra[@]+"${extra[@]}"} > "$RESULTS_DIR/rs-$i.log" 2>&1 || echo "run-service run failed (see rs-$i.log)" >&2
  grep -E "^(connect time|events|latency|sequence|resume|client CPU|server CPU|machine CPU)" "$RESULTS_DIR/rs-$i.log" || true
  connect_cpu "$cpu0" "$WORK/rs-$i" "$n"
  echo "run-service heap after scenario: $(jcmd "$RS_PID" GC.heap_info 2>/dev/null | grep -m1 -E 'total|used' | sed 's/^ *//')"
  sleep 3
done

# One table: per scenario the Nchan row, then the run-service row.
mkdir -p "$RESULTS_DIR/table"
k=0
for j in $(seq "$i"); do
  for side in nchan rs; do
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
