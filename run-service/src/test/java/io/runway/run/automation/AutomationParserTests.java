package io.runway.run.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class AutomationParserTests {

    private static StepDefinition step(String key, String... deps) {
        return new StepDefinition(key, key, "log", List.of(deps), JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aDagHasNoCycle() {
        var steps = new LinkedHashMap<String, StepDefinition>();
        for (var s : List.of(step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c"))) {
            steps.put(s.key(), s);
        }
        assertThat(AutomationParser.findCycle(steps)).isEmpty();
    }

    @Test
    void aCycleIsReportedWithItsSteps() {
        var steps = new LinkedHashMap<String, StepDefinition>();
        for (var s : List.of(step("a", "c"), step("b", "a"), step("c", "b"), step("x"))) {
            steps.put(s.key(), s);
        }
        assertThat(AutomationParser.findCycle(steps)).containsExactly("a", "c", "b", "a");
    }

    @Test
    void aStepDependingOnItselfIsACycle() {
        var steps = new LinkedHashMap<String, StepDefinition>();
        steps.put("a", step("a", "a"));
        assertThat(AutomationParser.findCycle(steps)).containsExactly("a", "a");
    }
}
