package io.runway.run.runs;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;

/** Stored steps as the engine and the retry planner read them, for unit tests. */
public final class TestSteps {

    private TestSteps() {}

    /** A step of the run in its first attempt, with an empty config and nothing recorded yet. */
    public static RunStep step(UUID runId, String key, String type, StepStatus status, String... dependsOn) {
        return new RunStep(
                UUID.randomUUID(),
                runId,
                0,
                key,
                key,
                type,
                List.of(dependsOn),
                JsonNodeFactory.instance.objectNode(),
                status,
                1,
                null,
                false,
                null,
                null,
                null,
                null);
    }
}
