package io.runway.run.automation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An automation with the steps of one of its versions (the current one unless asked otherwise). */
public record Automation(
        UUID id,
        String tenantId,
        String name,
        UUID automationVersionId,
        int versionNumber,
        List<StepDefinition> steps,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {}
