package io.runway.assign.event;

import java.util.UUID;

/**
 * A link whose status this service changed, to be announced as a {@code link.status} event after commit; {@code
 * waitedMs} is set on hand-outs only: how long the link had been due before the dispatcher assigned it.
 */
public record LinkChange(UUID linkId, UUID requestId, UUID serverId, String status, Long waitedMs) {

    public LinkChange(UUID linkId, UUID requestId, UUID serverId, String status) {
        this(linkId, requestId, serverId, status, null);
    }
}
