package io.runway.system;

import static io.runway.system.RunClient.genericEvents;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.Polling;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Many EventSource-like subscribers of the generic face on one client event-loop thread (as in run-service's
 * {@code RunEventStreamBenchmark}); while measuring, records for each step-end event the time from its
 * {@code createdAt} (taken by the engine just before the committing transaction) to its decoding here.
 */
final class SubscriberLoad implements AutoCloseable {

    /** What was delivered while measuring: count, the span from first to last delivery, sorted latencies. */
    record Summary(long delivered, double seconds, long[] sortedLatencyMicros) {

        double deliveriesPerSecond() {
            return delivered / seconds;
        }

        double percentileMillis(double p) {
            var sorted = sortedLatencyMicros;
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e3;
        }
    }

    private final ConnectionProvider connections;
    private final LoopResources loop;
    private final List<Disposable> subscriptions = new ArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicLong firstDelivery = new AtomicLong();
    private final AtomicLong lastDelivery = new AtomicLong();
    private final AtomicLongArray latencies;
    private final int subscribers;

    private SubscriberLoad(int subscribers, int expectedDeliveries) {
        this.subscribers = subscribers;
        this.latencies = new AtomicLongArray(Math.max(1, expectedDeliveries));
        this.connections = ConnectionProvider.builder("bench-subscribers")
                .maxConnections(subscribers + 16)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(4))
                .build();
        this.loop = LoopResources.create("bench-client", 1, true);
    }

    /** Opens {@code subscribers} streams to {@code baseUrl}, subscriber i on run i mod runs. */
    static SubscriberLoad open(
            String baseUrl, Consumer<HttpHeaders> auth, List<UUID> runs, int subscribers, int expectedDeliveries) {
        var load = new SubscriberLoad(subscribers, expectedDeliveries);
        var client = WebClient.builder()
                .baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(
                        HttpClient.create(load.connections).runOn(load.loop)))
                .build();
        for (int i = 0; i < subscribers; i++) {
            var first = new AtomicBoolean(true);
            load.subscriptions.add(client.get()
                    .uri(genericEvents(runs.get(i % runs.size())))
                    .headers(auth)
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .retrieve()
                    .bodyToFlux(RunClient.SSE)
                    .subscribe(event -> load.received(event, first), error -> load.failed.incrementAndGet()));
        }
        return load;
    }

    /** Waits until every subscriber has received its first frame; fails if any stream failed. */
    void awaitConnected(Duration timeout) {
        Polling.until(timeout, () -> connected.get() + failed.get() >= subscribers);
        assertThat(failed.get()).as("subscribers whose stream failed").isZero();
    }

    void measuring(boolean on) {
        measuring.set(on);
    }

    Summary summary() {
        int n = Math.min(delivered.get(), latencies.length());
        var sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        double seconds = Math.max(1e-3, (lastDelivery.get() - firstDelivery.get()) / 1e9);
        return new Summary(delivered.get(), seconds, sorted);
    }

    private void received(ServerSentEvent<String> event, AtomicBoolean first) {
        if (first.getAndSet(false)) {
            connected.incrementAndGet();
        }
        if (!measuring.get() || event.data() == null) {
            return;
        }
        long micros = stepEndLatencyMicros(event.data());
        if (micros >= 0) {
            int slot = delivered.getAndIncrement();
            if (slot < latencies.length()) {
                latencies.set(slot, micros);
            }
            long at = System.nanoTime();
            firstDelivery.compareAndSet(0, at);
            lastDelivery.set(at);
        }
    }

    /** For a step's end event (the fixed-rate ones), microseconds from its createdAt to now; else -1. */
    private static long stepEndLatencyMicros(String data) {
        var now = Instant.now();
        if (!data.contains("\"type\":\"step\"") || !data.contains("\"status\":\"completed\"")) {
            return -1;
        }
        int from = data.indexOf("\"createdAt\":\"") + 13;
        return ChronoUnit.MICROS.between(Instant.parse(data.substring(from, data.indexOf('"', from))), now);
    }

    @Override
    public void close() {
        subscriptions.forEach(Disposable::dispose);
        connections.dispose();
        loop.dispose();
    }
}
