package io.runway.worker.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.likepion.LikepionChannel;
import io.runway.common.likepion.LikepionEvent;
import io.runway.common.likepion.LikepionMessage;
import io.runway.common.tracing.MessageTracing;
import io.runway.worker.config.WorkerProperties;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes {@link LikepionEvent}s to the Redis channel {@code <prefix>likepion:events}, after the change they
 * describe has committed. Fails open: callers hand events over and never wait on Redis; a full buffer or a failed
 * publish is logged and counted, and nothing else is affected, since the database is the truth. Each message carries
 * the trace of the code that handed its event over (a request's), so the subscriber continues it.
 */
@Component
public class EventPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final WorkerProperties properties;
    private final String channel;
    private final MessageTracing tracing;
    private final Sinks.Many<LikepionMessage> sink;
    private final Counter published;
    private final Counter failed;
    private final Counter dropped;
    private final Sinks.Empty<Void> drained = Sinks.empty();
    private final Scheduler scheduler = Schedulers.newSingle("likepion-events", true);
    private volatile Disposable drain;

    EventPublisher(
            ReactiveStringRedisTemplate redis,
            JsonMapper json,
            WorkerProperties properties,
            MeterRegistry meters,
            MessageTracing tracing,
            @Value("${app.redis.key-prefix:}") String keyPrefix) {
        this.redis = redis;
        this.tracing = tracing;
        this.json = json;
        this.properties = properties;
        this.channel = LikepionChannel.name(keyPrefix);
        this.sink = Sinks.many()
                .unicast()
                .onBackpressureBuffer(
                        Queues.<LikepionMessage>get(properties.eventBuffer()).get());
        this.published = meters.counter("worker.events.published");
        this.failed = meters.counter("worker.events.failed", "reason", "redis");
        this.dropped = meters.counter("worker.events.failed", "reason", "buffer_full");
    }

    /** The channel events go to. */
    public String channel() {
        return channel;
    }

    /** Hands events over for publishing; returns at once. */
    public void publish(Collection<LikepionEvent> events) {
        var trace = tracing.current();
        events.forEach(event -> publish(LikepionMessage.of(event, trace)));
    }

    /** Hands one event over for publishing, with the current trace; returns at once. */
    public void publish(LikepionEvent event) {
        publish(LikepionMessage.of(event, tracing.current()));
    }

    private void publish(LikepionMessage message) {
        while (true) {
            var result = sink.tryEmitNext(message);
            if (result.isSuccess()) {
                return;
            }
            if (result != Sinks.EmitResult.FAIL_NON_SERIALIZED) {
                dropped.increment();
                log.warn("dropped {} event: {}", message.event().type(), result);
                return;
            }
            Thread.onSpinWait();
        }
    }

    private Mono<Void> send(LikepionMessage message) {
        var event = message.event();
        return Mono.fromCallable(() -> json.writeValueAsString(message))
                .flatMap(text -> redis.convertAndSend(channel, text))
                .timeout(properties.eventPublishTimeout())
                .doOnSuccess(receivers -> published.increment())
                .then()
                .onErrorResume(e -> {
                    failed.increment();
                    log.warn("could not publish {} event to Redis: {}", event.type(), e.toString());
                    return Mono.empty();
                });
    }

    @Override
    public void start() {
        // Drained on a dedicated thread: a Redis (re)connection blocks, and must never block a request's event loop.
        drain = sink.asFlux()
                .publishOn(scheduler, 256)
                .flatMap(this::send, 256)
                .doFinally(signal -> drained.tryEmitEmpty())
                .subscribe();
    }

    @Override
    public void stop(Runnable callback) {
        sink.tryEmitComplete();
        drained.asMono()
                .timeout(properties.eventPublishTimeout())
                .onErrorResume(e -> Mono.empty())
                .doFinally(signal -> {
                    drain.dispose();
                    scheduler.dispose();
                    callback.run();
                })
                .subscribe();
    }

    @Override
    public void stop() {
        stop(() -> {});
    }

    /** Stops after the web server and the heartbeat flush, so their last events still go out. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 8192;
    }

    @Override
    public boolean isRunning() {
        return drain != null && !drain.isDisposed();
    }
}
