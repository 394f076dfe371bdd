package io.runway.worker.task;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.error.ApiException;
import io.runway.common.likepion.DataBody;
import io.runway.worker.server.ServerDirectory;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The Tasks API: {@code GET /tasks}, {@code PUT /tasks/:id}, {@code PUT /tasks/bulk}. */
@RestController
@RequestMapping("/api/v1/worker/tasks")
class TaskController {

    static final int MAX_BULK = 500;

    private final ServerDirectory servers;
    private final TaskService tasks;
    private final SingleTaskUpdates single;

    TaskController(ServerDirectory servers, TaskService tasks, SingleTaskUpdates single) {
        this.servers = servers;
        this.tasks = tasks;
        this.single = single;
    }

    @GetMapping
    Mono<TaskPage> list(
            CallerPrincipal caller,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String status,
            @RequestParam(name = "service_type", required = false) String serviceType) {
        return servers.require(caller)
                .flatMap(server -> Mono.fromCallable(() -> TaskQuery.of(page, limit, after, status, serviceType))
                        .flatMap(query -> tasks.list(server, query)));
    }

    @PutMapping("/bulk")
    Mono<BulkUpdateResponse> bulk(CallerPrincipal caller, @RequestBody BulkUpdateRequest body) {
        return servers.require(caller).flatMap(server -> {
            if (body.items() == null || body.items().isEmpty()) {
                return Mono.error(ApiException.badRequest("items must hold 1 to " + MAX_BULK + " updates"));
            }
            if (body.items().size() > MAX_BULK) {
                return Mono.error(ApiException.badRequest("at most " + MAX_BULK + " items per request, got "
                        + body.items().size()));
            }
            return tasks.update(server, body.items()).map(BulkUpdateResponse::of);
        });
    }

    @PutMapping("/{id}")
    Mono<DataBody<UpdatedBody>> update(
            CallerPrincipal caller, @PathVariable UUID id, @RequestBody(required = false) TaskUpdate body) {
        return servers.require(caller)
                .flatMap(server -> single.update(server, id, body, null))
                .map(DataBody::of);
    }
}
