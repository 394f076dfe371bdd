package io.runway.gateway.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.runway.common.tracing.TraceHeaders;
import io.runway.common.tracing.UnsampledTrace;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Observes a request, and so gives it a span, only when its trace is sampled: the caller's {@code traceparent} says so,
 * or, for a request that starts a trace, a draw at the configured probability. Every other request gets an
 * {@link UnsampledTrace} (the caller's trace id or a new one, and a new span id) that its log lines name and
 * {@link ServerSpanPropagation} sends on with the sampled flag off, as the unsampled span did, without creating that
 * span, its context and its observation, which were most of what tracing cost per request.
 */
final class SampledServerRequests implements ObservationPredicate {

    private final double probability;

    SampledServerRequests(double probability) {
        this.probability = probability;
    }

    @Override
    public boolean test(String name, Observation.Context context) {
        if (!(context instanceof ServerRequestObservationContext server)) {
            return true;
        }
        var headers = server.getCarrier().getHeaders();
        var caller = TraceHeaders.of(headers.getFirst(TraceHeaders.TRACEPARENT), null);
        if (caller != null && isValid(caller)) {
            if (caller.sampled()) {
                return true;
            }
            UnsampledTrace.continuing(caller.traceId()).attachTo(server);
            return false;
        }
        if (probability >= 1 || (probability > 0 && ThreadLocalRandom.current().nextDouble() < probability)) {
            return true;
        }
        UnsampledTrace.newTrace().attachTo(server);
        return false;
    }

    /** What the W3C propagator accepts as a parent: version other than ff, ids not all zero. */
    private static boolean isValid(TraceHeaders caller) {
        return !caller.traceparent().startsWith("ff")
                && !caller.traceId().equals("00000000000000000000000000000000")
                && !caller.spanId().equals("0000000000000000");
    }
}
