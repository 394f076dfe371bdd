package io.runway.common.likepion;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.UUID;

/**
 * One message on the {@link LikepionChannel} (docs/architecture.md, "Events between services"): {@code link.status},
 * {@code heartbeat}, {@code request.status} or {@code server.changed}. Fields that do not belong to the type are left
 * out, except {@code server_id}, which a link's status names even when it has none. The names are written out, so the
 * wire does not depend on a service's JSON settings.
 *
 * @param waitedMs for a link the dispatcher handed out, how long it had waited
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LikepionEvent(
        String type,
        @JsonProperty("link_id") UUID linkId,
        @JsonProperty("request_id") UUID requestId,
        @JsonProperty("server_id") @JsonInclude(JsonInclude.Include.ALWAYS) UUID serverId,
        String status,
        @JsonProperty("waited_ms") Long waitedMs,
        Instant at) {

    public static final String LINK_STATUS = "link.status";
    public static final String HEARTBEAT = "heartbeat";
    public static final String REQUEST_STATUS = "request.status";
    public static final String SERVER_CHANGED = "server.changed";

    public static LikepionEvent linkStatus(
            UUID linkId, UUID requestId, UUID serverId, String status, Long waitedMs, Instant at) {
        return new LikepionEvent(LINK_STATUS, linkId, requestId, serverId, status, waitedMs, at);
    }

    public static LikepionEvent heartbeat(UUID serverId, Instant at) {
        return new LikepionEvent(HEARTBEAT, null, null, serverId, null, null, at);
    }

    public static LikepionEvent requestStatus(UUID requestId, String status, Instant at) {
        return new LikepionEvent(REQUEST_STATUS, null, requestId, null, status, null, at);
    }

    public static LikepionEvent serverChanged(UUID serverId, Instant at) {
        return new LikepionEvent(SERVER_CHANGED, null, null, serverId, null, null, at);
    }

    public boolean is(String type) {
        return type.equals(this.type);
    }
}
