package io.runway.common.web;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.runway.common.tracing.ObservedSpans;
import io.runway.common.tracing.UnsampledTrace;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.util.context.ContextView;

/**
 * The trace and span id of the observation a request runs in, for log lines written where no thread-local carries
 * them (the gateway propagates no context; an access line is written after the request's scope has closed), or of
 * the {@link UnsampledTrace} of a request that runs without a span.
 */
record TraceIds(String traceId, String spanId) {

    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";
    static final TraceIds NONE = new TraceIds(null, null);

    static TraceIds of(ContextView context) {
        var span = ObservedSpans.of(context);
        return span != null ? of(span) : of(context.<UnsampledTrace>getOrDefault(UnsampledTrace.KEY, null));
    }

    static TraceIds of(ServerWebExchange exchange) {
        var observed = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(TraceIds::of)
                .orElse(NONE);
        return observed.traceId() != null ? observed : of(UnsampledTrace.of(exchange.getAttributes()));
    }

    private static TraceIds of(UnsampledTrace trace) {
        return trace == null ? NONE : new TraceIds(trace.traceId(), trace.spanId());
    }

    private static TraceIds of(Observation.ContextView observation) {
        return of(ObservedSpans.of(observation));
    }

    private static TraceIds of(Span span) {
        return span == null
                ? NONE
                : new TraceIds(span.context().traceId(), span.context().spanId());
    }
}
