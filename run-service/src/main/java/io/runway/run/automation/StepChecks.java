package io.runway.run.automation;

import java.util.List;
import java.util.Map;

/** The step types an automation may use and the check of each step's config; the engine provides them. */
public interface StepChecks {

    boolean knows(String type);

    /** The known type names, sorted. */
    List<String> names();

    /** What is wrong with the step's config (empty when nothing is, or when its type is unknown). */
    List<String> problems(StepDefinition step, Map<String, StepDefinition> all);
}
