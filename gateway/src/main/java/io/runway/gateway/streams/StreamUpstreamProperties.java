package io.runway.gateway.streams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway reaches a service over HTTP/2 cleartext for a stream route with the metadata {@code h2c: true}.
 *
 * @param streamsPerConnection streams one connection carries before the gateway opens another
 * @param maxConnections connections per service
 */
@ConfigurationProperties("app.streams.h2c")
public record StreamUpstreamProperties(
        @DefaultValue("1000") int streamsPerConnection, @DefaultValue("64") int maxConnections) {

    public StreamUpstreamProperties {
        if (streamsPerConnection < 1 || maxConnections < 1) {
            throw new IllegalStateException(
                    "app.streams.h2c.streams-per-connection and max-connections must be positive");
        }
    }
}
