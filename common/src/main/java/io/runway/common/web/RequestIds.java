package io.runway.common.web;

import io.micrometer.context.ContextRegistry;
import java.util.HashMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.server.ServerWebExchange;
import reactor.util.context.ContextView;

/** The request id: its header, its Reactor context / MDC key, and what a well-formed one looks like. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String CONTEXT_KEY = "requestId";
    /** Exchange attribute holding the request's id, whether or not it was also set on the request's headers. */
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".requestId";

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static {
        // Copies the Reactor context entry into the MDC on whatever thread runs the pipeline.
        ContextRegistry.getInstance()
                .registerThreadLocalAccessor(
                        CONTEXT_KEY,
                        () -> MDC.get(CONTEXT_KEY),
                        v -> MDC.put(CONTEXT_KEY, v),
                        () -> MDC.remove(CONTEXT_KEY));
    }

    private RequestIds() {}

    /** The caller's id when it is well formed (an id from outside is never trusted blindly into logs), else a new one. */
    public static String acceptOrCreate(String candidate) {
        if (candidate != null && WELL_FORMED.matcher(candidate).matches()) {
            return candidate;
        }
        return newId();
    }

    /**
     * A random (version 4) UUID in its usual text form. Drawn from {@link ThreadLocalRandom}, not from the shared
     * {@code SecureRandom} of {@link UUID#randomUUID()}: a request id names a request in logs, it guards nothing.
     */
    public static String newId() {
        var random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least).toString();
    }

    /** The id {@link RequestIdWebFilter} gave the exchange, else the request's header (null when neither is set). */
    public static String of(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        return id != null ? id : exchange.getRequest().getHeaders().getFirst(HEADER);
    }

    /**
     * Runs {@code log} with the request id and trace ids of {@code context} in the MDC, for log lines written where
     * automatic context propagation is off (the gateway runs with {@code spring.reactor.context-propagation=limited}).
     */
    public static void inMdc(ContextView context, Runnable log) {
        inMdc(context.<String>getOrDefault(CONTEXT_KEY, null), TraceIds.of(context), log);
    }

    /**
     * Runs {@code log} with the exchange's request id (the one {@link RequestIdWebFilter} gave it) and the trace ids of
     * its server observation in the MDC.
     */
    public static void inMdc(ServerWebExchange exchange, Runnable log) {
        inMdc(exchange, of(exchange), log);
    }

    /** Runs {@code log} with the request id and the trace ids of the exchange's server observation in the MDC. */
    public static void inMdc(ServerWebExchange exchange, String requestId, Runnable log) {
        inMdc(requestId, TraceIds.of(exchange), log);
    }

    private static void inMdc(String requestId, TraceIds trace, Runnable log) {
        var previous = new HashMap<String, String>();
        var entries = new HashMap<String, String>();
        entries.put(CONTEXT_KEY, requestId);
        entries.put(TraceIds.TRACE_ID, trace.traceId());
        entries.put(TraceIds.SPAN_ID, trace.spanId());
        entries.forEach((key, value) -> {
            previous.put(key, MDC.get(key));
            if (value != null) {
                MDC.put(key, value);
            }
        });
        try {
            log.run();
        } finally {
            previous.forEach((key, value) -> {
                if (value == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, value);
                }
            });
        }
    }

    static void register() {
        // triggers the static initialiser once
    }
}
