package io.runway.gateway.tracing;

import io.micrometer.tracing.propagation.Propagator;
import io.runway.common.tracing.ObservedSpans;
import io.runway.common.tracing.TraceHeaders;
import io.runway.common.tracing.UnsampledTrace;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Passes the trace on to the service as the context of the gateway's own server span, instead of Spring Cloud
 * Gateway's observation of each proxied call (a second observation and span per request, which the profile showed as
 * the largest cost the gateway adds). The service's span becomes a child of the gateway's server span; the trace id
 * and the sampling decision travel as before. Whatever trace headers the caller sent are replaced, as Spring Cloud
 * Gateway's observation did: the propagator's own, and B3's, which the gateway does not read (W3C only) but which must
 * not reach a service that would. A request without a span (its trace is not sampled: {@link SampledServerRequests})
 * passes on its {@link UnsampledTrace} instead.
 */
@Component
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.observability.enabled", havingValue = "false")
final class ServerSpanPropagation implements HttpHeadersFilter, Ordered {

    private static final List<String> B3_FIELDS =
            List.of("b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");

    private final Propagator propagator;
    private final List<String> fields;

    ServerSpanPropagation(ObjectProvider<Propagator> propagator) {
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
        this.fields = Stream.concat(this.propagator.fields().stream(), B3_FIELDS.stream())
                .distinct()
                .toList();
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        var span = ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(ObservedSpans::of)
                .orElse(null);
        var unsampled = span == null ? UnsampledTrace.of(exchange.getAttributes()) : null;
        if (span == null && unsampled == null) {
            return input;
        }
        var headers = new HttpHeaders();
        headers.putAll(input);
        if (span != null) {
            fields.forEach(headers::remove);
            propagator.inject(span.context(), headers, HttpHeaders::set);
        } else {
            // the caller's tracestate goes on unchanged: this hop adds no entry of its own
            B3_FIELDS.forEach(headers::remove);
            headers.set(TraceHeaders.TRACEPARENT, unsampled.traceparent());
        }
        return headers;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
