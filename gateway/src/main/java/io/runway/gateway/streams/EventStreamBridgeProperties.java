package io.runway.gateway.streams;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway passes an event stream through ({@link EventStreamBridgeFilter}).
 *
 * @param enabled pass {@code 200 text/event-stream} answers through to the caller's channel as the service framed
 *     them; false: Spring Cloud Gateway's response write for every answer
 * @param readAhead body buffers (for run-service, events) read from the service ahead of what the caller's socket
 *     took; while the caller's channel is not writable no more are read
 */
@ConfigurationProperties("app.streams.bridge")
public record EventStreamBridgeProperties(@DefaultValue("true") boolean enabled, @DefaultValue("32") int readAhead) {

    public EventStreamBridgeProperties {
        if (readAhead < 2) {
            throw new IllegalStateException("app.streams.bridge.read-ahead must be at least 2");
        }
    }
}
