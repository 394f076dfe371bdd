package io.runway.common.tracing;

import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Puts a trace's ids into the MDC around some work, for code that runs outside any span scope (a run's engine work
 * continues the trace its start request stored) and with no automatic context propagation.
 */
public final class TraceMdc {

    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private TraceMdc() {}

    /** Runs {@code work} with these ids in the MDC (unless null), then puts back what was there. */
    public static void run(String traceId, String spanId, Runnable work) {
        call(traceId, spanId, () -> {
            work.run();
            return null;
        });
    }

    /** Calls {@code work} with these ids in the MDC (unless null), then puts back what was there. */
    public static <T> T call(String traceId, String spanId, Supplier<T> work) {
        if (traceId == null) {
            return work.get();
        }
        var previousTrace = MDC.get(TRACE_ID);
        var previousSpan = MDC.get(SPAN_ID);
        MDC.put(TRACE_ID, traceId);
        MDC.put(SPAN_ID, spanId);
        try {
            return work.get();
        } finally {
            restore(TRACE_ID, previousTrace);
            restore(SPAN_ID, previousSpan);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
