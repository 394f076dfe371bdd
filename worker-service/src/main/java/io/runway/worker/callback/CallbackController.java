package io.runway.worker.callback;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.likepion.DataBody;
import io.runway.worker.server.ServerDirectory;
import io.runway.worker.task.SingleTaskUpdates;
import io.runway.worker.task.TaskUpdate;
import io.runway.worker.task.UpdatedBody;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The callback endpoints under {@code /callback}: link update and completion, request and account status. */
@RestController
@RequestMapping("/api/v1/worker/callback")
class CallbackController {

    private final ServerDirectory servers;
    private final SingleTaskUpdates links;
    private final CallbackService callbacks;

    CallbackController(ServerDirectory servers, SingleTaskUpdates links, CallbackService callbacks) {
        this.servers = servers;
        this.links = links;
        this.callbacks = callbacks;
    }

    @PostMapping("/link/update")
    Mono<DataBody<UpdatedBody>> linkUpdate(CallerPrincipal caller, @RequestBody CallbackBodies.LinkUpdate body) {
        return servers.require(caller)
                .flatMap(server -> Mono.fromCallable(() -> CallbackService.uuid(body.linkId(), "link_id"))
                        .flatMap(id -> links.update(
                                server,
                                id,
                                new TaskUpdate(
                                        null,
                                        body.status(),
                                        body.linkProfile(),
                                        body.linkPost(),
                                        body.errorMessage(),
                                        null,
                                        null),
                                null)))
                .map(DataBody::of);
    }

    @PostMapping("/link/complete")
    Mono<DataBody<UpdatedBody>> linkComplete(CallerPrincipal caller, @RequestBody CallbackBodies.LinkComplete body) {
        return servers.require(caller)
                .flatMap(server -> Mono.fromCallable(() -> CallbackService.uuid(body.linkId(), "link_id"))
                        .flatMap(id -> links.update(
                                server,
                                id,
                                new TaskUpdate(null, null, body.linkProfile(), body.linkPost(), null, null, null),
                                "completed")))
                .map(DataBody::of);
    }

    @PostMapping("/request/status")
    Mono<DataBody<CallbackBodies.RequestUpdated>> requestStatus(
            CallerPrincipal caller, @RequestBody CallbackBodies.RequestStatus body) {
        return servers.require(caller)
                .flatMap(server -> Mono.defer(() -> callbacks.requestStatus(server, body)))
                .map(DataBody::of);
    }

    @PostMapping("/account/status")
    Mono<DataBody<CallbackBodies.AccountUpdated>> accountStatus(
            CallerPrincipal caller, @RequestBody CallbackBodies.AccountStatus body) {
        return servers.require(caller)
                .flatMap(server -> Mono.defer(() -> callbacks.accountStatus(server, body)))
                .map(DataBody::of);
    }
}
