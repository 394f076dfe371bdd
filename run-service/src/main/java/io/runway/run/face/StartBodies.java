package io.runway.run.face;

import io.runway.common.error.InvalidInputException;
import io.runway.run.app.RetryMode;
import io.runway.run.app.StartOptions;
import io.runway.run.runs.TriggerType;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Reads start and retry bodies field by field, so a wrong type or value names the field instead of failing later. */
public final class StartBodies {

    private static final List<String> CONFLICT_POLICIES =
            List.of(StartOptions.QUEUE, StartOptions.REJECT, StartOptions.CANCEL_RUNNING);

    private StartBodies() {}

    public static StartOptions start(JsonNode body, String idempotencyKey) {
        if (body != null && !body.isObject() && !body.isNull() && !body.isMissingNode()) {
            throw InvalidInputException.of(List.of("body"), "Input should be a valid object", "model_type");
        }
        var skip = field(body, "skipScheduleNode");
        if (!skip.isMissingNode() && !skip.isNull() && !skip.isBoolean()) {
            throw InvalidInputException.of(
                    List.of("body", "skipScheduleNode"), "Input should be a valid boolean", "bool_type");
        }
        var concurrencyKey = optionalString(body, "concurrencyKey", 200);
        var onConflict = optionalString(body, "onConflict", 20);
        if (onConflict != null && !CONFLICT_POLICIES.contains(onConflict)) {
            throw InvalidInputException.of(
                    List.of("body", "onConflict"), "Input should be " + String.join(", ", CONFLICT_POLICIES), "enum");
        }
        var trigger = optionalString(body, "triggeredBy", 20);
        if (trigger != null && !TriggerType.NAMES.contains(trigger)) {
            throw InvalidInputException.of(
                    List.of("body", "triggeredBy"), "Input should be " + String.join(", ", TriggerType.NAMES), "enum");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw InvalidInputException.of(
                    List.of("header", "Idempotency-Key"), "Idempotency-Key must be 1 to 200 characters", "value_error");
        }
        return new StartOptions(
                skip.isBoolean() ? skip.asBoolean() : true,
                trigger == null ? TriggerType.MANUAL : TriggerType.fromDb(trigger),
                concurrencyKey,
                onConflict == null ? StartOptions.QUEUE : onConflict,
                idempotencyKey);
    }

    /** The retry mode, defaulting to {@code from_failed}. */
    public static RetryMode retryMode(JsonNode body) {
        var mode = optionalString(body, "mode", 20);
        if (mode == null) {
            return RetryMode.FROM_FAILED;
        }
        if (!RetryMode.NAMES.contains(mode)) {
            throw InvalidInputException.of(
                    List.of("body", "mode"), "Input should be " + String.join(", ", RetryMode.NAMES), "enum");
        }
        return RetryMode.of(mode);
    }

    public static String retryStepKey(JsonNode body) {
        return optionalString(body, "stepKey", 64);
    }

    private static JsonNode field(JsonNode body, String name) {
        return body == null ? tools.jackson.databind.node.MissingNode.getInstance() : body.path(name);
    }

    private static String optionalString(JsonNode body, String name, int maxLength) {
        if (body != null && !body.isObject() && !body.isNull() && !body.isMissingNode()) {
            throw InvalidInputException.of(List.of("body"), "Input should be a valid object", "model_type");
        }
        var node = field(body, name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString() || node.asString().isBlank() || node.asString().length() > maxLength) {
            throw InvalidInputException.of(
                    List.of("body", name),
                    "Input should be a string of 1 to " + maxLength + " characters",
                    "string_type");
        }
        return node.asString();
    }
}
