package io.runway.gateway.config;

import io.lettuce.core.ClientOptions;
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
        return builder -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }
}
