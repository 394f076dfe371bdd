package io.runway.assign.event;

import io.runway.common.likepion.LikepionChannel;
import io.runway.common.likepion.LikepionEvent;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subscribes once to the LIKEPION event channel. Fails open: when Redis is unreachable the subscription is retried
 * with back-off while the dispatcher's periodic sweep keeps working from the database.
 */
@Component
public class EventSubscriber {

    private static final Logger log = LoggerFactory.getLogger(EventSubscriber.class);

    private final ReactiveRedisConnectionFactory connections;
    private final JsonMapper json;
    private final String channel;

    EventSubscriber(
            ReactiveRedisConnectionFactory connections,
            JsonMapper json,
            @Value("${app.redis.key-prefix:}") String prefix) {
        this.connections = connections;
        this.json = json;
        this.channel = LikepionChannel.name(prefix);
    }

    /** Events as they arrive; a new subscription (and container) per subscriber, re-established on failure. */
    public Flux<LikepionEvent> events() {
        return Flux.usingWhen(
                        reactor.core.publisher.Mono.fromSupplier(
                                () -> new ReactiveRedisMessageListenerContainer(connections)),
                        container -> container.receive(ChannelTopic.of(channel)).map(message -> message.getMessage()),
                        ReactiveRedisMessageListenerContainer::destroyLater)
                .<LikepionEvent>handle((message, sink) -> {
                    try {
                        sink.next(json.readValue(message, LikepionEvent.class));
                    } catch (RuntimeException e) {
                        log.debug("ignoring malformed event: {}", e.toString());
                    }
                })
                .doOnError(e -> log.warn("event subscription failed, retrying: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)));
    }

    private static String text(tools.jackson.databind.JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }
}
