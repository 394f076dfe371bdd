package io.runway.run.stream;

import io.runway.common.tracing.TraceHeaders;
import io.runway.common.tracing.TraceMdc;
import java.util.List;

/**
 * Log lines about a run written by the streams, in the run's trace (its start request's, carried with its events and
 * stored with the run); read only when such a line is written, never per delivery.
 */
final class RunTraces {

    private RunTraces() {}

    static void inMdc(String traceparent, Runnable log) {
        var trace = TraceHeaders.of(traceparent, null);
        if (trace == null) {
            log.run();
        } else {
            TraceMdc.run(trace.traceId(), trace.spanId(), log);
        }
    }

    /** Runs {@code log} in the trace of the first of {@code events} (one run's, or one notification's). */
    static void inMdc(List<StoredEvent> events, Runnable log) {
        inMdc(events.isEmpty() ? null : events.get(0).traceparent(), log);
    }
}
