package io.runway.run.app;

import io.runway.common.error.InvalidInputException;
import io.runway.run.runs.RunStep;
import io.runway.run.runs.StepStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Which steps of a finished run a retry puts back to pending: the mode's seeds and every step downstream of them. */
final class RetryPlanner {

    private RetryPlanner() {}

    static Set<String> stepsToReset(List<RunStep> steps, RetryMode mode, String stepKey) {
        var seeds = new HashSet<String>();
        switch (mode) {
            case FULL -> steps.forEach(step -> seeds.add(step.key()));
            case FROM_STEP -> {
                if (stepKey == null || stepKey.isBlank()) {
                    throw InvalidInputException.of(
                            List.of("body", "stepKey"), "stepKey is required when mode is from_step", "missing");
                }
                if (steps.stream().noneMatch(step -> step.key().equals(stepKey))) {
                    throw InvalidInputException.of(
                            List.of("body", "stepKey"), "Run has no step '" + stepKey + "'", "value_error");
                }
                seeds.add(stepKey);
            }
            case FROM_FAILED ->
                steps.stream()
                        .filter(step -> step.status() == StepStatus.FAILED
                                || step.status() == StepStatus.CANCELED
                                || step.status() == StepStatus.PENDING)
                        .forEach(step -> seeds.add(step.key()));
        }
        return withDownstream(steps, seeds);
    }

    private static Set<String> withDownstream(List<RunStep> steps, Set<String> seeds) {
        var all = new HashSet<>(seeds);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (var step : steps) {
                if (!all.contains(step.key()) && step.dependsOn().stream().anyMatch(all::contains)) {
                    all.add(step.key());
                    grew = true;
                }
            }
        }
        return all;
    }
}
