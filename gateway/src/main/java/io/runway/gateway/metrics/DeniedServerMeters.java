package io.runway.gateway.metrics;

import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Takes the server observation away from Boot's meter handler while {@code http.server.requests} is disabled: that
 * handler built the observation's tags and looked up an {@code http.server.requests.active} long-task timer at each
 * start and an {@code http.server.requests} timer at each stop, on every request, only for the registry to hand back
 * its no-op meters. Boot groups meter handlers first-match, so this one, ordered first, is the one the server
 * observation gets; every other observation still gets Boot's. The observation itself, and its span, are untouched.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnProperty(name = "management.metrics.enable.http.server.requests", havingValue = "false")
final class DeniedServerMeters implements MeterObservationHandler<ServerRequestObservationContext> {

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ServerRequestObservationContext;
    }
}
