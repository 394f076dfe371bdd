package io.runway.gateway.ratelimit;

/**
 * The answer of the limiter for one request; {@code known} is false when Redis could not be asked (fail open).
 *
 * @param known whether the numbers come from Redis
 * @param admitted whether the request may go on
 * @param limit the rule's limit
 * @param remaining requests left in the current window
 * @param resetMillis until the oldest counted request leaves the window
 * @param retryAfterMillis until a refused request would be admitted
 * @param granted permits Redis granted to this call (more than one for a lease)
 */
record RateLimitDecision(
        boolean known,
        boolean admitted,
        long limit,
        long remaining,
        long resetMillis,
        long retryAfterMillis,
        long granted) {

    RateLimitDecision(
            boolean known, boolean admitted, long limit, long remaining, long resetMillis, long retryAfterMillis) {
        this(known, admitted, limit, remaining, resetMillis, retryAfterMillis, admitted ? 1 : 0);
    }

    static RateLimitDecision unknown() {
        return new RateLimitDecision(false, true, 0, 0, 0, 0);
    }
}
