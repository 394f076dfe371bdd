package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.ManagementClient;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway's self-warming: readiness DOWN while it runs, then UP; the synthetic requests reach neither a service
 * nor Redis, count in no metric and no breaker, and a request from outside cannot pass for one.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.warm-up.enabled=true", "app.warm-up.duration=10s", "app.warm-up.concurrency=2"})
@AutoConfigureWebTestClient
@RealInfrastructure
class WarmUpIntegrationTests {

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @RegisterExtension
    static final Upstream WORKER = new Upstream("worker");

    @RegisterExtension
    static final Upstream ASSIGN = new Upstream("assign");

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CircuitBreakerRegistry breakers;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    Environment environment;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
        registry.add("app.services.worker-url", WORKER::url);
        registry.add("app.services.assign-url", ASSIGN::url);
    }

    @Test
    void readinessStaysDownUntilWarmAndTheWarmUpLeavesNoTrace() {
        var management = ManagementClient.on(managementPort);
        management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isEqualTo(503);
        aGuessedWarmUpHeaderIsRefused();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (management
                        .get()
                        .uri("/actuator/health/readiness")
                        .exchange()
                        .expectBody()
                        .returnResult()
                        .getStatus()
                        .value()
                != 200) {
            assertThat(System.nanoTime()).as("readiness UP within 60 s").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }

        management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectBody()
                .jsonPath("$.components.warmUp.details.requests")
                .value(requests -> assertThat(((Number) requests).longValue()).isGreaterThan(30))
                .jsonPath("$.components.warmUp.details.failed")
                .isEqualTo(0);
        assertThat(RUN.lastHeader("x-request-id")).as("run-service reached").isNull();
        assertThat(WORKER.lastHeader("x-request-id"))
                .as("worker-service reached")
                .isNull();
        assertThat(ASSIGN.lastHeader("x-request-id"))
                .as("assign-service reached")
                .isNull();
        // only the one request sent from outside above
        assertThat(meters.find("gateway.requests").timers()).singleElement().satisfies(timer -> {
            assertThat(timer.getId().getTag("outcome")).isEqualTo("auth_failure");
            assertThat(timer.count()).isEqualTo(1);
        });
        breakers.getAllCircuitBreakers()
                .forEach(breaker -> assertThat(breaker.getMetrics().getNumberOfBufferedCalls())
                        .as(breaker.getName())
                        .isZero());
        var prefix = environment.getRequiredProperty("app.redis.key-prefix");
        assertThat(redis.keys(prefix + "*").collectList().block()).isEmpty();
        aGuessedWarmUpHeaderIsRefused();
    }

    private void aGuessedWarmUpHeaderIsRefused() {
        client.post()
                .uri("/api/v1/worker/health")
                .header("X-Gateway-Warm-Up", "0".repeat(64))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }
}
