package io.runway.assign.feed;

import java.time.Instant;

/** One point of the dispatcher charts: hand-outs in the last second, pending links, p99 time to assignment (ms). */
record DispatcherPoint(Instant at, long assignmentsPerSecond, long pending, Long p99Ms) {}
