package io.runway.common.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import reactor.util.context.ContextView;

/** The span of an observation: of the one a Reactor context holds, or of an observation's context. */
public final class ObservedSpans {

    private ObservedSpans() {}

    /** The span of the observation in {@code context}, or null. */
    public static Span of(ContextView context) {
        return context.getOrDefault(ObservationThreadLocalAccessor.KEY, null) instanceof Observation observation
                ? of(observation.getContextView())
                : null;
    }

    /** The span a tracing handler attached to the observation, or null. */
    public static Span of(Observation.ContextView observation) {
        TracingObservationHandler.TracingContext tracing =
                observation.get(TracingObservationHandler.TracingContext.class);
        return tracing == null ? null : tracing.getSpan();
    }
}
