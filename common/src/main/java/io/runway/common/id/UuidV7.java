package io.runway.common.id;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered UUIDs (RFC 9562 version 7): ids created later sort later, so cursor pages are index range scans.
 *
 * <p>Within one process the ids are strictly increasing, also inside one millisecond: the 12 bits after the
 * timestamp count ids of the same millisecond (RFC 9562 section 6.2, method 1), and a burst of more than 4,096 ids
 * in one millisecond borrows from the next. Ids from different processes in the same millisecond interleave.
 */
public final class UuidV7 {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int COUNTER_BITS = 12;
    private static final AtomicLong LAST_STAMP = new AtomicLong();

    private UuidV7() {}

    public static UUID next() {
        return next(System.currentTimeMillis());
    }

    public static UUID next(Clock clock) {
        return next(clock.millis());
    }

    private static UUID next(long epochMillis) {
        long floor = epochMillis << COUNTER_BITS;
        long stamp = LAST_STAMP.updateAndGet(last -> Math.max(last + 1, floor));
        return at(stamp >>> COUNTER_BITS, stamp & ((1 << COUNTER_BITS) - 1));
    }

    static UUID at(long epochMillis, long counter) {
        long msb = (epochMillis << 16) | 0x7000L | counter;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
