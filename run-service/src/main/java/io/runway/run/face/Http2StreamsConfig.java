package io.runway.run.face;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.annotation.Validated;

/**
 * How many event streams one HTTP/2 connection from a gateway carries (with {@code server.http2.enabled}): Reactor
 * Netty's default of 100 would make a gateway open a connection per hundred subscribers.
 */
@Configuration(proxyBeanMethods = false)
class Http2StreamsConfig {

    @Bean
    NettyServerCustomizer http2StreamsPerConnection(Http2StreamsProperties properties) {
        return server ->
                server.http2Settings(settings -> settings.maxConcurrentStreams(properties.maxConcurrentStreams()));
    }

    /** @param maxConcurrentStreams streams one HTTP/2 connection may have open at once */
    @Validated
    @ConfigurationProperties("app.http2")
    record Http2StreamsProperties(@Min(1) @DefaultValue("1000") long maxConcurrentStreams) {}
}
