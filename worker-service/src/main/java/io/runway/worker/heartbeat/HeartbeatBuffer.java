package io.runway.worker.heartbeat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.runway.common.error.DatabaseFailure;
import io.runway.common.likepion.LikepionEvent;
import io.runway.common.work.PeriodicWork;
import io.runway.worker.config.WorkerProperties;
import io.runway.worker.event.EventPublisher;
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
    private final Counter rejected;
    private volatile Disposable loop;

    HeartbeatBuffer(
            HeartbeatRepository repository, EventPublisher events, WorkerProperties properties, MeterRegistry meters) {
        this.repository = repository;
        this.events = events;
        this.properties = properties;
        this.flushTimer = meters.timer("worker.heartbeat.flush");
        this.flushed = meters.counter("worker.heartbeat.flushed");
        this.flushFailures = meters.counter("worker.heartbeat.flush.failures");
        this.rejected = meters.counter("worker.heartbeat.rejected");
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
        return flush(batch);
    }

    private Mono<Integer> flush(List<Heartbeat> batch) {
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
                    if (refusedForItsData(e)) {
                        return isolate(batch, e);
                    }
                    log.warn("heartbeat flush of {} servers failed, will retry: {}", batch.size(), e.toString());
                    batch.forEach(b -> pending.putIfAbsent(b.serverId(), b));
                    return Mono.just(0);
                });
    }

    /** Splits a batch PostgreSQL refused for what a row holds, until the refused rows stand alone and are dropped. */
    private Mono<Integer> isolate(List<Heartbeat> batch, Throwable refusal) {
        if (batch.size() == 1) {
            rejected.increment();
            log.warn(
                    "heartbeat of server {} refused and dropped: {}",
                    batch.get(0).serverId(),
                    refusal.toString());
            return Mono.just(0);
        }
        int half = batch.size() / 2;
        return Flux.just(batch.subList(0, half), batch.subList(half, batch.size()))
                .concatMap(this::flush)
                .reduce(0, Integer::sum);
    }

    /** The rows, not the database, are at fault: what the caller is told as a 4xx (SQLSTATE class 22 or 23). */
    private static boolean refusedForItsData(Throwable failure) {
        var meaning = DatabaseFailure.of(failure);
        return meaning != null && meaning.status().is4xxClientError();
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
        loop = PeriodicWork.every(every, every, "heartbeat flush", this::flush);
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
