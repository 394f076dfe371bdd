package io.runway.run.runs;

/**
 * One entry for the append-only {@code run_events} log: a run or step state change.
 *
 * @param type {@code run} or {@code step}
 * @param stepKey the step, for step events
 * @param status the new engine state (lower-case engine name)
 * @param message a short human text
 */
public record RunEvent(String type, String stepKey, String status, String message) {

    public static RunEvent run(RunStatus status, String message) {
        return new RunEvent("run", null, status.db(), message);
    }

    public static RunEvent step(String key, StepStatus status, String message) {
        return new RunEvent("step", key, status.db(), message);
    }
}
