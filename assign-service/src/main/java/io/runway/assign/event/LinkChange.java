package io.runway.assign.event;

import java.util.UUID;

/** A link whose status this service changed, to be announced as a {@code link.status} event after commit. */
public record LinkChange(UUID linkId, UUID requestId, UUID serverId, String status) {}
