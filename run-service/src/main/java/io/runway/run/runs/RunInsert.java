package io.runway.run.runs;

import io.runway.run.automation.StepDefinition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A run to insert with its steps: pending, or already running under {@code owner}'s lease when an owner is given.
 *
 * @param owner the lease owner, or null to insert the run pending
 * @param leaseExpires the lease end, when an owner is given
 * @param versionMustBeCurrent insert only while the run's automation version is still the automation's current one
 */
record RunInsert(
        NewRun run, List<StepDefinition> steps, String owner, Instant leaseExpires, boolean versionMustBeCurrent) {

    boolean running() {
        return owner != null;
    }

    /** When the run is created, as PostgreSQL stores it (microseconds). */
    Instant createdAt() {
        return run.now().truncatedTo(ChronoUnit.MICROS);
    }

    Instant leaseExpiresAt() {
        return leaseExpires == null ? null : leaseExpires.truncatedTo(ChronoUnit.MICROS);
    }

    /** The run as this insert writes it. */
    Run inserted() {
        var created = createdAt();
        return new Run(
                run.id(),
                run.tenantId(),
                run.automationId(),
                run.automationVersionId(),
                run.versionNumber(),
                running() ? RunStatus.RUNNING : RunStatus.PENDING,
                run.triggerType(),
                "user",
                run.triggerSourceId(),
                run.skipScheduleNode(),
                run.concurrencyKey(),
                run.idempotencyKey(),
                0,
                null,
                owner,
                leaseExpiresAt(),
                null,
                null,
                created,
                created,
                running() ? created : null,
                null,
                run.traceparent());
    }

    /** The events the insert appends: queued, and running when it starts at once. */
    List<RunEvent> events() {
        var queued = RunEvent.run(RunStatus.PENDING, "Queued");
        return running() ? List.of(queued, RunEvent.run(RunStatus.RUNNING, "Running")) : List.of(queued);
    }
}
