package io.runway.worker.task;

import java.util.UUID;

/** A link as it is after an update committed. */
record ChangedLink(UUID id, UUID requestId, UUID serverId, String status) {}
