package io.runway.worker.task;

import java.util.UUID;

/** A link row locked for update, with what judging a change needs. */
record LockedLink(
        UUID id, UUID requestId, UUID serverId, TaskStatus status, int retryCount, int maxRetries, boolean counted) {}
