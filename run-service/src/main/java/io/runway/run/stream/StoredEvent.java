package io.runway.run.stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.runway.run.runs.RunStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * One committed row of {@code run_events}, as replayed from PostgreSQL or announced over Redis.
 *
 * @param seq the per-run sequence, sent as the SSE {@code id}
 * @param type {@code run} or {@code step}
 * @param status the engine state (lower-case engine name)
 * @param traceparent the run's trace, carried on Redis with an event just committed (never in what subscribers get);
 *     null for events read from PostgreSQL and for runs started without one
 */
public record StoredEvent(
        UUID runId,
        long seq,
        String type,
        String stepKey,
        String status,
        int progress,
        String message,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent) {

    public boolean isRun() {
        return "run".equals(type);
    }

    /** Whether this event ends the run (success, failed or canceled). */
    boolean endsRun() {
        return isRun() && !RunStatus.fromDb(status).isActive();
    }
}
