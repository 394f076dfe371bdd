package io.runway.gateway.ratelimit;

/**
 * Permits of one leased rule for one principal that this instance took from Redis and hands out without asking
 * again, until they run out or their lease ends. They were counted in Redis when leased, so every instance together
 * never admits more than Redis granted; unused permits are lost when the lease ends.
 */
final class LocalAllowance {

    private long left;
    private long expiresAt;
    private long remainingInRedis;
    private long resetAt;

    /** One permit from the allowance with the numbers for the response headers, or {@code null} when none is left. */
    synchronized RateLimitDecision take(long now, long limit) {
        if (left <= 0 || now >= expiresAt) {
            return null;
        }
        left--;
        return new RateLimitDecision(true, true, limit, remainingInRedis + left, Math.max(0, resetAt - now), 0);
    }

    /** Keeps what a lease granted beyond the permit its own request used; returns the permits now held. */
    synchronized long add(long now, long spare, long remaining, long resetMillis, long lifetimeMillis) {
        if (now >= expiresAt) {
            left = 0;
        }
        left += spare;
        expiresAt = now + lifetimeMillis;
        remainingInRedis = remaining;
        resetAt = now + resetMillis;
        return left;
    }

    synchronized boolean expired(long now) {
        return now >= expiresAt;
    }
}
