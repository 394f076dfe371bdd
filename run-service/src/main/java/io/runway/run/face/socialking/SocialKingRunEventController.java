package io.runway.run.face.socialking;

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

/** Seed 000's live run status stream: {@code GET /api/v1/automation/run/:runId/sse}. */
@RestController
@RequestMapping("/api/v1/automation/run")
class SocialKingRunEventController implements StreamEndpoint {

    private final RunEventStreams streams;
    private final SocialKingEventFormat format;

    SocialKingRunEventController(RunEventStreams streams, SocialKingEventFormat format) {
        this.streams = streams;
        this.format = format;
    }

    @Override
    public Route route() {
        return new Route("/api/v1/automation/run/", "/sse", "runId", format);
    }

    @GetMapping("/{runId}/sse")
    Mono<Void> sse(
            CallerPrincipal caller,
            ServerHttpResponse response,
            @PathVariable String runId,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        var tenant = Callers.tenant(caller);
        var id = Params.uuid("path", "runId", runId);
        return SseResponses.write(response, streams.open(tenant, id, SseResponses.lastEventId(lastEventId), format));
    }
}
