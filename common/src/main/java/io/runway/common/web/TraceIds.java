package io.runway.common.web;

import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.runway.common.tracing.ObservedSpans;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.util.context.ContextView;

/**
 * The trace and span id of the observation a request runs in, for log lines written where no thread-local carries
 * them (the gateway propagates no context; an access line is written after the request's scope has closed).
 */
record TraceIds(String traceId, String spanId) {

    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";
    static final TraceIds NONE = new TraceIds(null, null);

    static TraceIds of(ContextView context) {
        return of(ObservedSpans.of(context));
    }

    static TraceIds of(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(TraceIds::of)
                .orElse(NONE);
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
