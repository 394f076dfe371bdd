package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.FreePorts;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * Failure handling: a private Redis that the last test stops (rate limits fail open), an unreachable service behind a
 * circuit breaker, a slow service behind a short timeout, oversized bodies, and event streams exempt from timeouts.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "GATEWAY_RESPONSE_TIMEOUT=500ms",
            "resilience4j.circuitbreaker.instances.admin-api.sliding-window-size=4",
            "resilience4j.circuitbreaker.instances.admin-api.minimum-number-of-calls=4",
            "resilience4j.circuitbreaker.instances.admin-api.wait-duration-in-open-state=60s"
        })
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayResilienceIntegrationTests {

    static final PrivateRedis REDIS = PrivateRedis.start();

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @RegisterExtension
    static final Upstream WORKER = new Upstream("worker");

    static final int DEAD_PORT = FreePorts.next();
    static final String TOOL_KEY = "tool-" + UUID.randomUUID();
    static boolean seeded;

    @Autowired
    WebTestClient client;

    @Autowired
    Environment environment;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CircuitBreakerRegistry breakers;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", REDIS::port);
        registry.add("app.services.run-url", RUN::url);
        registry.add("app.services.worker-url", WORKER::url);
        registry.add("app.services.assign-url", () -> "http://127.0.0.1:" + DEAD_PORT);
    }

    @AfterAll
    static void stop() {
        REDIS.close();
    }

    @BeforeEach
    void seed() {
        assertThat(environment.getProperty("spring.data.redis.port")).isEqualTo(String.valueOf(REDIS.port()));
        if (!seeded) {
            GatewayFixtures.of(environment).server(TOOL_KEY, "tool", "online");
            seeded = true;
        }
    }

    @Test
    @Order(1)
    void anUnreachableServiceOpensItsCircuitBreakerThenAnswers503AtOnce() {
        for (int i = 0; i < 4; i++) {
            client.post()
                    .uri("/api/v1/admin/servers")
                    .header("X-Admin-Key", GatewayFixtures.ADMIN_KEY)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(502)
                    .expectBody()
                    .jsonPath("$.error")
                    .isEqualTo("bad_gateway");
        }
        assertThat(breakers.circuitBreaker("admin-api").getState()).isEqualTo(CircuitBreaker.State.OPEN);

        client.post()
                .uri("/api/v1/admin/servers")
                .header("X-Admin-Key", GatewayFixtures.ADMIN_KEY)
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .exists("Retry-After")
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.error")
                .isEqualTo("service_unavailable")
                .jsonPath("$.message")
                .isEqualTo("The service is temporarily unavailable (circuit breaker open); retry later");

        // what the dashboards and the breaker alert read, without Resilience4j's per-call timer
        assertThat(meters.get("resilience4j.circuitbreaker.state")
                        .tags("name", "admin-api", "state", "open")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(meters.get("resilience4j.circuitbreaker.not.permitted.calls")
                        .tags("name", "admin-api", "kind", "not_permitted")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.find("resilience4j.circuitbreaker.calls").meters()).isEmpty();
    }

    @Test
    @Order(2)
    void aSlowServiceTimesOutWith504InTheFacesShape() {
        client.get()
                .uri("/api/v1/automation-runs/0190f5c2-0000-7000-8000-000000000001/slow")
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("u1", "t1")))
                .exchange()
                .expectStatus()
                .isEqualTo(504)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("The service did not answer in time");
    }

    @Test
    @Order(3)
    void eventStreamsOutliveTheRouteTimeout() {
        var events = GatewayFixtures.userEventStream(client, "/api/v1/automation-runs/r1/events", "u1", "t1");

        RUN.verifyHeldStream(events, Duration.ofSeconds(1));
    }

    @Test
    @Order(4)
    void aBodyOverTheRouteLimitIsRefusedWith413() {
        client.post()
                .uri("/api/v1/worker/logs")
                .header("X-API-Key", TOOL_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new byte[7 * 1024 * 1024])
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("payload_too_large");
    }

    @Test
    @Order(5)
    void aChunkedBodyOverTheLimitIsRefusedToo() {
        int before = WORKER.requests.get();
        Flux<DataBuffer> chunks =
                Flux.range(0, 112).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[64 * 1024]));
        client.post()
                .uri("/api/v1/worker/logs")
                .header("X-API-Key", TOOL_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus()
                .isEqualTo(413);
        assertThat(WORKER.requests.get() - before).isLessThanOrEqualTo(1);
    }

    @Test
    @Order(6)
    void aGetWithoutABodyIsRetriedAfterA503() {
        String path = "/api/v1/automation-runs/0190f5c2-0000-7000-8000-000000000002/flaky";
        client.get()
                .uri(path)
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("u1", "t1")))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(RUN.requestsTo(path)).isEqualTo(2);
    }

    @Test
    @Order(6)
    void aGetAnswered503EveryTimeIsTriedThreeTimesThenTheCallerGetsThe503() {
        String path = "/api/v1/automation-runs/0190f5c2-0000-7000-8000-000000000005/down";
        client.get()
                .uri(path)
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("u1", "t1")))
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("/down"));
        assertThat(RUN.requestsTo(path)).isEqualTo(3);
    }

    @Test
    @Order(7)
    void aPostOrAGetWithABodyIsNeverRetried() {
        String post = "/api/v1/worker/tasks/0190f5c2-0000-7000-8000-000000000003/flaky";
        client.post()
                .uri(post)
                .header("X-API-Key", TOOL_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\":\"completed\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(503);
        assertThat(WORKER.requestsTo(post)).isEqualTo(1);

        String get = "/api/v1/worker/tasks/0190f5c2-0000-7000-8000-000000000004/flaky";
        client.method(HttpMethod.GET)
                .uri(get)
                .header("X-API-Key", TOOL_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isEqualTo(503);
        assertThat(WORKER.requestsTo(get)).isEqualTo(1);
    }

    @Test
    @Order(8)
    void aCallerWithoutCredentialsIsAnsweredWithoutWaitingForItsBody() {
        Flux<DataBuffer> endless =
                Flux.concat(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(new byte[1024])), Flux.never());
        client.mutate()
                .responseTimeout(Duration.ofSeconds(5))
                .build()
                .post()
                .uri("/api/v1/worker/logs")
                .contentType(MediaType.APPLICATION_JSON)
                .body(endless, DataBuffer.class)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 64 * 1024, 64 * 1024 + 1, 200 * 1024})
    @Order(9)
    void aBodyReachesTheServiceWholeWhateverItsSize(int size) {
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        client.post()
                .uri("/api/v1/worker/tasks/0190f5c2-0000-7000-8000-000000000005/echo")
                .header("X-API-Key", TOOL_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .isEqualTo(body);
    }

    @Test
    @Order(10)
    void withRedisGoneRequestsAreStillServedAndLatencyStaysFlat() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .exists("RateLimit-Limit");

        REDIS.close();

        // The worker rule is leased: what this instance holds of its last lease is served first, with its headers.
        int fromAllowance = 0;
        while (client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(Void.class)
                .getResponseHeaders()
                .containsHeader("RateLimit-Limit")) {
            fromAllowance++;
            assertThat(fromAllowance).isLessThanOrEqualTo(12);
        }

        long slowest = 0;
        for (int i = 0; i < 40; i++) {
            long started = System.nanoTime();
            client.get()
                    .uri("/api/v1/worker/tasks")
                    .header("X-API-Key", TOOL_KEY)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .doesNotExist("RateLimit-Limit");
            if (i >= 10) {
                slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
            }
        }

        assertThat(breakers.circuitBreaker("redis-rate-limit").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(meters.get("gateway.ratelimit.fail.open").counter().count()).isGreaterThanOrEqualTo(40);
        // Far below the 2 s Redis command timeout: the open breaker answers without asking Redis.
        assertThat(slowest).isLessThan(500);
    }
}
