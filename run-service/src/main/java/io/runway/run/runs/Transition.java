package io.runway.run.runs;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Everything one engine decision changes, written in one transaction: steps that ended (or were skipped), steps that
 * start, and, when nothing is left to do, the end of the run.
 *
 * @param end the run's final state, or null while it goes on
 * @param finishedSteps how many of the run's steps are finished once this transition is written
 * @param totalSteps how many steps the run has
 * @param traceparent the run's trace, which the events this transition appends carry; or null
 */
public record Transition(
        List<StepFinish> finishes,
        List<String> starts,
        RunStatus end,
        JsonNode endError,
        int finishedSteps,
        int totalSteps,
        String traceparent) {

    public Transition(
            List<StepFinish> finishes,
            List<String> starts,
            RunStatus end,
            JsonNode endError,
            int finishedSteps,
            int totalSteps) {
        this(finishes, starts, end, endError, finishedSteps, totalSteps, null);
    }

    public boolean isEmpty() {
        return finishes.isEmpty() && starts.isEmpty() && end == null;
    }

    /** The run's progress once this transition is written. */
    public int progress() {
        return percent(finishedSteps);
    }

    /** The progress when {@code finished} steps are finished. */
    int percent(int finished) {
        return totalSteps == 0 ? 100 : finished * 100 / totalSteps;
    }
}
