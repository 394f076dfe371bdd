package io.runway.run.automation;

import io.runway.common.error.InvalidInputException;
import io.runway.common.error.ValidationErrorBody.Detail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Turns a create/update body into a draft, or refuses it naming the offending step: keys unique and well-formed, types
 * known, configs valid for their type, dependencies existing, and no cycles.
 */
@Component
class AutomationParser {

    static final int MAX_STEPS = 200;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final StepChecks types;

    AutomationParser(StepChecks types) {
        this.types = types;
    }

    AutomationDraft parse(JsonNode body) {
        var problems = new ArrayList<Detail>();
        if (body == null || !body.isObject()) {
            throw InvalidInputException.of(List.of("body"), "Input should be a valid object", "model_type");
        }
        var name = body.path("name");
        if (!name.isString() || name.asString().isBlank() || name.asString().length() > 200) {
            problems.add(detail(
                    List.of("body", "name"),
                    "name must be a non-empty string of at most 200 characters",
                    "string_type"));
        }
        var stepsNode = body.path("steps");
        if (!stepsNode.isArray() || stepsNode.isEmpty() || stepsNode.size() > MAX_STEPS) {
            problems.add(detail(
                    List.of("body", "steps"), "steps must be a list of 1 to " + MAX_STEPS + " steps", "list_type"));
            throw new InvalidInputException(problems);
        }
        var steps = new LinkedHashMap<String, StepDefinition>();
        var positions = new HashMap<String, Integer>();
        for (int i = 0; i < stepsNode.size(); i++) {
            var step = parseStep(stepsNode.get(i), i, problems);
            if (step == null) {
                continue;
            }
            if (steps.containsKey(step.key())) {
                problems.add(detail(loc(i, "key"), "duplicate step key '" + step.key() + "'", "value_error"));
                continue;
            }
            steps.put(step.key(), step);
            positions.put(step.key(), i);
        }
        for (var step : steps.values()) {
            int i = positions.get(step.key());
            for (var dep : step.dependsOn()) {
                if (!steps.containsKey(dep)) {
                    problems.add(detail(
                            loc(i, "dependsOn"),
                            "step '" + step.key() + "' depends on unknown step '" + dep + "'",
                            "value_error"));
                }
            }
            types.problems(step, steps)
                    .forEach(msg ->
                            problems.add(detail(loc(i, "config"), "step '" + step.key() + "': " + msg, "value_error")));
        }
        if (problems.isEmpty()) {
            var cycle = findCycle(steps);
            if (!cycle.isEmpty()) {
                problems.add(detail(
                        loc(positions.get(cycle.get(0)), "dependsOn"),
                        "steps form a cycle: " + String.join(" -> ", cycle),
                        "value_error"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new AutomationDraft(name.asString().trim(), List.copyOf(steps.values()));
    }

    private StepDefinition parseStep(JsonNode node, int i, List<Detail> problems) {
        if (!node.isObject()) {
            problems.add(detail(loc(i), "step must be an object", "model_type"));
            return null;
        }
        var key = node.path("key");
        if (!key.isString() || !KEY.matcher(key.asString()).matches()) {
            problems.add(
                    detail(loc(i, "key"), "key must be 1-64 letters, digits, '_' or '-'", "string_pattern_mismatch"));
            return null;
        }
        var type = node.path("type").asString("");
        if (!node.path("type").isString() || !types.knows(type)) {
            problems.add(detail(
                    loc(i, "type"),
                    "step '" + key.asString() + "' has unknown type '" + type + "'; known: "
                            + String.join(", ", types.names()),
                    "enum"));
        }
        var deps = new ArrayList<String>();
        var depsNode = node.path("dependsOn");
        if (!depsNode.isMissingNode() && !depsNode.isNull()) {
            if (!depsNode.isArray()) {
                problems.add(detail(loc(i, "dependsOn"), "dependsOn must be a list of step keys", "list_type"));
            } else {
                for (var dep : depsNode) {
                    if (!dep.isString()) {
                        problems.add(detail(loc(i, "dependsOn"), "dependsOn must be a list of step keys", "list_type"));
                    } else if (!deps.contains(dep.asString())) {
                        deps.add(dep.asString());
                    }
                }
            }
        }
        var config = node.path("config");
        if (config.isMissingNode() || config.isNull()) {
            config = JsonNodeFactory.instance.objectNode();
        } else if (!config.isObject()) {
            problems.add(detail(loc(i, "config"), "config must be an object", "dict_type"));
            config = JsonNodeFactory.instance.objectNode();
        }
        var nameNode = node.path("name");
        var name = key.asString();
        if (nameNode.isString()
                && !nameNode.asString().isBlank()
                && nameNode.asString().length() <= 200) {
            name = nameNode.asString();
        } else if (!nameNode.isMissingNode() && !nameNode.isNull()) {
            problems.add(
                    detail(loc(i, "name"), "name must be a non-empty string of at most 200 characters", "string_type"));
        }
        return new StepDefinition(key.asString(), name, type, List.copyOf(deps), config);
    }

    /** A dependency cycle as a list of keys (first key repeated at the end), or empty. */
    static List<String> findCycle(Map<String, StepDefinition> steps) {
        var state = new HashMap<String, Integer>();
        for (var key : steps.keySet()) {
            var path = new ArrayList<String>();
            if (visit(key, steps, state, path)) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean visit(
            String key, Map<String, StepDefinition> steps, Map<String, Integer> state, List<String> path) {
        var seen = state.getOrDefault(key, 0);
        if (seen == 2) {
            return false;
        }
        path.add(key);
        if (seen == 1) {
            var start = path.indexOf(key);
            var cycle = new ArrayList<>(path.subList(start, path.size()));
            path.clear();
            path.addAll(cycle);
            return true;
        }
        state.put(key, 1);
        for (var dep : new HashSet<>(steps.get(key).dependsOn())) {
            if (steps.containsKey(dep) && visit(dep, steps, state, path)) {
                return true;
            }
        }
        state.put(key, 2);
        path.remove(path.size() - 1);
        return false;
    }

    private static List<Object> loc(int index, String... rest) {
        var loc = new ArrayList<Object>(List.of("body", "steps", index));
        loc.addAll(List.of(rest));
        return loc;
    }

    private static Detail detail(List<Object> loc, String msg, String type) {
        return new Detail(loc, msg, type);
    }
}
