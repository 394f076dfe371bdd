package io.runway.run.runs;

import java.util.List;

/** A run and its steps in DAG order. */
public record RunWithSteps(Run run, List<RunStep> steps) {

    public long count(StepStatus status) {
        return steps.stream().filter(step -> step.status() == status).count();
    }
}
