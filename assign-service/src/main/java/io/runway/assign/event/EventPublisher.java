package io.runway.assign.event;

import io.runway.common.likepion.LikepionChannel;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
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
        var at = clock.instant().toString();
        return Flux.fromIterable(changes)
                .flatMap(
                        c -> {
                            var event = new LinkedHashMap<String, Object>();
                            event.put("type", "link.status");
                            event.put("link_id", c.linkId().toString());
                            event.put("request_id", c.requestId().toString());
                            event.put(
                                    "server_id",
                                    c.serverId() == null ? null : c.serverId().toString());
                            event.put("status", c.status());
                            if (c.waitedMs() != null) {
                                event.put("waited_ms", c.waitedMs());
                            }
                            event.put("at", at);
                            return publish(event);
                        },
                        256)
                .then();
    }

    public Mono<Void> serverChanged(UUID serverId) {
        return publish(Map.of("type", "server.changed", "server_id", serverId.toString(), "at", now()));
    }

    public Mono<Void> requestStatus(UUID requestId, String status) {
        return publish(
                Map.of("type", "request.status", "request_id", requestId.toString(), "status", status, "at", now()));
    }

    private String now() {
        return clock.instant().toString();
    }

    private Mono<Void> publish(Map<String, Object> event) {
        return Mono.fromCallable(() -> json.writeValueAsString(event))
                .flatMap(message -> redis.convertAndSend(channel, message))
                .doOnError(e -> log.warn("could not publish {} event: {}", event.get("type"), e.toString()))
                .onErrorComplete()
                .then();
    }
}
