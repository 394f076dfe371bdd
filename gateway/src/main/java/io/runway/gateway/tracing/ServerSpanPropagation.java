package io.runway.gateway.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.propagation.Propagator;
import io.runway.common.tracing.ObservedSpans;
import io.runway.common.tracing.TraceHeaders;
import io.runway.common.tracing.UnsampledTrace;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
 * passes on its {@link UnsampledTrace} instead, with the caller's {@code tracestate} unchanged: this hop adds no entry
 * of its own. The forwarded headers are written in one pass ({@code routing.UpstreamRequestHeaders}): this says, once
 * per request, which of the caller's headers the trace replaces, and writes its own.
 */
@Component
@ConditionalOnProperty(name = "spring.cloud.gateway.server.webflux.observability.enabled", havingValue = "false")
public final class ServerSpanPropagation {

    private static final List<String> B3_FIELDS =
            List.of("b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");

    private final Propagator propagator;
    private final Set<String> replacedBySpan;
    private final Set<String> replacedByUnsampled;

    ServerSpanPropagation(ObjectProvider<Propagator> propagator) {
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
        this.replacedBySpan = caseInsensitive(this.propagator.fields(), B3_FIELDS);
        this.replacedByUnsampled = caseInsensitive(List.of(TraceHeaders.TRACEPARENT), B3_FIELDS);
    }

    /** What the request's trace does to the forwarded headers: nothing when it has no trace. */
    public ForwardedTrace of(ServerWebExchange exchange) {
        var span = span(exchange);
        if (span != null) {
            return new ForwardedTrace(
                    replacedBySpan, forwarded -> propagator.inject(span.context(), forwarded, HttpHeaders::set));
        }
        var unsampled = UnsampledTrace.of(exchange.getAttributes());
        if (unsampled != null) {
            return new ForwardedTrace(
                    replacedByUnsampled, forwarded -> forwarded.set(TraceHeaders.TRACEPARENT, unsampled.traceparent()));
        }
        return ForwardedTrace.NONE;
    }

    /**
     * @param replacedHeaders the caller's headers the trace replaces (case-insensitive)
     * @param writer writes the trace's own headers
     */
    public record ForwardedTrace(Set<String> replacedHeaders, Consumer<HttpHeaders> writer) {

        public static final ForwardedTrace NONE = new ForwardedTrace(Set.of(), forwarded -> {});
    }

    private static Span span(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(ObservedSpans::of)
                .orElse(null);
    }

    private static Set<String> caseInsensitive(Collection<String> first, Collection<String> second) {
        var names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(first);
        names.addAll(second);
        return Collections.unmodifiableSet(names);
    }
}
