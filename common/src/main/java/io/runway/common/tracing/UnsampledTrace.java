package io.runway.common.tracing;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * The trace of a request that is passed on without a span of its own, because its trace is not sampled: the ids the
 * request's log lines carry and the {@code traceparent} (sampled flag off) the next service continues. The gateway
 * creates spans for sampled requests only; an unsampled span would be recorded nowhere and cost as much to create.
 *
 * @param traceId the caller's trace id, or a new one when the caller sent no trace
 * @param spanId a new id standing for this hop: the parent of the next service's span
 */
public record UnsampledTrace(String traceId, String spanId) {

    /** The Reactor context key under which a request's unsampled trace is kept. */
    public static final String KEY = UnsampledTrace.class.getName();

    private static final HexFormat HEX = HexFormat.of();

    /** A hop of the caller's unsampled trace. */
    public static UnsampledTrace continuing(String traceId) {
        return new UnsampledTrace(traceId, newSpanId());
    }

    /** A new trace that is not sampled. */
    public static UnsampledTrace newTrace() {
        var random = ThreadLocalRandom.current();
        return new UnsampledTrace(HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(nonZero(random)), newSpanId());
    }

    /**
     * The request's unsampled trace, kept on its server observation's context (which an exchange holds even when the
     * observation itself is a no-op); null when the request has a span, or no trace.
     */
    public static UnsampledTrace of(Map<String, Object> exchangeAttributes) {
        return ServerRequestObservationContext.findCurrent(exchangeAttributes)
                .map(context -> context.<UnsampledTrace>get(UnsampledTrace.class))
                .orElse(null);
    }

    /** Keeps this trace on the request's server observation context, for {@link #of}. */
    public void attachTo(ServerRequestObservationContext context) {
        context.put(UnsampledTrace.class, this);
    }

    /** The W3C {@code traceparent} of this hop, sampled flag off. */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-00";
    }

    private static String newSpanId() {
        return HEX.toHexDigits(nonZero(ThreadLocalRandom.current()));
    }

    private static long nonZero(ThreadLocalRandom random) {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }
}
