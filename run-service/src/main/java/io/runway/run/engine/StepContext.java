package io.runway.run.engine;

import io.runway.run.automation.StepDefinition;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What a step sees while it runs.
 *
 * @param results results of the run's successful steps so far, by step key
 */
public record StepContext(
        UUID runId, String tenantId, boolean skipScheduleNode, StepDefinition step, Map<String, JsonNode> results) {

    public JsonNode config() {
        return step.config();
    }
}
