package io.runway.run.engine.steps;

import io.runway.run.automation.StepDefinition;
import io.runway.run.engine.StepContext;
import io.runway.run.engine.StepOutcome;
import io.runway.run.engine.StepType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code condition}: tests an earlier step's result, {@code {"if": {"step", "path", "op", "value"}, "then": [...],
 * "else": [...]}}, and skips the branch not taken. {@code path} is a JSON Pointer into that result; {@code op} is one of
 * {@code eq ne gt gte lt lte exists}. The decision id is the branch taken, {@code then} or {@code else}.
 */
@Component
final class ConditionStep implements StepType {

    private static final List<String> OPS = List.of("eq", "ne", "gt", "gte", "lt", "lte", "exists");

    @Override
    public String name() {
        return "condition";
    }

    @Override
    public List<String> validate(StepDefinition step, Map<String, StepDefinition> all) {
        var problems = new ArrayList<String>();
        var test = step.config().path("if");
        if (!test.isObject()) {
            return List.of("config.if must be an object {step, path, op, value}");
        }
        var source = test.path("step").asString("");
        if (!step.dependsOn().contains(source)) {
            problems.add("config.if.step must name one of this step's dependencies");
        }
        var path = test.path("path");
        if (!path.isMissingNode()
                && (!path.isString()
                        || !(path.asString().isEmpty() || path.asString().startsWith("/")))) {
            problems.add("config.if.path must be a JSON Pointer such as /status");
        }
        if (!OPS.contains(test.path("op").asString("eq"))) {
            problems.add("config.if.op must be one of " + String.join(", ", OPS));
        }
        for (var branch : List.of("then", "else")) {
            for (var target : step.config().path(branch)) {
                var dependent = all.get(target.asString(""));
                if (dependent == null || !dependent.dependsOn().contains(step.key())) {
                    problems.add("config." + branch + " entry '" + target.asString("")
                            + "' must be a step that depends on '" + step.key() + "'");
                }
            }
        }
        return problems;
    }

    @Override
    public Mono<StepOutcome> execute(StepContext context) {
        return Mono.fromSupplier(() -> immediate(context).orElseThrow());
    }

    @Override
    public Optional<StepOutcome> immediate(StepContext context) {
        var config = context.config();
        var test = config.path("if");
        var source = context.results().get(test.path("step").asString());
        var actual = source == null
                ? JsonNodeFactory.instance.missingNode()
                : source.at(test.path("path").asString(""));
        var taken = holds(test.path("op").asString("eq"), actual, test.path("value")) ? "then" : "else";
        var prune = new HashSet<String>();
        config.path(taken.equals("then") ? "else" : "then").forEach(key -> prune.add(key.asString()));
        var result = JsonNodeFactory.instance.objectNode().put("decision", taken);
        result.set("value", actual.isMissingNode() ? JsonNodeFactory.instance.nullNode() : actual);
        return Optional.of(StepOutcome.decision(result, taken, Set.copyOf(prune)));
    }

    private static boolean holds(String op, JsonNode actual, JsonNode expected) {
        if (op.equals("exists")) {
            return !actual.isMissingNode() && !actual.isNull();
        }
        int comparison = compare(actual, expected);
        return switch (op) {
            case "eq" -> comparison == 0;
            case "ne" -> comparison != 0;
            case "gt" -> comparison != Integer.MIN_VALUE && comparison > 0;
            case "gte" -> comparison != Integer.MIN_VALUE && comparison >= 0;
            case "lt" -> comparison != Integer.MIN_VALUE && comparison < 0;
            case "lte" -> comparison != Integer.MIN_VALUE && comparison <= 0;
            default -> false;
        };
    }

    /** Numbers compare by value, strings lexically; anything else only by equality (MIN_VALUE = not ordered). */
    private static int compare(JsonNode actual, JsonNode expected) {
        if (actual.isNumber() && expected.isNumber()) {
            return actual.decimalValue().compareTo(expected.decimalValue());
        }
        if (actual.isString() && expected.isString()) {
            return actual.asString().compareTo(expected.asString());
        }
        return actual.equals(expected) ? 0 : Integer.MIN_VALUE;
    }
}
