package io.runway.gateway.auth;

import io.runway.common.likepion.LikepionChannel;
import io.runway.common.likepion.LikepionEvent;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evicts cached API-key lookups when assign-service announces {@code server.changed} on the LIKEPION events channel.
 * Fails open: while Redis is unreachable the cache TTL bounds staleness, and every (re)subscription clears the cache
 * because events may have been missed.
 */
@Component
class ServerChangedListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerChangedListener.class);

    private final ReactiveRedisConnectionFactory connections;
    private final ApiKeyAuthenticator apiKeys;
    private final JsonMapper json;
    private final ChannelTopic channel;
    private Disposable subscription;

    ServerChangedListener(
            ReactiveRedisConnectionFactory connections,
            ApiKeyAuthenticator apiKeys,
            JsonMapper json,
            @Value("${app.redis.key-prefix:}") String keyPrefix) {
        this.connections = connections;
        this.apiKeys = apiKeys;
        this.json = json;
        this.channel = ChannelTopic.of(LikepionChannel.name(keyPrefix));
    }

    @Override
    public void start() {
        // A fresh container per (re)subscription: a failed one is not reusable.
        subscription = Flux.using(
                        () -> new ReactiveRedisMessageListenerContainer(connections),
                        container -> container.receive(channel),
                        container -> container.destroyLater().subscribe())
                .doOnSubscribe(s -> apiKeys.evictAll())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> log.warn(
                                "Lost the LIKEPION events subscription; API-key cache relies on its TTL until it is back: {}",
                                signal.failure().toString())))
                .subscribe(message -> onEvent(message.getMessage()));
    }

    private void onEvent(String message) {
        // Most of the channel is link and heartbeat traffic: only a message that can be the one type is parsed.
        if (!message.contains(LikepionEvent.SERVER_CHANGED)) {
            return;
        }
        try {
            var event = json.readValue(message, LikepionEvent.class);
            if (event.is(LikepionEvent.SERVER_CHANGED) && event.serverId() != null) {
                apiKeys.evict(event.serverId().toString());
            }
        } catch (RuntimeException e) {
            log.warn("Ignoring a malformed server.changed event");
        }
    }

    @Override
    public void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }
}
