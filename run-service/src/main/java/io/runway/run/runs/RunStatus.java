package io.runway.run.runs;

import java.util.Locale;

/** The engine's run states, stored as their lower-case names; the faces rename them through {@link StatusNames}. */
public enum RunStatus {
    PENDING,
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELED;

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isActive() {
        return this == PENDING || this == RUNNING;
    }

    public static RunStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
