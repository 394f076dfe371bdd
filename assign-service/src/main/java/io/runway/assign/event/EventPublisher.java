package io.runway.assign.event;

import io.runway.common.likepion.LikepionChannel;
import io.runway.common.likepion.LikepionEvent;
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
 * database is the truth and every subscriber keeps a periodic sweep, so a lost event is logged and dropped.
 */
@Component
public class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final Clock clock;
    private final String channel;

    EventPublisher(
            ReactiveStringRedisTemplate redis,
            JsonMapper json,
            Clock clock,
            @Value("${app.redis.key-prefix:}") String prefix) {
        this.redis = redis;
        this.json = json;
        this.clock = clock;
        this.channel = LikepionChannel.name(prefix);
    }

    public Mono<Void> linksChanged(Collection<LinkChange> changes) {
        if (changes.isEmpty()) {
            return Mono.empty();
        }
        var at = clock.instant();
        return Flux.fromIterable(changes)
                .flatMap(
                        c -> publish(LikepionEvent.linkStatus(
                                c.linkId(), c.requestId(), c.serverId(), c.status(), c.waitedMs(), at)),
                        256)
                .then();
    }

    public Mono<Void> serverChanged(UUID serverId) {
        return publish(LikepionEvent.serverChanged(serverId, clock.instant()));
    }

    public Mono<Void> requestStatus(UUID requestId, String status) {
        return publish(LikepionEvent.requestStatus(requestId, status, clock.instant()));
    }

    private Mono<Void> publish(LikepionEvent event) {
        return Mono.fromCallable(() -> json.writeValueAsString(event))
                .flatMap(message -> redis.convertAndSend(channel, message))
                .doOnError(e -> log.warn("could not publish {} event: {}", event.type(), e.toString()))
                .onErrorComplete()
                .then();
    }
}
