package io.runway.run.stream;

import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * Carries committed run events to every instance's subscribers: directly to this instance's, and through one Redis
 * pub/sub channel ({@code <prefix>run-events}, one subscription per instance) to the others'. All local delivery goes
 * through one dispatch thread, so the engine's commit path and the Redis I/O threads never do fan-out work.
 *
 * <p>Redis fails open: a failed publish is counted and logged, and the {@link RunEventPoller} reads PostgreSQL for the
 * open streams, often while Redis is unhealthy; no event is lost, some arrive later.
 */
@Component
class RunEventBus implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunEventBus.class);

    private final String instanceId = UUID.randomUUID().toString();
    private final RedisEventChannel redis;
    private final RunChannels channels;
    private final RunEventMetrics metrics;
    private final Sinks.Many<List<StoredEvent>> inbox;
    private final Sinks.Many<Notification> outbox;
    private final Scheduler dispatcher = Schedulers.newSingle("run-events-dispatch", true);
    private final Disposable.Composite running = Disposables.composite();
    private volatile boolean reachable = true;

    RunEventBus(
            RedisEventChannel redis, RunChannels channels, RunEventMetrics metrics, RunEventsProperties properties) {
        this.redis = redis;
        this.channels = channels;
        this.metrics = metrics;
        this.inbox = Sinks.many()
                .unicast()
                .onBackpressureBuffer(Queues.<List<StoredEvent>>get(65_536).get());
        this.outbox = Sinks.many()
                .unicast()
                .onBackpressureBuffer(
                        Queues.<Notification>get(properties.publishQueue()).get());
    }

    /** Announces events one transaction of this instance has committed (each run's together, in sequence order). */
    void committed(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        toInbox(events);
        Sinks.EmitResult result;
        synchronized (outbox) {
            result = outbox.tryEmitNext(new Notification(instanceId, events));
        }
        if (result.isFailure()) {
            metrics.publishFailed();
            RunTraces.inMdc(
                    events,
                    () -> log.warn(
                            "run-event publish queue full ({}); run {} relies on polling", result, runId(events)));
        }
    }

    /** Hands events read from PostgreSQL to the local subscribers. */
    void polled(List<StoredEvent> events) {
        if (!events.isEmpty()) {
            toInbox(events);
        }
    }

    /** Whether live delivery through Redis can be trusted right now (subscribed, and Redis answers). */
    boolean healthy() {
        return redis.subscribed() && reachable;
    }

    /** Pings Redis and records the outcome. */
    Mono<Boolean> checkRedis() {
        return redis.ping().doOnNext(ok -> {
            if (reachable != ok) {
                log.warn("Redis is {} for run events", ok ? "reachable again" : "unreachable");
            }
            reachable = ok;
        });
    }

    private void toInbox(List<StoredEvent> events) {
        Sinks.EmitResult result;
        synchronized (inbox) {
            result = inbox.tryEmitNext(events);
        }
        if (result.isFailure()) {
            // The run's channel does not advance past these events, so the poller (or the next event's gap fill)
            // delivers them.
            RunTraces.inMdc(
                    events,
                    () -> log.warn(
                            "run-event dispatch queue full ({}); run {} relies on polling", result, runId(events)));
        }
    }

    private void dispatch(List<StoredEvent> events) {
        int from = 0;
        for (int i = 1; i <= events.size(); i++) {
            if (i == events.size()
                    || !events.get(i).runId().equals(events.get(from).runId())) {
                channels.deliver(events.get(from).runId(), events.subList(from, i));
                from = i;
            }
        }
    }

    private Mono<Void> publish(Notification notification) {
        return redis.publish(notification).onErrorResume(e -> {
            metrics.publishFailed();
            RunTraces.inMdc(
                    notification.events(),
                    () -> log.warn(
                            "publishing run {} events to Redis failed: {}",
                            runId(notification.events()),
                            e.toString()));
            return Mono.empty();
        });
    }

    private void received(Notification notification) {
        if (!instanceId.equals(notification.origin()) && !notification.events().isEmpty()) {
            metrics.received();
            toInbox(notification.events());
        }
    }

    private static UUID runId(List<StoredEvent> events) {
        return events.isEmpty() ? null : events.get(0).runId();
    }

    @Override
    public void start() {
        running.add(inbox.asFlux().publishOn(dispatcher).subscribe(this::dispatch, e -> log.error("dispatch", e)));
        running.add(outbox.asFlux().concatMap(this::publish).subscribe());
        running.add(redis.receive(instanceId).subscribe(this::received));
    }

    @Override
    public void stop() {
        channels.closeAll();
        running.dispose();
        dispatcher.dispose();
    }

    @Override
    public boolean isRunning() {
        return running.size() > 0 && !running.isDisposed();
    }
}
