package io.runway.gateway;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition by retrying it until a deadline (no fixed sleeps in the tests). */
final class Polling {

    private Polling() {}

    static void until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
