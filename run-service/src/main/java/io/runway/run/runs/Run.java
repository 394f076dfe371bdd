package io.runway.run.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One automation run as stored.
 *
 * @param traceparent the W3C trace context of the request that started the run, or null
 */
public record Run(
        UUID id,
        String tenantId,
        UUID automationId,
        UUID automationVersionId,
        int versionNumber,
        RunStatus status,
        TriggerType triggerType,
        String triggerSourceType,
        String triggerSourceId,
        boolean skipScheduleNode,
        String concurrencyKey,
        String idempotencyKey,
        int progress,
        JsonNode error,
        String leaseOwner,
        Instant leaseExpiresAt,
        String canceledBy,
        Instant canceledAt,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt,
        String traceparent) {

    public Double durationSeconds() {
        if (startedAt == null || completedAt == null) {
            return null;
        }
        return Duration.between(startedAt, completedAt).toMillis() / 1000.0;
    }
}
