package io.runway.run.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runway.common.error.InvalidInputException;
import io.runway.run.runs.RunStep;
import io.runway.run.runs.StepStatus;
import io.runway.run.runs.TestSteps;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RetryPlannerTests {

    private static final UUID RUN = UUID.randomUUID();

    private static RunStep step(String key, StepStatus status, String... dependsOn) {
        return TestSteps.step(RUN, key, "log", status, dependsOn);
    }

    /** a → b → d, a → c; b failed, so d never ran. */
    private static final List<RunStep> STEPS = List.of(
            step("a", StepStatus.SUCCESS),
            step("b", StepStatus.FAILED, "a"),
            step("c", StepStatus.SUCCESS, "a"),
            step("d", StepStatus.PENDING, "b"));

    @Test
    void fullResetsEveryStep() {
        assertThat(RetryPlanner.stepsToReset(STEPS, RetryMode.FULL, null))
                .containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void fromFailedResetsFailedCanceledAndPendingStepsWithWhatDependsOnThem() {
        assertThat(RetryPlanner.stepsToReset(STEPS, RetryMode.FROM_FAILED, null))
                .containsExactlyInAnyOrder("b", "d");
    }

    @Test
    void fromStepResetsTheStepAndEverythingDownstream() {
        assertThat(RetryPlanner.stepsToReset(STEPS, RetryMode.FROM_STEP, "a"))
                .containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(RetryPlanner.stepsToReset(STEPS, RetryMode.FROM_STEP, "c")).containsExactly("c");
    }

    @Test
    void fromFailedOfASuccessfulRunResetsNothing() {
        var done = List.of(step("a", StepStatus.SUCCESS), step("b", StepStatus.SKIPPED, "a"));
        assertThat(RetryPlanner.stepsToReset(done, RetryMode.FROM_FAILED, null)).isEmpty();
    }

    @Test
    void fromStepWithoutAKnownStepIsInvalidInput() {
        assertThatThrownBy(() -> RetryPlanner.stepsToReset(STEPS, RetryMode.FROM_STEP, " "))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("stepKey: stepKey is required when mode is from_step");
        assertThatThrownBy(() -> RetryPlanner.stepsToReset(STEPS, RetryMode.FROM_STEP, "zz"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("stepKey: Run has no step 'zz'");
    }
}
