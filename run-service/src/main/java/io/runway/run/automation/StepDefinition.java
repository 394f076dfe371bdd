package io.runway.run.automation;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** One node of an automation's DAG, as saved in a version and copied into each run. */
public record StepDefinition(String key, String name, String type, List<String> dependsOn, JsonNode config) {}
