package io.runway.worker.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * One message on the {@code likepion:events} channel (docs/architecture.md, "Events between services"): {@code link.status}, {@code heartbeat} or
 * {@code request.status}. Fields that do not belong to the type are left out, except {@code server_id} of a link.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LikepionEvent(
        String type,
        UUID linkId,
        UUID requestId,
        @JsonInclude(JsonInclude.Include.ALWAYS) UUID serverId,
        String status,
        Instant at) {

    public static LikepionEvent linkStatus(UUID linkId, UUID requestId, UUID serverId, String status, Instant at) {
        return new LikepionEvent("link.status", linkId, requestId, serverId, status, at);
    }

    public static LikepionEvent heartbeat(UUID serverId, Instant at) {
        return new LikepionEvent("heartbeat", null, null, serverId, null, at);
    }

    public static LikepionEvent requestStatus(UUID requestId, String status, Instant at) {
        return new LikepionEvent("request.status", null, requestId, null, status, at);
    }
}
