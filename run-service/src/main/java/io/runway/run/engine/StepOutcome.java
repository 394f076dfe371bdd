package io.runway.run.engine;

import io.runway.run.runs.StepStatus;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * How a step ended.
 *
 * @param prune steps of the branch a condition did not take: they end skipped
 */
public record StepOutcome(
        StepStatus status,
        JsonNode result,
        boolean resultTruncated,
        JsonNode error,
        String decisionId,
        Set<String> prune) {

    public static StepOutcome success(JsonNode result) {
        return new StepOutcome(StepStatus.SUCCESS, result, false, null, null, Set.of());
    }

    public static StepOutcome success(JsonNode result, boolean truncated) {
        return new StepOutcome(StepStatus.SUCCESS, result, truncated, null, null, Set.of());
    }

    public static StepOutcome decision(JsonNode result, String decisionId, Set<String> prune) {
        return new StepOutcome(StepStatus.SUCCESS, result, false, null, decisionId, Set.copyOf(prune));
    }

    public static StepOutcome skipped(String reason) {
        var result = JsonNodeFactory.instance.objectNode().put("reason", reason);
        return new StepOutcome(StepStatus.SKIPPED, result, false, null, null, Set.of());
    }

    public static StepOutcome failed(JsonNode error, JsonNode result, boolean truncated) {
        return new StepOutcome(StepStatus.FAILED, result, truncated, error, null, Set.of());
    }

    public static StepOutcome failed(String code, String message) {
        var error = JsonNodeFactory.instance.objectNode().put("code", code).put("message", message);
        return new StepOutcome(StepStatus.FAILED, null, false, error, null, Set.of());
    }
}
