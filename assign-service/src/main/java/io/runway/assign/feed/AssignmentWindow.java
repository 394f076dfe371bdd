package io.runway.assign.feed;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Hand-outs seen on the event channel (every dispatcher replica's): how many per second, and the 99th percentile of
 * how long the links had waited, over a sliding window. Bounded: beyond {@link #MAX_SAMPLES} the oldest go first.
 */
final class AssignmentWindow {

    static final int MAX_SAMPLES = 100_000;

    private final Clock clock;
    private final long windowMillis;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    AssignmentWindow(Clock clock, Duration window) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
    }

    /** One link handed out; {@code waitedMs} null when the event did not say. */
    synchronized void assigned(Long waitedMs) {
        if (samples.size() >= MAX_SAMPLES) {
            samples.removeFirst();
        }
        samples.addLast(new long[] {clock.millis(), waitedMs == null ? -1 : waitedMs});
    }

    /** Hand-outs per second over the last second, and the p99 wait (ms, null when none) over the window. */
    synchronized Reading read() {
        var now = clock.millis();
        while (!samples.isEmpty() && samples.peekFirst()[0] <= now - windowMillis) {
            samples.removeFirst();
        }
        long lastSecond = 0;
        var waits = new long[samples.size()];
        int n = 0;
        for (var sample : samples) {
            if (sample[0] > now - 1000) {
                lastSecond++;
            }
            if (sample[1] >= 0) {
                waits[n++] = sample[1];
            }
        }
        if (n == 0) {
            return new Reading(lastSecond, null);
        }
        Arrays.sort(waits, 0, n);
        return new Reading(lastSecond, waits[(int) Math.ceil(0.99 * n) - 1]);
    }

    record Reading(long perSecond, Long p99Millis) {}
}
