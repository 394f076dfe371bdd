package io.runway.run.events;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** One stored run event: {@code seq} is its per-run sequence, the SSE {@code id}. */
public record RunEventRow(
        UUID runId,
        long seq,
        String type,
        String stepKey,
        String status,
        int progress,
        String message,
        Instant createdAt) {

    private static final Set<String> TERMINAL = Set.of("success", "failed", "canceled");

    /** Whether this event ends the run. */
    public boolean endsRun() {
        return type.equals("run") && TERMINAL.contains(status);
    }
}
