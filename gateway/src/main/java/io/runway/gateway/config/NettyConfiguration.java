package io.runway.gateway.config;

import io.netty.channel.ChannelOption;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Socket options for a proxy: a proxied exchange is written in several small segments (headers, then body), which
 * Nagle's algorithm would hold back until the peer's delayed acknowledgement, adding tens of milliseconds.
 */
@Configuration(proxyBeanMethods = false)
class NettyConfiguration {

    @Bean
    HttpClientCustomizer noDelayTowardsServices() {
        return client -> client.option(ChannelOption.TCP_NODELAY, true);
    }

    @Bean
    NettyServerCustomizer noDelayTowardsCallers() {
        return server -> server.childOption(ChannelOption.TCP_NODELAY, true);
    }
}
