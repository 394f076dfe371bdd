package io.runway.run.events;

import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Wake-ups for run event streams: after a transaction that wrote run events commits, streams of that run read
 * PostgreSQL at once instead of at their next poll. Local streams are woken through a Reactor sink; other instances
 * through one Redis pub/sub channel ({@code <prefix>run-events}, message {@code "<instance> <runId>"}), to which each
 * instance subscribes once. Redis fails open: a lost message or a Redis outage only delays delivery until the streams'
 * next poll of PostgreSQL, which stays the source of truth.
 */
@Component
public class RunEventSignals implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunEventSignals.class);

    private final Sinks.Many<UUID> changes = Sinks.many().multicast().directBestEffort();
    private final ReactiveStringRedisTemplate redis;
    private final String channel;
    private final String instance = UUID.randomUUID().toString();
    private volatile Disposable subscription = Disposables.disposed();

    RunEventSignals(ReactiveStringRedisTemplate redis, @Value("${app.redis.key-prefix:}") String prefix) {
        this.redis = redis;
        this.channel = prefix + "run-events";
    }

    /** Announces that new events of the run are committed, here and on every other instance. */
    public void changed(UUID runId) {
        wake(runId);
        redis.convertAndSend(channel, instance + " " + runId)
                .onErrorResume(error -> {
                    log.debug("run event wake-up not published (streams fall back to polling): {}", error.toString());
                    return Mono.empty();
                })
                .subscribe();
    }

    Flux<UUID> changes() {
        return changes.asFlux();
    }

    private void wake(UUID runId) {
        synchronized (changes) {
            changes.tryEmitNext(runId);
        }
    }

    @Override
    public void start() {
        subscription = redis.listenTo(ChannelTopic.of(channel))
                .map(ReactiveSubscription.Message::getMessage)
                .filter(message -> !message.startsWith(instance + " "))
                .map(message -> UUID.fromString(message.substring(message.indexOf(' ') + 1)))
                .doOnError(error -> log.warn("run event channel lost, resubscribing: {}", error.toString()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)))
                .subscribe(this::wake);
    }

    @Override
    public void stop() {
        subscription.dispose();
    }

    @Override
    public boolean isRunning() {
        return !subscription.isDisposed();
    }
}
