package io.runway.gateway.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.runway.gateway.ratelimit.RateLimitProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Redis client settings for a gateway that must keep serving while Redis is away. */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

    /**
     * While disconnected, Lettuce fails commands at once instead of queueing them until reconnection: the rate limiter
     * then fails open immediately rather than waiting for its timeout on every request.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return builder -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled());
    }

    /**
     * Every Redis command times out after the rate limiter's budget ({@code app.rate-limit.redis-timeout}), enforced by
     * Lettuce's timer wheel: a Reactor {@code timeout} per call scheduled and cancelled a task on another thread for
     * every request.
     */
    @Bean
    LettuceClientConfigurationBuilderCustomizer commandTimeoutOfTheRateLimiter(RateLimitProperties rateLimits) {
        return builder -> builder.commandTimeout(rateLimits.redisTimeout());
    }
}
