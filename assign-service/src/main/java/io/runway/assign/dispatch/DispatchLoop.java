package io.runway.assign.dispatch;

import io.micrometer.core.instrument.Timer;
import io.runway.assign.config.DispatcherProperties;
import io.runway.assign.event.EventSubscriber;
import io.runway.common.likepion.LikepionEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the dispatcher: a round right after every event that may free a slot or bring a server back (a link finished,
 * a heartbeat), and the full sweep every {@code sweep-interval} as the safety net. Rounds never overlap; signals that
 * arrive during a round collapse into one more round.
 */
@Component
@ConditionalOnProperty(prefix = "app.dispatcher", name = "enabled", havingValue = "true", matchIfMissing = true)
class DispatchLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DispatchLoop.class);
    private static final Set<String> FINISHED = Set.of("completed", "failed", "canceled", "connect");

    private final Dispatcher dispatcher;
    private final EventSubscriber subscriber;
    private final DispatchMetrics metrics;
    private final DispatcherProperties properties;
    private final Clock clock;
    private final Set<UUID> dirtyServers = ConcurrentHashMap.newKeySet();
    private volatile Instant nextSweep = Instant.MIN;
    private volatile Disposable running;

    DispatchLoop(
            Dispatcher dispatcher,
            EventSubscriber subscriber,
            DispatchMetrics metrics,
            DispatcherProperties properties,
            Clock clock) {
        this.dispatcher = dispatcher;
        this.subscriber = subscriber;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void start() {
        var ticks = Flux.interval(properties.sweepInterval(), properties.sweepInterval(), Schedulers.parallel())
                .map(i -> Boolean.TRUE);
        var events = subscriber.events().filter(this::wakesUp).map(e -> Boolean.TRUE);
        running = Flux.merge(Flux.just(Boolean.TRUE), ticks, events)
                .onBackpressureLatest()
                .concatMap(signal -> round(), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        var current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null && !running.isDisposed();
    }

    /** Notes which server freed a slot; a heartbeat or a finished link is worth an immediate round. */
    private boolean wakesUp(LikepionEvent event) {
        if (event.is(LikepionEvent.HEARTBEAT)) {
            return true;
        }
        if (event.is(LikepionEvent.LINK_STATUS) && FINISHED.contains(event.status())) {
            if (event.serverId() != null) {
                dirtyServers.add(event.serverId());
            }
            return true;
        }
        return false;
    }

    private Mono<Void> round() {
        var sample = Timer.start();
        Mono<Void> work;
        if (!clock.instant().isBefore(nextSweep)) {
            nextSweep = clock.instant().plus(properties.sweepInterval()).minusMillis(50);
            dirtyServers.clear();
            work = dispatcher.sweep();
        } else {
            var servers = new HashSet<UUID>();
            dirtyServers.removeIf(servers::add);
            work = dispatcher
                    .reconcileServers(servers)
                    .then(dispatcher.assignPending())
                    .then();
        }
        return work.doOnError(e -> log.warn("dispatcher round failed; the next one retries: {}", e.toString()))
                .onErrorComplete()
                .doFinally(s -> sample.stop(metrics.loopLatency));
    }
}
