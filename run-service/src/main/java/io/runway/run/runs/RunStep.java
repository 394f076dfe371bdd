package io.runway.run.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** One step of a run as stored; {@code id} is the seed's {@code actionRunId}. */
public record RunStep(
        UUID id,
        UUID runId,
        int position,
        String key,
        String name,
        String type,
        List<String> dependsOn,
        JsonNode config,
        StepStatus status,
        int attempt,
        JsonNode result,
        boolean resultTruncated,
        JsonNode error,
        String decisionId,
        Instant startedAt,
        Instant completedAt) {

    /** Result marker of steps skipped because a condition took the other branch. */
    public static final String BRANCH_NOT_TAKEN = "branch_not_taken";

    public Double durationSeconds() {
        if (startedAt == null || completedAt == null) {
            return null;
        }
        return Duration.between(startedAt, completedAt).toMillis() / 1000.0;
    }

    /** Whether this step was skipped because a condition took the other branch. */
    public boolean isPruned() {
        return status == StepStatus.SKIPPED
                && result != null
                && BRANCH_NOT_TAKEN.equals(result.path("reason").asString(""));
    }
}
