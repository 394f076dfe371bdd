package io.runway.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Direct to a throwaway upstream vs through the gateway (API-key auth, Redis rate limit set high, internal token,
 * circuit breaker): maximum throughput with a fixed number of requests in flight, then latency at a fixed 1,000 req/s
 * measured from each request's scheduled start (no coordinated omission). Prints its figures.
 */
@Tag("benchmark")
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"RATE_LIMIT_WORKER_PER_KEY=1000000000", "logging.level.access=WARN"})
@RealInfrastructure
class GatewayBenchmark {

    static final DisposableServer UPSTREAM = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle((request, response) -> response.status(HttpResponseStatus.OK)
                    .header("Content-Type", "application/json")
                    .sendString(Mono.just("{\"success\":true,\"data\":[]}"))
                    .then())
            .bindNow();
    static final String KEY = "bench-tool-key";
    static final String PATH = "/api/v1/worker/tasks";
    static final int IN_FLIGHT = env("BENCH_IN_FLIGHT", 16);
    static final Duration WARMUP = Duration.ofSeconds(env("BENCH_WARMUP_ROUNDS", 12));
    static final Duration MEASURE = Duration.ofSeconds(env("BENCH_SECONDS", 10));
    static final int FIXED_RATE = env("BENCH_RATE", 1000);

    @LocalServerPort
    int gatewayPort;

    @Autowired
    Environment environment;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        var url = "http://127.0.0.1:" + UPSTREAM.port();
        registry.add("app.services.worker-url", () -> url);
        registry.add("app.services.run-url", () -> url);
        registry.add("app.services.assign-url", () -> url);
    }

    @AfterAll
    static void stop() {
        UPSTREAM.disposeNow();
    }

    @Test
    void sequentialProbe() {
        if (!(System.getenv("BENCH_PROBE") != null)) {
            return;
        }
        GatewayFixtures.of(environment).server(KEY, "tool", "online");
        var client = HttpClient.create().headers(h -> h.set("X-API-Key", KEY));
        for (var target : java.util.List.of(UPSTREAM.port(), gatewayPort, UPSTREAM.port(), gatewayPort)) {
            var c = client.baseUrl("http://127.0.0.1:" + target);
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                call(c).block();
            }
            System.out.printf(Locale.ROOT, "PROBE %d: %.3f ms%n", target, (System.nanoTime() - t0) / 100 / 1e6);
            if (target == gatewayPort) {
                var sse = HttpClient.create()
                        .baseUrl("http://127.0.0.1:" + gatewayPort)
                        .headers(h -> h.set("Authorization", "Bearer " + GatewayFixtures.userJwt("u", "t")));
                long t1 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    sse.get()
                            .uri("/api/v1/automation-runs/x/events")
                            .responseSingle((r, b) -> b.asString())
                            .block();
                }
                System.out.printf(
                        Locale.ROOT, "PROBE no-filter route (JWT): %.3f ms%n", (System.nanoTime() - t1) / 100 / 1e6);
                long t2 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    sse.get()
                            .uri("/api/v1/automation-runs/x")
                            .responseSingle((r, b) -> b.asString())
                            .block();
                }
                System.out.printf(
                        Locale.ROOT,
                        "PROBE run-api route (JWT, CB+Retry): %.3f ms%n",
                        (System.nanoTime() - t2) / 100 / 1e6);
            }
            System.out.println("PROBE response: "
                    + c.get()
                            .uri(PATH)
                            .responseSingle(
                                    (r, b) -> b.asString().map(x -> r.status() + " " + r.responseHeaders() + " " + x))
                            .block());
        }
    }

    @Test
    void directVersusThroughTheGateway() {
        if ((System.getenv("BENCH_PROBE") != null)) {
            return;
        }
        GatewayFixtures.of(environment).server(KEY, "tool", "online");
        var provider = ConnectionProvider.builder("bench").maxConnections(512).build();
        var client = HttpClient.create(provider).protocol(HttpProtocol.HTTP11).headers(h -> h.set("X-API-Key", KEY));
        var direct = client.baseUrl("http://127.0.0.1:" + UPSTREAM.port());
        var gateway = client.baseUrl("http://127.0.0.1:" + gatewayPort);

        warmUp("direct", direct);
        warmUp("gateway", gateway);
        double directRps = throughput(direct, MEASURE);
        System.out.printf(Locale.ROOT, "BENCHMARK progress: direct %.0f req/s%n", directRps);
        double gatewayRps = throughput(gateway, MEASURE);
        System.out.printf(Locale.ROOT, "BENCHMARK progress: gateway %.0f req/s%n", gatewayRps);
        var directLatency = fixedRate(direct);
        System.out.println("BENCHMARK progress: direct " + directLatency);
        var gatewayLatency = fixedRate(gateway);
        System.out.println("BENCHMARK progress: gateway " + gatewayLatency);
        provider.disposeLater().block(Duration.ofSeconds(10));

        System.out.printf(
                Locale.ROOT,
                """
                BENCHMARK gateway (loopback, one JVM: load generator + gateway + upstream; %d in flight, %d s runs)
                  max throughput  direct %8.0f req/s   gateway %8.0f req/s   ratio %.2f
                  at %d req/s      direct p50 %.2f ms p99 %.2f ms   gateway p50 %.2f ms p99 %.2f ms   added p99 %.2f ms
                  errors          direct %d   gateway %d   rate-limit checks skipped (fail open) %.0f
                """,
                IN_FLIGHT,
                MEASURE.toSeconds(),
                directRps,
                gatewayRps,
                gatewayRps / directRps,
                FIXED_RATE,
                directLatency.p50(),
                directLatency.p99(),
                gatewayLatency.p50(),
                gatewayLatency.p99(),
                gatewayLatency.p99() - directLatency.p99(),
                directLatency.errors(),
                gatewayLatency.errors(),
                meters.counter("gateway.ratelimit.fail.open").count());
    }

    /** Runs until throughput stops improving (the JIT has compiled the path), at most {@link #WARMUP} rounds of 5 s. */
    private static void warmUp(String name, HttpClient client) {
        double previous = 0;
        for (int round = 0; round < WARMUP.toSeconds(); round++) {
            double rps = throughput(client, Duration.ofSeconds(5));
            System.out.printf(Locale.ROOT, "BENCHMARK warm-up %s: %.0f req/s%n", name, rps);
            if (round >= 5 && rps < previous * 1.1) {
                return;
            }
            previous = Math.max(previous, rps);
        }
    }

    /** Requests per second with {@link #IN_FLIGHT} requests always outstanding. */
    private static double throughput(HttpClient client, Duration duration) {
        var done = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long started = System.nanoTime();
        Flux.range(0, IN_FLIGHT)
                .flatMap(worker -> Mono.defer(() -> call(client))
                        .doOnNext(ok -> done.incrementAndGet())
                        .repeat(() -> System.nanoTime() < end)
                        .then())
                .blockLast();
        return done.get() / ((System.nanoTime() - started) / 1e9);
    }

    /** Latency percentiles at a fixed request rate, each measured from when it was due to start. */
    private static Latency fixedRate(HttpClient client) {
        int total = (int) (FIXED_RATE * MEASURE.toSeconds());
        var latencies = new AtomicLongArray(total);
        var errors = new AtomicLong();
        long intervalNanos = 1_000_000_000L / FIXED_RATE;
        long start = System.nanoTime() + 50_000_000L;
        Flux.interval(Duration.ofMillis(1))
                .onBackpressureDrop()
                .map(tick -> (int) Math.min(total, (System.nanoTime() - start) / intervalNanos + 1))
                .scan(new int[] {0, 0}, (range, due) -> new int[] {range[1], Math.max(range[1], due)})
                .takeUntil(range -> range[1] >= total)
                .flatMap(
                        range -> Flux.range(range[0], range[1] - range[0])
                                .flatMap(i -> call(client).doOnNext(ok -> {
                                    if (!ok) {
                                        errors.incrementAndGet();
                                    }
                                    latencies.set(i, System.nanoTime() - (start + i * intervalNanos));
                                })),
                        4096)
                .blockLast(MEASURE.plusSeconds(30));
        long[] sorted = new long[total];
        for (int i = 0; i < total; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        return new Latency(
                sorted[(int) (total * 0.50)] / 1e6,
                sorted[(int) Math.min(total - 1, total * 0.99)] / 1e6,
                errors.get());
    }

    private static Mono<Boolean> call(HttpClient client) {
        return client.get()
                .uri(PATH)
                .responseSingle((response, body) -> body.asByteArray()
                        .thenReturn(response.status().code() == 200)
                        .defaultIfEmpty(response.status().code() == 200))
                .onErrorReturn(false);
    }

    private static int env(String name, int fallback) {
        var value = System.getenv(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    private record Latency(double p50, double p99, long errors) {}
}
