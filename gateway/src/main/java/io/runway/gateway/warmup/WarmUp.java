package io.runway.gateway.warmup;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.handler.codec.http.HttpMethod;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Warms the gateway up before it reports ready: for {@code app.warm-up.duration} after start it sends requests of the
 * three caller shapes (worker, user, assign) to its own port on loopback, through the whole filter chain and route
 * filters, to a throwaway upstream on loopback. Readiness ({@code warmUp} in the readiness group) is DOWN until that
 * ends. Warm-up requests carry a per-process secret; they are not authenticated against the credential stores, not
 * rate-limited (no Redis call), not counted in {@code gateway.requests}, and the route breakers are reset afterwards.
 */
@Component("warmUp")
final class WarmUp implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private static final Duration GRACE = Duration.ofSeconds(1);

    private static final String HEARTBEAT = "{\"server_name\":\"warm-up\",\"cpu_usage\":1.0,\"active_tasks\":0}";

    private record Shape(HttpMethod method, String path, String body) {}

    private static final Shape[] SHAPES = {
        new Shape(HttpMethod.POST, "/api/v1/worker/health", HEARTBEAT),
        new Shape(HttpMethod.GET, "/api/v1/automation/run/active", null),
        new Shape(HttpMethod.GET, "/api/v1/worker/servers/available", null)
    };

    private final WarmUpProperties properties;
    private final Environment environment;
    private final CircuitBreakerRegistry breakers;
    private volatile String secret;
    private volatile int upstreamPort;
    private volatile boolean done;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    WarmUp(WarmUpProperties properties, Environment environment, CircuitBreakerRegistry breakers) {
        this.properties = properties;
        this.environment = environment;
        this.breakers = breakers;
        this.done = !properties.enabled() || properties.duration().isZero();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (done) {
            return;
        }
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        DisposableServer upstream = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive()
                        .then(response.header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"status\":\"ok\"}"))
                                .then()))
                .bindNow();
        var pool = ConnectionProvider.create("warm-up", properties.concurrency());
        var client = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + port);
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        var key = HexFormat.of().formatHex(bytes);
        secret = key;
        upstreamPort = upstream.port();
        long started = System.nanoTime();
        log.info("Warming up for at most {} before reporting ready", properties.duration());
        Flux.range(0, Integer.MAX_VALUE)
                .flatMap(i -> send(client, SHAPES[i % SHAPES.length], key), properties.concurrency(), 1)
                .take(properties.duration())
                .then()
                .timeout(properties.duration().plus(Duration.ofSeconds(10)))
                .onErrorResume(e -> {
                    log.warn("Warm-up ended early: {}", e.toString());
                    return Mono.empty();
                })
                // requests already sent may still arrive: they keep their mark until the grace period is over
                .then(Mono.fromRunnable(pool::dispose))
                .then(Mono.delay(GRACE))
                .doFinally(signal -> {
                    secret = null;
                    upstreamPort = 0;
                    upstream.dispose();
                    breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
                    done = true;
                    log.info(
                            "Warm-up done after {} ms: {} requests, {} not answered 2xx; reporting ready",
                            Duration.ofNanos(System.nanoTime() - started).toMillis(),
                            sent.get(),
                            failed.get());
                })
                .subscribe();
    }

    private Mono<Void> send(HttpClient client, Shape shape, String key) {
        var request = client.headers(
                        headers -> headers.set(WarmUpMarkerFilter.HEADER, key).set("Content-Type", "application/json"))
                .request(shape.method())
                .uri(shape.path());
        HttpClient.ResponseReceiver<?> sending =
                shape.body() == null ? request : request.send(ByteBufFlux.fromString(Mono.just(shape.body())));
        return sending.responseSingle((response, body) -> body.then(Mono.fromRunnable(() -> {
                    sent.incrementAndGet();
                    if (response.status().code() / 100 != 2) {
                        failed.incrementAndGet();
                    }
                })))
                .then()
                .onErrorResume(e -> {
                    failed.incrementAndGet();
                    return Mono.empty();
                });
    }

    String secret() {
        return secret;
    }

    int upstreamPort() {
        return upstreamPort;
    }

    @Override
    public Health health() {
        var health = done ? Health.up() : Health.outOfService();
        return health.withDetail("requests", sent.get())
                .withDetail("failed", failed.get())
                .build();
    }
}
