package io.runway.run.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The registry of step types: every {@link StepType} bean, by name. */
@Component
public class StepTypes {

    private final Map<String, StepType> types = new TreeMap<>();

    public StepTypes(List<StepType> all) {
        all.forEach(type -> types.put(type.name(), type));
    }

    public Optional<StepType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public List<String> names() {
        return List.copyOf(types.keySet());
    }
}
