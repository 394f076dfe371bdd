package io.runway.gateway.warmup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Self-warming before readiness: synthetic requests of the three caller shapes through the real filter chain, to a
 * throwaway upstream on loopback, so the JIT compiles the hot paths before the first caller waits on them.
 *
 * @param enabled whether the gateway warms itself up after start; readiness stays DOWN until it has
 * @param duration how long the synthetic load runs at most
 * @param concurrency requests in flight at once
 */
@ConfigurationProperties("app.warm-up")
public record WarmUpProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30s") Duration duration,
        @DefaultValue("16") int concurrency) {

    public WarmUpProperties {
        if (duration.isNegative()
                || duration.compareTo(Duration.ofMinutes(5)) > 0
                || concurrency < 1
                || concurrency > 256) {
            throw new IllegalStateException("app.warm-up: duration 0 to 5 min, concurrency 1 to 256");
        }
    }
}
