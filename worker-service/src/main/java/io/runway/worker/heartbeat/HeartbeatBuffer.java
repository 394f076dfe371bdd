package io.runway.worker.heartbeat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runway.worker.config.WorkerProperties;
import io.runway.worker.event.EventPublisher;
import io.runway.worker.event.LikepionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Coalesces heartbeats: keeps the latest one per server in memory and writes all of them to {@code server_health}
 * in one statement every {@code app.worker.heartbeat-flush-interval}, and once more on shutdown. A heartbeat event
 * is published per server after each flush commits, so the database is never behind an event.
 */
@Component
class HeartbeatBuffer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatBuffer.class);

    private final ConcurrentHashMap<UUID, Heartbeat> pending = new ConcurrentHashMap<>();
    private final HeartbeatRepository repository;
    private final EventPublisher events;
    private final WorkerProperties properties;
    private final Timer flushTimer;
    private final Counter flushed;
    private final Counter flushFailures;
    private volatile Disposable loop;

    HeartbeatBuffer(
            HeartbeatRepository repository, EventPublisher events, WorkerProperties properties, MeterRegistry meters) {
        this.repository = repository;
        this.events = events;
        this.properties = properties;
        this.flushTimer = meters.timer("worker.heartbeat.flush");
        this.flushed = meters.counter("worker.heartbeat.flushed");
        this.flushFailures = meters.counter("worker.heartbeat.flush.failures");
        meters.gaugeMapSize("worker.heartbeat.pending", List.of(), pending);
    }

    void accept(Heartbeat heartbeat) {
        pending.put(heartbeat.serverId(), heartbeat);
    }

    /** Writes every buffered heartbeat; completes with how many were written. */
    Mono<Integer> flush() {
        var batch = drain();
        if (batch.isEmpty()) {
            return Mono.just(0);
        }
        var sample = Timer.start();
        return repository
                .upsert(batch)
                .doOnSuccess(rows -> {
                    sample.stop(flushTimer);
                    flushed.increment(batch.size());
                    batch.forEach(b -> events.publish(LikepionEvent.heartbeat(b.serverId(), b.receivedAt())));
                })
                .thenReturn(batch.size())
                .onErrorResume(e -> {
                    flushFailures.increment();
                    log.warn("heartbeat flush of {} servers failed, will retry: {}", batch.size(), e.toString());
                    batch.forEach(b -> pending.putIfAbsent(b.serverId(), b));
                    return Mono.just(0);
                });
    }

    private List<Heartbeat> drain() {
        var batch = new ArrayList<Heartbeat>(pending.size());
        for (var id : pending.keySet()) {
            var beat = pending.remove(id);
            if (beat != null) {
                batch.add(beat);
            }
        }
        return batch;
    }

    @Override
    public void start() {
        var every = properties.heartbeatFlushInterval();
        loop = Flux.interval(every, every)
                .onBackpressureDrop()
                .concatMap(tick -> flush())
                .subscribe();
    }

    @Override
    public void stop(Runnable callback) {
        loop.dispose();
        flush().doFinally(signal -> callback.run()).subscribe();
    }

    @Override
    public void stop() {
        stop(() -> {});
    }

    @Override
    public boolean isRunning() {
        return loop != null && !loop.isDisposed();
    }

    /** Stops after the web server has drained its requests, and before the event publisher. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
