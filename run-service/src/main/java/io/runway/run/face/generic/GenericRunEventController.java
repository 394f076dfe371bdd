package io.runway.run.face.generic;

import io.runway.common.auth.CallerPrincipal;
import io.runway.run.face.Callers;
import io.runway.run.face.Params;
import io.runway.run.face.SseResponses;
import io.runway.run.face.StreamEndpoint;
import io.runway.run.stream.RunEventStreams;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 003's run and step event stream: {@code GET /api/v1/automation-runs/:id/events}. */
@RestController
@RequestMapping("/api/v1/automation-runs")
class GenericRunEventController implements StreamEndpoint {

    private final RunEventStreams streams;
    private final GenericEventFormat format;

    GenericRunEventController(RunEventStreams streams, GenericEventFormat format) {
        this.streams = streams;
        this.format = format;
    }

    @Override
    public Route route() {
        return new Route("/api/v1/automation-runs/", "/events", "run_id", format);
    }

    @GetMapping("/{runId}/events")
    Mono<Void> events(
            CallerPrincipal caller,
            ServerHttpResponse response,
            @PathVariable String runId,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        var tenant = Callers.tenant(caller);
        var id = Params.uuid("path", "run_id", runId);
        return SseResponses.write(response, streams.open(tenant, id, SseResponses.lastEventId(lastEventId), format));
    }
}
