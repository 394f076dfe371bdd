package io.runway.run.runs;

import tools.jackson.databind.JsonNode;

/**
 * The end state of one step as the engine records it.
 *
 * @param startedNow the step started and ended within this decision (its start is recorded too)
 */
public record StepFinish(
        String key,
        StepStatus status,
        JsonNode result,
        boolean resultTruncated,
        JsonNode error,
        String decisionId,
        String message,
        boolean startedNow) {}
