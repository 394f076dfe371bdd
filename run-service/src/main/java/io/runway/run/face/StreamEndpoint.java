package io.runway.run.face;

import io.runway.run.stream.EventFormat;

/** A face's run-event stream endpoint, so that {@link DirectStreams} can open its streams ahead of WebFlux. */
public interface StreamEndpoint {

    /** {@code GET <prefix><run id><suffix>}; {@code idName} names the id in a validation error. */
    record Route(String prefix, String suffix, String idName, EventFormat format) {}

    Route route();
}
