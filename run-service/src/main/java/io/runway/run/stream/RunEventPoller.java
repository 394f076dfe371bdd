package io.runway.run.stream;

import io.runway.common.work.PeriodicWork;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The safety net under Redis: checks the runs streamed on this instance against PostgreSQL and delivers the events
 * this instance has not seen. Every {@code pollInterval} while Redis is healthy, every {@code fallbackPollInterval}
 * while it is not (one indexed query for all open runs, then a replay only for the runs that moved).
 */
@Component
class RunEventPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunEventPoller.class);
    private static final int IDS_PER_QUERY = 1000;

    private final RunChannels channels;
    private final RunEventRepository repository;
    private final RunEventBus bus;
    private final RunEventsProperties properties;
    private final Clock clock;
    private volatile Instant lastPoll = Instant.EPOCH;
    private volatile Disposable ticking;

    RunEventPoller(
            RunChannels channels,
            RunEventRepository repository,
            RunEventBus bus,
            RunEventsProperties properties,
            Clock clock) {
        this.channels = channels;
        this.repository = repository;
        this.bus = bus;
        this.properties = properties;
        this.clock = clock;
    }

    private Mono<Void> tick() {
        return bus.checkRedis().flatMap(healthy -> {
            var now = clock.instant();
            if (healthy && now.isBefore(lastPoll.plus(properties.pollInterval()))) {
                return Mono.empty();
            }
            lastPoll = now;
            return pollOnce();
        });
    }

    /** Delivers the committed events of the open runs that this instance has not seen yet. */
    Mono<Void> pollOnce() {
        var open = channels.open();
        if (open.isEmpty()) {
            return Mono.empty();
        }
        var ids = new ArrayList<>(open.keySet());
        return Flux.range(0, (ids.size() + IDS_PER_QUERY - 1) / IDS_PER_QUERY)
                .concatMap(i ->
                        repository.heads(ids.subList(i * IDS_PER_QUERY, Math.min(ids.size(), (i + 1) * IDS_PER_QUERY))))
                .filter(head -> head.eventSeq() > open.get(head.runId()))
                .flatMap(head -> catchUp(head.runId(), open, head.eventSeq()), 4)
                .then();
    }

    private Mono<Void> catchUp(UUID runId, Map<UUID, Long> open, long upTo) {
        return repository
                .between(runId, open.get(runId), upTo, properties.replayPage())
                .collectList()
                .doOnNext(events -> {
                    if (!events.isEmpty()) {
                        log.debug("poll found {} unseen events of run {}", events.size(), runId);
                    }
                    bus.polled(List.copyOf(events));
                })
                .then();
    }

    @Override
    public void start() {
        var every = properties.fallbackPollInterval();
        ticking = PeriodicWork.every(every, every, "polling run events", this::tick);
    }

    @Override
    public void stop() {
        if (ticking != null) {
            ticking.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return ticking != null && !ticking.isDisposed();
    }
}
