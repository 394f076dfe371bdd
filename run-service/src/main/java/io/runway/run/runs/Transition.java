package io.runway.run.runs;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Everything one engine decision changes, written in one transaction: steps that ended (or were skipped), steps that
 * start, and, when nothing is left to do, the end of the run.
 *
 * @param end the run's final state, or null while it goes on
 */
public record Transition(
        List<StepFinish> finishes, List<String> starts, RunStatus end, JsonNode endError, int progress) {

    public boolean isEmpty() {
        return finishes.isEmpty() && starts.isEmpty() && end == null;
    }
}
