package io.runway.common.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import reactor.util.context.ContextView;

/**
 * Carries a trace across a message: takes the W3C context of the current span where a message is published, and
 * continues it where the message is handled, so both sides log (and, when sampled, record) one trace.
 */
public class MessageTracing {

    private final Tracer tracer;
    private final Propagator propagator;

    public MessageTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Tracing that carries nothing, for code run without a tracer (unit tests, tracing switched off). */
    public static MessageTracing none() {
        return new MessageTracing(Tracer.NOOP, Propagator.NOOP);
    }

    /** The context of this thread's current span, or null without one. */
    public TraceHeaders current() {
        var span = tracer.currentSpan();
        return span == null ? null : headers(span.context());
    }

    /**
     * The context of the observation in a Reactor context, or null without one: for code where no thread-local
     * carries it ({@code spring.reactor.context-propagation=limited}).
     */
    public TraceHeaders current(ContextView context) {
        var span = ObservedSpans.of(context);
        return span == null ? null : headers(span.context());
    }

    /**
     * Runs {@code handle} in a consumer span named {@code name}, a child of the publisher's span, with its ids in the
     * MDC; without a context it just runs it. Unsampled, the span records nothing and only carries the ids.
     */
    public void handle(TraceHeaders context, String name, Runnable handle) {
        if (context == null) {
            handle.run();
            return;
        }
        var span = child(context, name, Span.Kind.CONSUMER);
        // The scope does not touch the MDC by itself: the ids are put there for the handler's log lines.
        try (var scope = tracer.withSpan(span)) {
            TraceMdc.run(span.context().traceId(), span.context().spanId(), handle);
        } finally {
            span.end();
        }
    }

    /** A started span continuing {@code context}, when the trace is sampled; null otherwise (nothing to record). */
    public Span startIfSampled(TraceHeaders context, String name) {
        return context == null || !context.sampled()
                ? null
                : builder(context, name).start();
    }

    private Span child(TraceHeaders context, String name, Span.Kind kind) {
        return builder(context, name).kind(kind).start();
    }

    private Span.Builder builder(TraceHeaders context, String name) {
        return propagator.extract(context, TraceHeaders::get).name(name);
    }

    private TraceHeaders headers(TraceContext context) {
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(context, carrier, Map::put);
        return TraceHeaders.of(carrier.get(TraceHeaders.TRACEPARENT), carrier.get(TraceHeaders.TRACESTATE));
    }
}
