package io.runway.run.stream;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Redis pub/sub channel {@code <app.redis.key-prefix>run-events} that carries event notifications between
 * instances: publishing, the one subscription of this instance (re-established with back-off), and a health ping.
 */
@Component
class RedisEventChannel {

    private static final Logger log = LoggerFactory.getLogger(RedisEventChannel.class);

    private final ChannelTopic topic;
    private final ReactiveRedisConnectionFactory connections;
    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final Duration timeout;
    private volatile boolean subscribed;

    RedisEventChannel(
            @Value("${app.redis.key-prefix:}") String keyPrefix,
            ReactiveRedisConnectionFactory connections,
            ReactiveStringRedisTemplate redis,
            JsonMapper json,
            RunEventsProperties properties) {
        this.topic = ChannelTopic.of(keyPrefix + "run-events");
        this.connections = connections;
        this.redis = redis;
        this.json = json;
        this.timeout = properties.publishTimeout();
    }

    Mono<Void> publish(Notification notification) {
        return Mono.fromCallable(() -> json.writeValueAsString(notification))
                .flatMap(text -> redis.convertAndSend(topic.getTopic(), text))
                .timeout(timeout)
                .then();
    }

    /**
     * Every notification published on the channel by other instances, for as long as it is subscribed to. The echo of
     * this instance's own notifications is recognised by its first bytes and never parsed.
     */
    Flux<Notification> receive(String ownOrigin) {
        var echo = "{\"origin\":\"" + ownOrigin + "\"";
        return Flux.usingWhen(
                        Mono.fromCallable(() -> new ReactiveRedisMessageListenerContainer(connections)),
                        container -> container
                                .receiveLater(topic)
                                .doOnNext(ready -> {
                                    subscribed = true;
                                    log.info("subscribed to Redis channel {}", topic.getTopic());
                                })
                                .flatMapMany(messages -> messages)
                                .map(message -> message.getMessage()),
                        ReactiveRedisMessageListenerContainer::destroyLater)
                .doOnError(e -> {
                    subscribed = false;
                    log.warn("Redis subscription for run events lost: {}", e.toString());
                })
                .doOnComplete(() -> subscribed = false)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                .filter(text -> !text.startsWith(echo))
                .mapNotNull(this::parse);
    }

    boolean subscribed() {
        return subscribed;
    }

    /** Whether Redis answers a PING within the timeout. */
    Mono<Boolean> ping() {
        return redis.execute(connection -> connection.ping())
                .next()
                .timeout(timeout)
                .map(pong -> true)
                .onErrorResume(e -> {
                    log.debug("Redis ping failed: {}", e.toString());
                    return Mono.just(false);
                });
    }

    private Notification parse(String text) {
        try {
            return json.readValue(text, Notification.class);
        } catch (RuntimeException e) {
            log.warn("ignoring a malformed run-event notification: {}", e.toString());
            return null;
        }
    }
}
