package io.runway.assign;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline (no fixed sleeps in tests). */
public final class Polling {

    private Polling() {}

    public static long await(Duration timeout, BooleanSupplier condition, Runnable betweenPolls) {
        var start = System.nanoTime();
        var deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            betweenPolls.run();
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
