package io.runway.run.runs;

import io.runway.common.id.UuidV7;
import java.time.Clock;
import java.util.UUID;

/** Runs as the start path would make them, for tests that write through the run store directly. */
final class TestRuns {

    private TestRuns() {}

    /** A run started through the API by user {@code u1} on version 1 of the automation. */
    static NewRun started(Clock clock, String tenant, UUID automationId, UUID versionId) {
        return new NewRun(
                UuidV7.next(clock),
                tenant,
                automationId,
                versionId,
                1,
                TriggerType.API,
                "u1",
                true,
                null,
                null,
                clock.instant(),
                null);
    }
}
