package io.runway.worker.task;

import io.runway.common.error.ApiException;
import io.runway.worker.server.ActiveServer;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Updates one task and turns a refusal into the matching HTTP error (404, 403, 409 or 400). */
@Component
public class SingleTaskUpdates {

    private final TaskService tasks;

    SingleTaskUpdates(TaskService tasks) {
        this.tasks = tasks;
    }

    /** Applies the update to the task {@code id}; {@code status} overrides the body's status when not null. */
    public Mono<UpdatedBody> update(ActiveServer server, UUID id, TaskUpdate body, String status) {
        var update = (body == null ? new TaskUpdate(null, null, null, null, null, null, null) : body)
                .withLinkId(id.toString());
        var item = status == null ? update : update.withStatus(status);
        return tasks.update(server, List.of(item)).map(results -> toBody(id, results.get(0)));
    }

    private static UpdatedBody toBody(UUID id, ItemResult result) {
        if (result.success()) {
            return new UpdatedBody(true, id);
        }
        throw switch (result.error()) {
            case "not_found" -> ApiException.notFound(result.message());
            case "not_your_task" -> ApiException.forbidden("not_your_task", result.message());
            case "invalid_transition" -> ApiException.invalidTransition(result.message());
            default -> new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", result.message());
        };
    }
}
