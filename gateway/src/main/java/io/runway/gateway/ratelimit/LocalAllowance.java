package io.runway.gateway.ratelimit;

/**
 * What this instance knows of one principal's standing on one rule without asking Redis again: permits it leased
 * (counted in Redis when leased, so all instances together never admit more than Redis granted), usable only until
 * the Redis bucket that counted them ends; or a refusal, which Redis would repeat until its retry time. Times are
 * {@link System#nanoTime()} readings; a deadline is measured from when the call was sent, less the millisecond Redis's
 * clock is truncated to, so it never lies later than the moment Redis meant.
 */
final class LocalAllowance {

    private long bucket = Long.MIN_VALUE;
    private long left;
    private long usableUntil;
    private long remainingInRedis;
    private long resetAt;
    private long refusedUntil;
    private boolean refused;

    /**
     * One permit, or the refusal still in force, with the numbers for the response headers; {@code null} when Redis
     * must be asked.
     */
    synchronized RateLimitDecision take(long now, long limit) {
        if (refused) {
            if (now - refusedUntil < 0) {
                return new RateLimitDecision(
                        true, false, limit, 0, millisUntil(resetAt, now), millisUntil(refusedUntil, now) + 1);
            }
            refused = false;
        }
        if (left <= 0 || now - usableUntil >= 0) {
            return null;
        }
        left--;
        return new RateLimitDecision(true, true, limit, remainingInRedis + left, millisUntil(resetAt, now), 0);
    }

    /**
     * The permits of an ended lease that were never used, handed back once so that Redis stops counting them; {@code
     * null} when there are none.
     */
    synchronized Unused giveUp(long now) {
        if (left <= 0 || now - usableUntil < 0) {
            return null;
        }
        var unused = new Unused(bucket, left);
        left = 0;
        return unused;
    }

    /**
     * Keeps what one script call answered: the permits it granted beyond the one its own request used, or its
     * refusal. {@code sentAt} is when the call was sent, {@code bucketLeftMillis} how long Redis said the counting
     * bucket still lasts.
     */
    synchronized void keep(RateLimitDecision decision, long sentAt, long bucket, long bucketLeftMillis) {
        if (!decision.admitted()) {
            refused = true;
            refusedUntil = sentAt + millis(decision.retryAfterMillis() - 1);
            resetAt = sentAt + millis(decision.resetMillis());
            return;
        }
        long spare = decision.granted() - 1;
        if (spare <= 0 || bucket < this.bucket) {
            return;
        }
        if (bucket > this.bucket) {
            this.bucket = bucket;
            left = 0;
        }
        left += spare;
        usableUntil = sentAt + millis(bucketLeftMillis - 1);
        remainingInRedis = decision.remaining() - spare;
        resetAt = sentAt + millis(decision.resetMillis());
    }

    synchronized boolean expired(long now) {
        return (!refused || now - refusedUntil >= 0) && (left <= 0 || now - usableUntil >= 0);
    }

    /** Permits counted in this bucket that this instance will never use. */
    record Unused(long bucket, long permits) {}

    private static long millis(long millis) {
        return millis * 1_000_000;
    }

    private static long millisUntil(long deadline, long now) {
        return Math.max(0, (deadline - now) / 1_000_000);
    }
}
