package io.runway.run.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunEventLogTests {

    private static Transition finishing(int finishedSteps, int totalSteps, RunStatus end) {
        return new Transition(List.of(), List.of(), end, null, finishedSteps, totalSteps);
    }

    @Test
    void eventsCommittedTogetherRiseOneStepEndAtATime() {
        var events = List.of(
                RunEvent.step("a", StepStatus.SUCCESS, "done"),
                RunEvent.step("b", StepStatus.FAILED, "failed"),
                RunEvent.step("c", StepStatus.RUNNING, "Step started"));
        assertThat(RunEventLog.progressOfEach(events, finishing(2, 4, null), 0, 50))
                .containsExactly(25, 50, 50);
    }

    @Test
    void aStartingStepShowsTheProgressBeforeIt() {
        var events = List.of(RunEvent.step("c", StepStatus.RUNNING, "Step started"));
        assertThat(RunEventLog.progressOfEach(events, finishing(2, 4, null), 50, 50))
                .containsExactly(50);
    }

    @Test
    void theRunsEndCarriesTheFinalProgress() {
        var events = List.of(RunEvent.step("d", StepStatus.SUCCESS, "done"), RunEvent.run(RunStatus.SUCCESS, "Done"));
        assertThat(RunEventLog.progressOfEach(events, finishing(4, 4, RunStatus.SUCCESS), 75, 100))
                .containsExactly(100, 100);
    }

    @Test
    void progressNeverFallsBelowWhatTheRunAlreadyShowed() {
        var events = List.of(RunEvent.step("b", StepStatus.SKIPPED, "skipped"));
        assertThat(RunEventLog.progressOfEach(events, finishing(1, 4, null), 60, 60))
                .containsExactly(60);
    }
}
