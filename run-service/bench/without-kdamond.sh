#!/usr/bin/env bash
# Runs a command with the kernel's DAMON monitor (kdamond) paused, and restores its state afterwards, even on failure.
# On this project's VMs kdamond samples physical memory every 500 ms for proactive reclaim; each pass stalls a busy JVM
# for tens of milliseconds (docs/benchmarks.md, "kdamond"). Needs root; a kernel without DAMON runs the command as is.
#
#   run-service/bench/without-kdamond.sh ./mvnw -B verify -Pbench -pl common,run-service -Dtest=RunEngineBenchmark ...
set -euo pipefail
state=/sys/kernel/mm/damon/admin/kdamonds/0/state
if [[ ! -w $state ]]; then
    echo "without-kdamond: no writable $state, running as is" >&2
    exec "$@"
fi
before=$(cat "$state")
trap 'echo "$before" > "$state"; echo "without-kdamond: kdamond $(cat "$state") again" >&2' EXIT
echo off > "$state"
echo "without-kdamond: kdamond $(cat "$state") (was $before)" >&2
"$@"
