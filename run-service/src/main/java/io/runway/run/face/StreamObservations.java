package io.runway.run.face;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Leaves the stream endpoints out of the HTTP server observation. With context propagation on, every event written to
 * every subscriber re-opened the request's observation scope (the largest single cost of a delivery, by JFR), and a
 * stream's duration says nothing anyway; {@code run_events_*} meters count subscribers and deliveries instead.
 */
@Component
class StreamObservations implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        return !(context instanceof ServerRequestObservationContext request
                && StreamPaths.isStream(request.getCarrier().getPath().value()));
    }
}
