package io.runway.run.runs;

import java.util.List;
import java.util.Locale;

/** What started a run; both faces use these names ({@code triggeredBy} / {@code triggerType}). */
public enum TriggerType {
    MANUAL,
    SCHEDULE,
    API;

    public static final List<String> NAMES = List.of("manual", "schedule", "api");

    public String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TriggerType fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
