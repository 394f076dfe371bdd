package io.runway.run.app;

import io.runway.run.runs.TriggerType;

/**
 * How a run is started.
 *
 * @param concurrencyKey at most one run per key runs at a time (null: no limit)
 * @param onConflict what happens when a run holds the key: {@code queue} (wait pending), {@code reject} (409) or
 *     {@code cancel_running} (cancel the running one)
 * @param idempotencyKey the same key always returns the same run (null: none)
 */
public record StartOptions(
        boolean skipScheduleNode,
        TriggerType triggerType,
        String concurrencyKey,
        String onConflict,
        String idempotencyKey) {

    public static final String QUEUE = "queue";
    public static final String REJECT = "reject";
    public static final String CANCEL_RUNNING = "cancel_running";
}
