package io.runway.common.testsupport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by checking it again until a deadline, so that tests have no fixed sleeps. */
public final class Polling {

    private static final Duration BETWEEN_POLLS = Duration.ofMillis(20);

    private Polling() {}

    public static void until(Duration timeout, BooleanSupplier condition) {
        until(timeout, condition, () -> {});
    }

    /** Waits for the condition, running {@code betweenPolls} each time it does not hold yet; answers the ms waited. */
    public static long until(Duration timeout, BooleanSupplier condition, Runnable betweenPolls) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            betweenPolls.run();
            LockSupport.parkNanos(BETWEEN_POLLS.toNanos());
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** The probe's first non-null answer. */
    public static <T> T value(Duration timeout, Supplier<T> probe) {
        var found = new Object[1];
        until(timeout, () -> (found[0] = probe.get()) != null);
        @SuppressWarnings("unchecked")
        var value = (T) found[0];
        return value;
    }
}
