package io.runway.assign.event;

import io.runway.common.likepion.LikepionChannel;
import io.runway.common.likepion.LikepionEvent;
import io.runway.common.likepion.LikepionMessage;
import io.runway.common.tracing.MessageTracing;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Subscribes once to the LIKEPION event channel. Fails open: when Redis is unreachable the subscription is retried
 * with back-off while the dispatcher's periodic sweep keeps working from the database. An event that carries its
 * publisher's trace is emitted in a consumer span of that trace, so whatever its subscriber does with it at once logs
 * (and, when sampled, records) in the publisher's trace.
 */
@Component
public class EventSubscriber {

    private static final Logger log = LoggerFactory.getLogger(EventSubscriber.class);

    private final ReactiveRedisConnectionFactory connections;
    private final JsonMapper json;
    private final MessageTracing tracing;
    private final String channel;

    EventSubscriber(
            ReactiveRedisConnectionFactory connections,
            JsonMapper json,
            MessageTracing tracing,
            @Value("${app.redis.key-prefix:}") String prefix) {
        this.connections = connections;
        this.tracing = tracing;
        this.json = json;
        this.channel = LikepionChannel.name(prefix);
    }

    /**
     * Events as they arrive, for a consumer that batches them (the dispatcher's wake-ups serve many events in one round,
     * so no one trace is theirs); a new subscription (and container) per subscriber, re-established on failure.
     */
    public Flux<LikepionEvent> events() {
        return messages().map(LikepionMessage::event);
    }

    /**
     * Hands each event to {@code handler} as it arrives; an event that carries its publisher's trace is handled in a
     * consumer span of that trace, with its ids in the MDC. (A span scope opened inside the flux would not reach a
     * subscriber: with automatic context propagation each operator restores the subscriber's own thread-locals.)
     */
    public Disposable handle(Consumer<LikepionEvent> handler) {
        return messages().subscribe(message -> {
            var event = message.event();
            tracing.handle(message.trace(), "likepion " + event.type(), () -> {
                log.debug("received {} event", event.type());
                handler.accept(event);
            });
        });
    }

    private Flux<LikepionMessage> messages() {
        return Flux.usingWhen(
                        reactor.core.publisher.Mono.fromSupplier(
                                () -> new ReactiveRedisMessageListenerContainer(connections)),
                        container -> container.receive(ChannelTopic.of(channel)).map(message -> message.getMessage()),
                        ReactiveRedisMessageListenerContainer::destroyLater)
                .<LikepionMessage>handle((text, sink) -> {
                    try {
                        sink.next(json.readValue(text, LikepionMessage.class));
                    } catch (RuntimeException e) {
                        log.debug("ignoring malformed event: {}", e.toString());
                    }
                })
                .doOnError(e -> log.warn("event subscription failed, retrying: {}", e.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10)));
    }
}
