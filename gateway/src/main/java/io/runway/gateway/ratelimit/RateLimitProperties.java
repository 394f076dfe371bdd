package io.runway.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Per-principal rate limits, evaluated in Redis; the first rule that matches a request applies.
 *
 * @param enabled whether limits are enforced at all
 * @param bucketsPerWindow how finely a window is cut (more buckets: closer to an exact sliding log, more Redis work)
 * @param redisTimeout longest wait for Redis before the request is let through (fail open)
 * @param lease how many permits one Redis call takes for a principal (one for low limits)
 * @param rules the limits
 * @param loopLocalRedis whether the script runs over Redis connections on the HTTP server's own event loops (no
 *     thread hand-over per call); {@code false}: through Spring Data Redis's shared connection
 */
@ConfigurationProperties("app.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("60") int bucketsPerWindow,
        @DefaultValue("250ms") Duration redisTimeout,
        @DefaultValue Lease lease,
        @DefaultValue List<Rule> rules,
        @DefaultValue("true") boolean loopLocalRedis) {

    /**
     * A rule's permits are taken from Redis in batches of {@code limit / divisor} (at least one, at most {@code max})
     * and handed out locally until the bucket that counted them ends, so a principal busy on a high limit costs one
     * Redis call per batch instead of one per request. Limits under {@code 2 × divisor} (the SocialKing ones) take one
     * permit per call: one Redis decision per request.
     *
     * @param divisor the share of a rule's limit one lease takes (100: 1 %)
     * @param max the most permits one lease takes
     */
    public record Lease(@DefaultValue("100") int divisor, @DefaultValue("1000") int max) {

        public Lease {
            if (divisor < 1 || max < 1) {
                throw new IllegalStateException("app.rate-limit.lease: divisor and max must be at least 1");
            }
        }

        int permitsFor(Rule rule) {
            return (int) Math.max(1, Math.min(max, rule.limit() / divisor));
        }
    }

    /**
     * One limit.
     *
     * @param name stable name, part of the Redis key and of metric tags
     * @param routes route ids it applies to (empty: any)
     * @param methods HTTP methods it applies to (empty: any)
     * @param paths path patterns it applies to (empty: any)
     * @param limit requests admitted per principal in any window
     * @param window the window length
     */
    public record Rule(
            String name,
            @DefaultValue List<String> routes,
            @DefaultValue List<String> methods,
            @DefaultValue List<String> paths,
            int limit,
            @DefaultValue("1m") Duration window) {

        public Rule {
            if (name == null || name.isBlank() || limit < 1 || window.toMillis() < 1) {
                throw new IllegalStateException(
                        "app.rate-limit.rules: every rule needs a name, a limit >= 1 and a window");
            }
        }
    }
}
