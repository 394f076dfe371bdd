package io.runway.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.Metrics;
import io.github.resilience4j.core.registry.EntryAddedEvent;
import io.github.resilience4j.core.registry.EntryRemovedEvent;
import io.github.resilience4j.core.registry.EntryReplacedEvent;
import io.github.resilience4j.core.registry.RegistryEventConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
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
        for (var state : CircuitBreaker.State.values()) {
            gauge("state", "The states of the circuit breaker", breaker, b -> b.getState() == state ? 1 : 0)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        gauge("failure.rate", "The failure rate of the circuit breaker", breaker, b -> b.getMetrics()
                        .getFailureRate())
                .register(registry);
        gauge("slow.call.rate", "The slow call of the circuit breaker", breaker, b -> b.getMetrics()
                        .getSlowCallRate())
                .register(registry);
        calls(
                "buffered.calls",
                "The number of buffered %s calls stored in the ring buffer",
                breaker,
                Metrics::getNumberOfSuccessfulCalls,
                Metrics::getNumberOfFailedCalls);
        calls(
                "slow.calls",
                "The number of slow %s calls which were slower than a certain threshold",
                breaker,
                Metrics::getNumberOfSlowSuccessfulCalls,
                Metrics::getNumberOfSlowFailedCalls);
        notPermitted.computeIfAbsent(breaker.getName(), this::notPermittedCounter);
    }

    private void calls(
            String name,
            String description,
            CircuitBreaker breaker,
            ToIntFunction<Metrics> successful,
            ToIntFunction<Metrics> failed) {
        gauge(name, description.formatted("successful"), breaker, b -> successful.applyAsInt(b.getMetrics()))
                .tag("kind", "successful")
                .register(registry);
        gauge(name, description.formatted("failed"), breaker, b -> failed.applyAsInt(b.getMetrics()))
                .tag("kind", "failed")
                .register(registry);
    }

    private static Gauge.Builder<CircuitBreaker> gauge(
            String name, String description, CircuitBreaker breaker, ToDoubleFunction<CircuitBreaker> value) {
        return Gauge.builder(PREFIX + name, breaker, value)
                .description(description)
                .tag("name", breaker.getName());
    }

    private Counter notPermittedCounter(String breaker) {
        return Counter.builder(PREFIX + "not.permitted.calls")
                .description("Total number of not permitted calls")
                .tag("name", breaker)
                .tag("kind", "not_permitted")
                .register(registry);
    }
}
