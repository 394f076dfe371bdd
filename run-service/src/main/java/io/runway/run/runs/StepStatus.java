package io.runway.run.runs;

import java.util.Locale;

/** The engine's step states, stored as their lower-case names. */
public enum StepStatus {
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELED,
    SKIPPED;

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the step counts as finished for progress. */
    public boolean isFinished() {
        return this != PENDING && this != RUNNING;
    }

    public static StepStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
