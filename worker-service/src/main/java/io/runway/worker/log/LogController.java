package io.runway.worker.log;

import io.runway.common.auth.CallerPrincipal;
import io.runway.worker.server.ServerDirectory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /logs}: a batch of up to 500 log entries from a server. */
@RestController
@RequestMapping("/api/v1/worker")
class LogController {

    private final ServerDirectory servers;
    private final LogService logs;

    LogController(ServerDirectory servers, LogService logs) {
        this.servers = servers;
        this.logs = logs;
    }

    @PostMapping("/logs")
    Mono<LogsCreated> create(CallerPrincipal caller, @RequestBody LogBatch body) {
        return servers.require(caller)
                .flatMap(server -> logs.store(server, body))
                .map(created -> new LogsCreated(true, created));
    }

    /** Answer of {@code POST /logs}. */
    record LogsCreated(boolean success, long created) {}
}
