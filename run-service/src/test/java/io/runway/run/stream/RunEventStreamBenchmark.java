package io.runway.run.stream;

import static io.runway.run.stream.RunFixtures.TENANT_A;
import static io.runway.run.stream.RunFixtures.await;
import static io.runway.run.stream.RunFixtures.generic;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.run.Percentiles;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Many concurrent SSE subscribers on one instance over loopback: events are committed (and announced after commit) at a
 * fixed rate on a few runs, each watched by many subscribers. Prints deliveries/s, publish-to-receive latency (from
 * just before the committing transaction to the subscriber's decoded event, so it includes the commit) and heap per
 * subscriber. Settings: {@code -Dbench.subscribers}, {@code -Dbench.runs}, {@code -Dbench.eventsPerSecond} (all runs
 * together), {@code -Dbench.seconds}.
 */
@Tag("benchmark")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.run-events.subscriber-buffer=1024", "logging.level.root=WARN"})
@RealInfrastructure
class RunEventStreamBenchmark {

    private static final int SUBSCRIBERS = Integer.getInteger("bench.subscribers", 4000);
    private static final int RUNS = Integer.getInteger("bench.runs", 10);
    private static final int EVENTS_PER_SECOND = Integer.getInteger("bench.eventsPerSecond", 100);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);

    @Autowired
    ApplicationContext context;

    @Test
    void manySubscribersOnOneInstance() {
        var app = new RunFixtures(context);
        var runs = new ArrayList<UUID>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(app.startRun(RunFixtures.WAIT_AN_HOUR, 3));
        }
        var registry = context.getBean(MeterRegistry.class);
        var client = client(app.port());

        long heapBefore = usedHeapAfterGc();
        var received = new AtomicLong();
        var latencies = new AtomicLongArray(4_000_000);
        var recorded = new AtomicInteger();
        var measuring = new java.util.concurrent.atomic.AtomicBoolean();
        var subscriptions = new ArrayList<Disposable>();
        long connectStarted = System.nanoTime();
        for (int i = 0; i < SUBSCRIBERS; i++) {
            var runId = runs.get(i % RUNS);
            subscriptions.add(client.get()
                    .uri(generic(runId))
                    .header("X-Internal-Token", TENANT_A)
                    .header("Last-Event-ID", "3")
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .retrieve()
                    .bodyToFlux(RunFixtures.SSE)
                    .filter(event -> event.data() != null)
                    .subscribe(event -> {
                        long now = System.nanoTime();
                        if (measuring.get()) {
                            received.incrementAndGet();
                            var data = event.data();
                            int from = data.indexOf("\"message\":\"") + 11;
                            var sentAt = data.substring(from, data.indexOf('"', from));
                            int slot = recorded.getAndIncrement();
                            if (slot < latencies.length()) {
                                latencies.set(slot, now - Long.parseLong(sentAt));
                            }
                        }
                    }));
        }
        await(
                () -> registry.get("run.events.subscribers.active").gauge().value() >= SUBSCRIBERS,
                SUBSCRIBERS + " subscribers connected",
                Duration.ofMinutes(4));
        double connectSeconds = (System.nanoTime() - connectStarted) / 1e9;
        long heapAfter = usedHeapAfterGc();

        var perRunPeriod = Duration.ofNanos(1_000_000_000L * RUNS / EVENTS_PER_SECOND);
        var publishing = Flux.fromIterable(runs)
                .flatMap(runId -> Flux.interval(perRunPeriod)
                        .onBackpressureDrop()
                        .concatMap(tick -> app.appendLater(runId, 1, Long.toString(System.nanoTime()))))
                .subscribe();
        measuring.set(true);
        long started = System.nanoTime();
        java.util.concurrent.locks.LockSupport.parkNanos(
                Duration.ofSeconds(SECONDS).toNanos());
        publishing.dispose();
        measuring.set(false);
        double elapsed = (System.nanoTime() - started) / 1e9;
        subscriptions.forEach(Disposable::dispose);

        int n = Math.min(recorded.get(), latencies.length());
        var sorted = new long[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        System.out.printf(
                "%nRUN-EVENTS BENCHMARK: %d subscribers on %d runs, %d events/s committed, %.1f s%n"
                        + "  deliveries/s: %.0f (expected %d)%n"
                        + "  publish-to-receive latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n"
                        + "  heap per subscriber (server and client in one JVM): %.1f KiB%n"
                        + "  dropped as slow: %.0f; all subscribers connected in %.1f s%n",
                SUBSCRIBERS,
                RUNS,
                EVENTS_PER_SECOND,
                elapsed,
                received.get() / elapsed,
                (long) EVENTS_PER_SECOND * SUBSCRIBERS / RUNS,
                n == 0 ? 0 : Percentiles.of(sorted, 0.50) / 1e6,
                n == 0 ? 0 : Percentiles.of(sorted, 0.99) / 1e6,
                n == 0 ? 0 : sorted[n - 1] / 1e6,
                n,
                (heapAfter - heapBefore) / 1024.0 / SUBSCRIBERS,
                registry.get("run.events.subscribers.dropped").counter().count(),
                connectSeconds);
    }

    private static WebClient client(int port) {
        var connections = ConnectionProvider.builder("bench")
                .maxConnections(SUBSCRIBERS + 16)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(2))
                .build();
        var http = HttpClient.create(connections).runOn(LoopResources.create("bench-client", 1, true));
        return WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
