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
 * @param rules the limits
 */
@ConfigurationProperties("app.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("60") int bucketsPerWindow,
        @DefaultValue("250ms") Duration redisTimeout,
        @DefaultValue List<Rule> rules) {

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
