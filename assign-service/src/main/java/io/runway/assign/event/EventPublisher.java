package io.runway.assign.event;

import io.runway.common.likepion.LikepionChannel;
import io.runway.common.likepion.LikepionEvent;
import io.runway.common.likepion.LikepionMessage;
import io.runway.common.tracing.MessageTracing;
import io.runway.common.tracing.TraceHeaders;
import java.time.Clock;
import java.util.Collection;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes LIKEPION events on {@code <prefix>likepion:events} after the change has committed. Fails open: the
 * database is the truth and every subscriber keeps a periodic sweep, so a lost event is logged and dropped. Each
 * message carries the trace of the request that caused it (none for the dispatcher's own rounds).
 */
@Component
public class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    private final MessageTracing tracing;
    private final String channel;

    EventPublisher(
            ReactiveStringRedisTemplate redis,
            JsonMapper json,
            Clock clock,
            MessageTracing tracing,
            @Value("${app.redis.key-prefix:}") String prefix) {
        this.redis = redis;
        this.tracing = tracing;
        this.json = json;
        this.clock = clock;
        this.channel = LikepionChannel.name(prefix);
    }

    public Mono<Void> linksChanged(Collection<LinkChange> changes) {
        if (changes.isEmpty()) {
            return Mono.empty();
        }
        var at = clock.instant();
        return Flux.deferContextual(context -> {
                    var trace = tracing.current(context);
                    return Flux.fromIterable(changes)
                            .flatMap(
                                    c -> publish(
                                            LikepionEvent.linkStatus(
                                                    c.linkId(),
                                                    c.requestId(),
                                                    c.serverId(),
                                                    c.status(),
                                                    c.waitedMs(),
                                                    at),
                                            trace),
                                    256);
                })
                .then();
    }

    public Mono<Void> serverChanged(UUID serverId) {
        return publish(LikepionEvent.serverChanged(serverId, clock.instant()));
    }

    public Mono<Void> requestStatus(UUID requestId, String status) {
        return publish(LikepionEvent.requestStatus(requestId, status, clock.instant()));
    }

    private Mono<Void> publish(LikepionEvent event) {
        return Mono.deferContextual(context -> publish(event, tracing.current(context)));
    }

    private Mono<Void> publish(LikepionEvent event, TraceHeaders trace) {
        return Mono.fromCallable(() -> json.writeValueAsString(LikepionMessage.of(event, trace)))
                .flatMap(message -> redis.convertAndSend(channel, message))
                .doOnError(e -> log.warn("could not publish {} event: {}", event.type(), e.toString()))
                .onErrorComplete()
                .then();
    }
}
