package io.runway.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Redis, then PostgreSQL, taken away from a running service under light load (a few clients calling what they call
 * all day), then given back, run by a {@code @SpringBootTest} subclass in each module. The service reaches both through
 * {@link TcpProxy proxies} that the test cuts, so the servers other tests share keep running.
 *
 * <ul>
 *   <li>Redis gone: every request is still served, readiness stays up.
 *   <li>PostgreSQL gone: every request is answered 503 with {@code Retry-After} in the face's error shape (never a
 *       500, never a hang), readiness goes down, liveness stays up.
 *   <li>Both back: requests are served again and readiness comes back, without a restart.
 * </ul>
 */
public abstract class DependencyOutageContract {

    private static final Duration SETTLE = Duration.ofSeconds(20);

    static final TcpProxy POSTGRES = TcpProxy.to(
            TestInfrastructure.postgres().host(), TestInfrastructure.postgres().port());
    static final TcpProxy REDIS = TcpProxy.to(
            TestInfrastructure.redis().host(), TestInfrastructure.redis().port());

    @Autowired
    protected WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void throughProxies(DynamicPropertyRegistry registry) {
        registry.add("db.host", () -> "127.0.0.1");
        registry.add("db.port", POSTGRES::port);
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", REDIS::port);
    }

    @AfterAll
    static void restoreProxies() {
        POSTGRES.restore();
        REDIS.restore();
    }

    /**
     * What the service's clients keep calling: each element sends one request (with its credentials) and returns the
     * answer. Reads and writes both belong here; the rows they need are made before the test starts.
     */
    protected abstract List<Call> lightLoad();

    /** One request a client makes. */
    @FunctionalInterface
    protected interface Call {
        WebTestClient.ResponseSpec send(WebTestClient client);
    }

    private record Answer(String phase, String call, int status, String retryAfter, String body) {}

    @Test
    void redisThenPostgresGoAwayUnderLoadAndComeBack() {
        var management = ManagementClient.on(managementPort);
        var answers = new CopyOnWriteArrayList<Answer>();
        var phase = new AtomicReference<>("healthy");
        var running = new AtomicBoolean(true);
        var calls = lightLoad();
        var load = new ArrayList<Thread>();
        var timed = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        for (int c = 0; c < 3; c++) {
            var thread = new Thread(
                    () -> {
                        while (running.get()) {
                            for (int i = 0; i < calls.size(); i++) {
                                var seenPhase = phase.get();
                                var result = calls.get(i)
                                        .send(timed)
                                        .expectBody(String.class)
                                        .returnResult();
                                // an answer that spans a change of phase belongs to neither
                                answers.add(new Answer(
                                        seenPhase.equals(phase.get()) ? seenPhase : "transition",
                                        "call " + i,
                                        result.getStatus().value(),
                                        result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                                        result.getResponseBody()));
                                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                            }
                        }
                    },
                    "light-load-" + c);
            thread.setDaemon(true);
            thread.start();
            load.add(thread);
        }
        try {
            pause(Duration.ofSeconds(2));
            assertThat(readiness(management)).as("readiness while healthy").isEqualTo(200);

            phase.set("redis-gone");
            REDIS.cut();
            pause(Duration.ofSeconds(3));
            assertThat(readiness(management)).as("readiness without Redis").isEqualTo(200);

            phase.set("postgres-going");
            POSTGRES.cut();
            await("readiness goes down without PostgreSQL", () -> readiness(management) == 503);
            // A lookup that finished just before the cut may still be cached (the tests' caches live 50 ms): the
            // outage counts as established once that has passed.
            pause(Duration.ofMillis(500));
            phase.set("postgres-gone");
            pause(Duration.ofSeconds(3));
            management
                    .get()
                    .uri("/actuator/health/liveness")
                    .exchange()
                    .expectStatus()
                    .isOk();

            phase.set("coming-back");
            POSTGRES.restore();
            REDIS.restore();
            await("readiness comes back", () -> readiness(management) == 200);
            phase.set("back");
            pause(Duration.ofSeconds(3));
        } finally {
            running.set(false);
            load.forEach(DependencyOutageContract::join);
        }

        for (var answer : answers) {
            assertThat(answer.status())
                    .as("%s in phase %s never gets a 5xx other than 503", answer, answer.phase())
                    .isNotIn(500, 502, 504);
            switch (answer.phase()) {
                case "healthy", "redis-gone", "back" ->
                    assertThat(answer.status()).as("%s is served", answer).isBetween(200, 299);
                case "postgres-gone" -> {
                    assertThat(answer.status())
                            .as("%s is refused for now", answer)
                            .isEqualTo(503);
                    assertThat(answer.retryAfter())
                            .as("%s says when to retry", answer)
                            .isNotBlank();
                    assertThat(answer.body())
                            .as("%s in the face's shape", answer)
                            .startsWith("{")
                            .contains("unavailable");
                }
                default ->
                    assertThat(answer.status()).as("%s during a change", answer).isIn(200, 201, 503);
            }
        }
        for (var name : List.of("healthy", "redis-gone", "postgres-gone", "back")) {
            assertThat(answers).as("answers in phase %s", name).anyMatch(a -> a.phase()
                    .equals(name));
        }
    }

    private static int readiness(WebTestClient management) {
        return management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectBody()
                .returnResult()
                .getStatus()
                .value();
    }

    private static void await(String what, BooleanSupplier condition) {
        var deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
            pause(Duration.ofMillis(200));
        }
    }

    private static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }

    private static void join(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(40).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
