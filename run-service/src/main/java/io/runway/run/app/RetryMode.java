package io.runway.run.app;

import java.util.List;

/** Which steps a retry runs again (seed 003: {@code from_failed}, {@code from_step}, {@code full}). */
public enum RetryMode {
    FROM_FAILED,
    FROM_STEP,
    FULL;

    public static final List<String> NAMES = List.of("from_failed", "from_step", "full");

    public static RetryMode of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
