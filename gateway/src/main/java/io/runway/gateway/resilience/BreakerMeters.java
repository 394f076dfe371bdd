package io.runway.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.registry.EntryAddedEvent;
import io.github.resilience4j.core.registry.EntryRemovedEvent;
import io.github.resilience4j.core.registry.EntryReplacedEvent;
import io.github.resilience4j.core.registry.RegistryEventConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Resilience4j's breaker meters that dashboards and alerts read, under its own names and tags, read from each breaker's
 * state when scraped instead of fed by per-call events: {@code resilience4j.circuitbreaker.state}, {@code .failure.rate},
 * {@code .slow.call.rate}, {@code .buffered.calls}, {@code .slow.calls}, and {@code .not.permitted.calls}, which the
 * code that gets the refusal counts ({@link #notPermitted}). Resilience4j's {@code .calls} timer is not published.
 */
@Component
public final class BreakerMeters implements RegistryEventConsumer<CircuitBreaker> {

    private static final String PREFIX = "resilience4j.circuitbreaker.";

    private final MeterRegistry registry;
    private final Map<String, Counter> notPermitted = new ConcurrentHashMap<>();

    public BreakerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts a call the named breaker refused (it was open, or half-open with its probe calls taken). */
    public void notPermitted(String breaker) {
        notPermitted.computeIfAbsent(breaker, this::notPermittedCounter).increment();
    }

    @Override
    public void onEntryAddedEvent(EntryAddedEvent<CircuitBreaker> event) {
        publish(event.getAddedEntry());
    }

    @Override
    public void onEntryRemovedEvent(EntryRemovedEvent<CircuitBreaker> event) {}

    @Override
    public void onEntryReplacedEvent(EntryReplacedEvent<CircuitBreaker> event) {
        publish(event.getNewEntry());
    }

    private void publish(CircuitBreaker breaker) {
        var name = breaker.getName();
        for (var state : CircuitBreaker.State.values()) {
            Gauge.builder(PREFIX + "state", breaker, b -> b.getState() == state ? 1 : 0)
                    .description("The states of the circuit breaker")
                    .tag("name", name)
                    .tag("state", state.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder(PREFIX + "failure.rate", breaker, b -> b.getMetrics().getFailureRate())
                .description("The failure rate of the circuit breaker")
                .tag("name", name)
                .register(registry);
        Gauge.builder(PREFIX + "slow.call.rate", breaker, b -> b.getMetrics().getSlowCallRate())
                .description("The slow call of the circuit breaker")
                .tag("name", name)
                .register(registry);
        Gauge.builder(PREFIX + "buffered.calls", breaker, b -> b.getMetrics().getNumberOfSuccessfulCalls())
                .description("The number of buffered successful calls stored in the ring buffer")
                .tag("name", name)
                .tag("kind", "successful")
                .register(registry);
        Gauge.builder(PREFIX + "buffered.calls", breaker, b -> b.getMetrics().getNumberOfFailedCalls())
                .description("The number of buffered failed calls stored in the ring buffer")
                .tag("name", name)
                .tag("kind", "failed")
                .register(registry);
        Gauge.builder(PREFIX + "slow.calls", breaker, b -> b.getMetrics().getNumberOfSlowSuccessfulCalls())
                .description("The number of slow successful which were slower than a certain threshold")
                .tag("name", name)
                .tag("kind", "successful")
                .register(registry);
        Gauge.builder(PREFIX + "slow.calls", breaker, b -> b.getMetrics().getNumberOfSlowFailedCalls())
                .description("The number of slow failed calls which were slower than a certain threshold")
                .tag("name", name)
                .tag("kind", "failed")
                .register(registry);
        notPermitted.computeIfAbsent(name, this::notPermittedCounter);
    }

    private Counter notPermittedCounter(String breaker) {
        return Counter.builder(PREFIX + "not.permitted.calls")
                .description("Total number of not permitted calls")
                .tag("name", breaker)
                .tag("kind", "not_permitted")
                .register(registry);
    }
}
