package io.runway.common.likepion;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.runway.common.tracing.TraceHeaders;

/**
 * A {@link LikepionEvent} as it travels on the {@link LikepionChannel}: the event's own fields, plus the publisher's
 * W3C trace context ({@code traceparent}, {@code tracestate}) when it had one, so the subscriber continues its trace.
 * The context stays in the message: the event record, and anything re-emitted from it, never carries it. Subscribers
 * that read a message as a bare {@code LikepionEvent} ignore the two fields, and a message without them still reads.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LikepionMessage(@JsonUnwrapped LikepionEvent event, String traceparent, String tracestate) {

    public static LikepionMessage of(LikepionEvent event, TraceHeaders trace) {
        return trace == null
                ? new LikepionMessage(event, null, null)
                : new LikepionMessage(event, trace.traceparent(), trace.tracestate());
    }

    /** The publisher's trace context, or null when the message carries none (or a malformed one). */
    public TraceHeaders trace() {
        return TraceHeaders.of(traceparent, tracestate);
    }
}
