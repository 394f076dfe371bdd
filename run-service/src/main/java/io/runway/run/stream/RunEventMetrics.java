package io.runway.run.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** The run-event streams' meters (Prometheus names {@code run_events_*}). */
@Component
class RunEventMetrics {

    private final AtomicInteger subscribers = new AtomicInteger();
    private final Counter delivered;
    private final Counter droppedSlow;
    private final Counter publishFailures;
    private final Counter redisReceived;
    private final Counter replaysFromMemory;
    private final Counter replaysFromDatabase;
    private final Counter headsFromMemory;
    private final Counter headsFromDatabase;

    RunEventMetrics(MeterRegistry registry, RunChannels channels) {
        Gauge.builder("run.events.subscribers.active", subscribers, AtomicInteger::get)
                .description("Open SSE run-event streams on this instance")
                .register(registry);
        Gauge.builder("run.events.runs.streamed", channels, RunChannels::runs)
                .description("Runs with at least one open stream on this instance")
                .register(registry);
        delivered = Counter.builder("run.events.delivered")
                .description("Run events written to SSE subscribers")
                .register(registry);
        droppedSlow = Counter.builder("run.events.subscribers.dropped")
                .tag("reason", "slow")
                .description("Subscribers cut off because their buffer overflowed")
                .register(registry);
        publishFailures = Counter.builder("run.events.redis.publish.failures")
                .description("Event notifications that could not be published to Redis")
                .register(registry);
        redisReceived = Counter.builder("run.events.redis.received")
                .description("Event notifications received from other instances over Redis")
                .register(registry);
        replaysFromMemory = replays(registry, "memory");
        replaysFromDatabase = replays(registry, "database");
        headsFromMemory = heads(registry, "memory");
        headsFromDatabase = heads(registry, "database");
    }

    private static Counter heads(MeterRegistry registry, String source) {
        return Counter.builder("run.events.heads")
                .tag("source", source)
                .description("Run heads (tenant, state, last sequence) read to open a stream, by where they were read")
                .register(registry);
    }

    void headRead(boolean fromMemory) {
        (fromMemory ? headsFromMemory : headsFromDatabase).increment();
    }

    private static Counter replays(MeterRegistry registry, String source) {
        return Counter.builder("run.events.replays")
                .tag("source", source)
                .description("Replays of a run's events to a subscriber (resume, new subscriber, gap), by where they"
                        + " were read")
                .register(registry);
    }

    void replayed(boolean fromMemory) {
        (fromMemory ? replaysFromMemory : replaysFromDatabase).increment();
    }

    void subscribed() {
        subscribers.incrementAndGet();
    }

    void unsubscribed() {
        subscribers.decrementAndGet();
    }

    void delivered(int events) {
        delivered.increment(events);
    }

    void droppedSlow() {
        droppedSlow.increment();
    }

    void publishFailed() {
        publishFailures.increment();
    }

    void received() {
        redisReceived.increment();
    }

    int activeSubscribers() {
        return subscribers.get();
    }

    double droppedSlowCount() {
        return droppedSlow.count();
    }
}
