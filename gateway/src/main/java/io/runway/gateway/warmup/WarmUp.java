package io.runway.gateway.warmup;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.runway.gateway.auth.WarmUpCallers;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
 * Warms the gateway up before it reports ready: after start it sends requests of the three caller shapes (worker,
 * user, assign) to its own port on loopback, through the whole filter chain and route filters, to a throwaway upstream
 * on loopback, until the JIT compiler has settled ({@link CompilerSettling}) or {@code app.warm-up.duration} has
 * passed. Readiness ({@code warmUp} in the readiness group) is DOWN until that ends. Warm-up requests carry a
 * per-process secret and credentials of synthetic callers ({@link WarmUpCallers}), so they take the real
 * authentication and rate-limit paths (the limit counted on warm-up keys only); they are not counted in
 * {@code gateway.requests}, and the route breakers are reset afterwards.
 */
@Component("warmUp")
final class WarmUp implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private static final Duration GRACE = Duration.ofSeconds(1);

    private static final String HEARTBEAT = "{\"server_name\":\"warm-up\",\"cpu_usage\":1.0,\"active_tasks\":0}";

    private enum Credential {
        TOOL_KEY,
        USER_TOKEN,
        ASSIGN_KEY
    }

    private record Shape(HttpMethod method, String path, String body, Credential credential) {}

    private static final Shape[] SHAPES = {
        new Shape(HttpMethod.POST, "/api/v1/worker/health", HEARTBEAT, Credential.TOOL_KEY),
        new Shape(HttpMethod.GET, "/api/v1/automation/run/active", null, Credential.USER_TOKEN),
        new Shape(HttpMethod.GET, "/api/v1/worker/servers/available", null, Credential.ASSIGN_KEY)
    };

    private final WarmUpProperties properties;
    private final Environment environment;
    private final CircuitBreakerRegistry breakers;
    private final WarmUpCallers callers;
    private volatile String secret;
    private volatile int upstreamPort;
    private volatile boolean done;
    private volatile String ended = "not yet";
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    WarmUp(
            WarmUpProperties properties,
            Environment environment,
            CircuitBreakerRegistry breakers,
            WarmUpCallers callers) {
        this.properties = properties;
        this.environment = environment;
        this.breakers = breakers;
        this.callers = callers;
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
        // valid a little longer than the warm-up can last, and revoked as soon as it ends
        var credentials = callers.issue(properties.duration().plus(Duration.ofSeconds(15)));
        long started = System.nanoTime();
        log.info("Warming up for at most {} before reporting ready", properties.duration());
        Flux.range(0, Integer.MAX_VALUE)
                .flatMap(i -> send(client, SHAPES[i % SHAPES.length], key, credentials), properties.concurrency(), 1)
                .takeUntilOther(Mono.firstWithValue(
                                Mono.delay(properties.duration()).thenReturn("duration reached"), compilerSettled())
                        .doOnNext(reason -> ended = reason))
                .then()
                .timeout(properties.duration().plus(Duration.ofSeconds(10)))
                .onErrorResume(e -> {
                    ended = "failed";
                    log.warn("Warm-up ended early: {}", e.toString());
                    return Mono.empty();
                })
                // requests already sent may still arrive: they keep their mark until the grace period is over
                .then(Mono.fromRunnable(pool::dispose))
                .then(Mono.delay(GRACE))
                .doFinally(signal -> {
                    secret = null;
                    upstreamPort = 0;
                    callers.revoke(credentials);
                    upstream.dispose();
                    breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
                    done = true;
                    log.info(
                            "Warm-up done after {} ms ({}): {} requests, {} not answered 2xx; reporting ready",
                            Duration.ofNanos(System.nanoTime() - started).toMillis(),
                            ended,
                            sent.get(),
                            failed.get());
                })
                .subscribe();
    }

    /**
     * Once a second, the compiler threads' CPU time (or, off Linux, the compilers' accumulated time); never, when
     * neither can be read or the quiet window is zero.
     */
    private Mono<String> compilerSettled() {
        if (properties.quietWindow().isZero()) {
            return Mono.never();
        }
        LongSupplier compiling;
        var cpu = CompilerCpu.ofThisProcess();
        var compiler = ManagementFactory.getCompilationMXBean();
        if (cpu != null) {
            compiling = cpu::millis;
        } else if (compiler != null && compiler.isCompilationTimeMonitoringSupported()) {
            compiling = compiler::getTotalCompilationTime;
        } else {
            return Mono.never();
        }
        var settling = new CompilerSettling(properties.quietWindow(), properties.quietShare());
        return Flux.interval(Duration.ofSeconds(1))
                .filter(tick -> settling.settled(System.nanoTime() / 1_000_000, compiling.getAsLong()))
                .next()
                .thenReturn("compiler settled");
    }

    private Mono<Void> send(HttpClient client, Shape shape, String key, WarmUpCallers.Issued credentials) {
        var request = client.headers(headers -> {
                    headers.set(WarmUpMarkerFilter.HEADER, key).set("Content-Type", "application/json");
                    switch (shape.credential()) {
                        case TOOL_KEY -> headers.set("X-API-Key", credentials.toolKey());
                        case ASSIGN_KEY -> headers.set("X-API-Key", credentials.assignKey());
                        case USER_TOKEN -> headers.set("Authorization", "Bearer " + credentials.userToken());
                    }
                })
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
                .withDetail("ended", ended)
                .withDetail("failed", failed.get())
                .build();
    }
}
