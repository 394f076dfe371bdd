package io.runway.worker.task;

import java.util.UUID;

/**
 * An accepted change to one link, with everything the single update statement needs.
 *
 * @param from the status before the change
 * @param update the fields sent by the worker ({@code null} leaves a field as it is)
 * @param to the status after the change
 * @param countIt whether this change adds the link to its request's {@code created_links} (first completion only)
 */
record LinkChange(UUID id, TaskStatus from, TaskStatus to, TaskUpdate update, boolean countIt) {

    boolean statusChanged() {
        return from != to;
    }

    boolean setsStartedAt() {
        return statusChanged() && to.startsWork();
    }

    boolean setsCompletedAt() {
        return statusChanged() && to.finishes();
    }

    boolean isRetry() {
        return from == TaskStatus.FAILED && to == TaskStatus.PENDING;
    }

    int activeDelta() {
        return (to.isActive() ? 1 : 0) - (from.isActive() ? 1 : 0);
    }
}
