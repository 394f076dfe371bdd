package io.runway.worker.heartbeat;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.runway.common.likepion.DataBody;
import io.runway.worker.server.ServerDirectory;
import java.time.Clock;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /health}: a server's heartbeat. Answers at once; the write is coalesced by {@link HeartbeatBuffer}. */
@RestController
@RequestMapping("/api/v1/worker")
class HeartbeatController {

    private final ServerDirectory servers;
    private final HeartbeatBuffer buffer;
    private final Clock clock;

    HeartbeatController(ServerDirectory servers, HeartbeatBuffer buffer, Clock clock) {
        this.servers = servers;
        this.buffer = buffer;
        this.clock = clock;
    }

    @PostMapping("/health")
    Mono<DataBody<HeartbeatResponse>> heartbeat(
            CallerPrincipal caller, @RequestBody(required = false) HeartbeatRequest body) {
        var report = body == null ? HeartbeatRequest.EMPTY : body;
        var problem = report.problem();
        if (problem != null) {
            return Mono.error(ApiException.badRequest(problem));
        }
        return servers.require(caller).map(server -> {
            var now = clock.instant();
            buffer.accept(new Heartbeat(server.id(), report, now));
            return DataBody.of(new HeartbeatResponse("ok", server.id(), server.name(), now));
        });
    }
}
