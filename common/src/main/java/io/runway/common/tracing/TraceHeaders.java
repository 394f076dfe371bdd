package io.runway.common.tracing;

import java.util.regex.Pattern;

/**
 * A W3C trace context carried outside HTTP headers (in a Redis message, in a run's row): {@code traceparent} and, when
 * the trace has one, {@code tracestate}.
 */
public record TraceHeaders(String traceparent, String tracestate) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final Pattern WELL_FORMED = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    /** The context when {@code traceparent} is well formed; null otherwise (an older publisher, or none). */
    public static TraceHeaders of(String traceparent, String tracestate) {
        if (traceparent == null || !WELL_FORMED.matcher(traceparent).matches()) {
            return null;
        }
        return new TraceHeaders(traceparent, tracestate == null || tracestate.isEmpty() ? null : tracestate);
    }

    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** The id of the span that published the context: the parent of whatever continues it. */
    public String spanId() {
        return traceparent.substring(36, 52);
    }

    /** Whether the trace is recorded (the {@code sampled} flag). */
    public boolean sampled() {
        return (Character.digit(traceparent.charAt(54), 16) & 1) == 1;
    }

    /** The header of that name, as a propagator reads it. */
    String get(String name) {
        return switch (name) {
            case TRACEPARENT -> traceparent;
            case TRACESTATE -> tracestate;
            default -> null;
        };
    }
}
