package io.runway.assign.server;

import io.runway.assign.web.Callers;
import io.runway.assign.web.ListBody;
import io.runway.assign.web.Params;
import io.runway.common.auth.CallerPrincipal;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Assign API: servers and their health. */
@RestController
@RequestMapping("/api/v1/worker/servers")
class ServerController {

    private final ServerService servers;

    ServerController(ServerService servers) {
        this.servers = servers;
    }

    @GetMapping
    Mono<ListBody<ServerView>> list(
            CallerPrincipal caller,
            @RequestParam(required = false) String status,
            @RequestParam(name = "inactive_minutes", required = false) String inactiveMinutes) {
        Callers.requireAssignServer(caller);
        var parsedStatus = Params.oneOf("status", status, Params.SERVER_STATUSES);
        Integer minutes = inactiveMinutes == null || inactiveMinutes.isBlank()
                ? null
                : Params.intInRange("inactive_minutes", inactiveMinutes, 0, 0, 525_600);
        return servers.list(parsedStatus, minutes).map(ListBody::of);
    }

    @GetMapping("/available")
    Mono<ListBody<ServerView>> available(
            CallerPrincipal caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String service) {
        Callers.requireAssignServer(caller);
        var parsedStatus =
                status == null || status.isBlank() ? "online" : Params.oneOf("status", status, Params.SERVER_STATUSES);
        var parsedService = service == null || service.isBlank() ? null : service.trim();
        return servers.available(parsedStatus, parsedService).map(ListBody::of);
    }

    @PutMapping("/{id}/status")
    Mono<StatusChanged> status(CallerPrincipal caller, @PathVariable String id, @RequestBody StatusChange body) {
        Callers.requireAssignServer(caller);
        var serverId = Params.uuid("id", id);
        var status = Params.required("status", body.status(), Params.SERVER_STATUSES);
        return servers.changeStatus(serverId, status).thenReturn(new StatusChanged(true, true, serverId, status));
    }

    /** Answer of {@code PUT /servers/:id/status}. */
    record StatusChanged(boolean success, boolean updated, UUID id, String status) {}

    /** Body of {@code PUT /servers/:id/status}. */
    record StatusChange(String status) {}
}
