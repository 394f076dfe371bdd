package io.runway.run.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * What a start request fixes about a run before it is inserted as pending.
 *
 * @param traceparent the start request's W3C trace context, which the run's engine work and events continue; or null
 */
public record NewRun(
        UUID id,
        String tenantId,
        UUID automationId,
        UUID automationVersionId,
        int versionNumber,
        TriggerType triggerType,
        String triggerSourceId,
        boolean skipScheduleNode,
        String concurrencyKey,
        String idempotencyKey,
        Instant now,
        String traceparent) {}
