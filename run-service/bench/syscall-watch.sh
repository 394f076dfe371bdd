#!/usr/bin/env bash
# Counts system calls and loopback packets per delivery beside an sse-side-by-side.sh run: each time a scenario's
# publisher starts (Nchan's sse-pub.js or SseBenchTool publish), waits DELAY (3) s, then for SECS (5) s counts with
# perf stat the server processes' system calls by kind and context switches (nginx's workers, or the run-service
# started with -jar), and every packet sent on the machine (net:net_dev_xmit, loopback both ways). One file per
# scenario and side in OUT: <n>-nchan|rs.stat and .net (perf stat -x, output). Runs until killed; needs root for the
# tracepoints. Divide by the scenario's deliveries/s x SECS for per-delivery figures.
#
#   run-service/bench/syscall-watch.sh /tmp/stats & W=$!
#   PUB_SECONDS=10 run-service/bench/sse-side-by-side.sh 1000x100 100x1000; kill $W
set -uo pipefail
OUT=$1; DELAY=${DELAY:-3}; SECS=${SECS:-5}; mkdir -p "$OUT"; n=0; seen=""
EVENTS=raw_syscalls:sys_enter,syscalls:sys_enter_writev,syscalls:sys_enter_write,syscalls:sys_enter_sendto
EVENTS+=,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_read,syscalls:sys_enter_futex
EVENTS+=,context-switches
while true; do
  pub=$(pgrep -f 'sse-pub.js|SseBenchTool.* publish' | head -1)
  if [ -n "$pub" ] && [[ " $seen " != *" $pub "* ]]; then
    seen="$seen $pub"; n=$((n + 1))
    if pgrep -f 'sse-pub.js' | grep -qx "$pub"; then
      side=nchan; pids=$(pgrep -f 'nginx: worker' | paste -sd,)
    else
      side=rs; pids=$(pgrep -f -- '-jar .*run-service.jar' | paste -sd,)
    fi
    ( sleep "$DELAY"
      perf stat -x, -e net:net_dev_xmit -a -o "$OUT/$n-$side.net" -- sleep "$SECS" &
      perf stat -x, -e "$EVENTS" -p "$pids" -o "$OUT/$n-$side.stat" -- sleep "$SECS"
      wait ) &
  fi
  sleep 0.2
done
