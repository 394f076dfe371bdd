package io.runway.run.face;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.validation.annotation.Validated;
import reactor.netty.http.server.HttpServer;

/**
 * How many event streams one HTTP/2 connection from a gateway carries (with {@code server.http2.enabled}): Reactor
 * Netty's default of 100 would make a gateway open a connection per hundred subscribers.
 */
@Configuration(proxyBeanMethods = false)
class Http2StreamsConfig {

    @Bean
    LastNettyCustomizer http2StreamsPerConnection(Http2StreamsProperties properties) {
        return new LastNettyCustomizer(server -> withMaxConcurrentStreams(server, properties.maxConcurrentStreams()));
    }

    /**
     * Adds its server customizer after Boot's own, which replaces the server's HTTP/2 settings with its header-size
     * limit; the settings already made are kept.
     */
    record LastNettyCustomizer(NettyServerCustomizer customizer)
            implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

        @Override
        public void customize(NettyReactiveWebServerFactory factory) {
            factory.addServerCustomizers(customizer);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    static HttpServer withMaxConcurrentStreams(HttpServer server, long streams) {
        // none when HTTP/2 is off (SERVER_HTTP2_ENABLED=false): Boot then sets no HTTP/2 settings
        var current = server.configuration().http2SettingsSpec();
        return server.http2Settings(settings -> {
            settings.maxConcurrentStreams(streams);
            if (current == null) {
                return;
            }
            if (current.maxHeaderListSize() != null) {
                settings.maxHeaderListSize(current.maxHeaderListSize());
            }
            if (current.headerTableSize() != null) {
                settings.headerTableSize(current.headerTableSize());
            }
            if (current.initialWindowSize() != null) {
                settings.initialWindowSize(current.initialWindowSize());
            }
            if (current.maxFrameSize() != null) {
                settings.maxFrameSize(current.maxFrameSize());
            }
        });
    }

    /** @param maxConcurrentStreams streams one HTTP/2 connection may have open at once */
    @Validated
    @ConfigurationProperties("app.http2")
    record Http2StreamsProperties(@Min(1) @DefaultValue("1000") long maxConcurrentStreams) {}
}
