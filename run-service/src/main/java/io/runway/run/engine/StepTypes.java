package io.runway.run.engine;

import io.runway.run.automation.StepChecks;
import io.runway.run.automation.StepDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The registry of step types: every {@link StepType} bean, by name. */
@Component
public class StepTypes implements StepChecks {

    private final Map<String, StepType> types = new TreeMap<>();

    public StepTypes(List<StepType> all) {
        all.forEach(type -> types.put(type.name(), type));
    }

    public Optional<StepType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    @Override
    public boolean knows(String type) {
        return types.containsKey(type);
    }

    @Override
    public List<String> problems(StepDefinition step, Map<String, StepDefinition> all) {
        var type = types.get(step.type());
        return type == null ? List.of() : type.validate(step, all);
    }

    @Override
    public List<String> names() {
        return List.copyOf(types.keySet());
    }
}
