package io.runway.common.testsupport;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every service promises at start-up, run by a {@code @SpringBootTest} subclass in each module: ready with its
 * PostgreSQL and Redis, metrics and OpenAPI published, and its API closed to callers without an internal token.
 */
public abstract class ServiceStartupContract {

    @Autowired
    protected WebTestClient client;

    /** A path of the service's API that must refuse a caller without a token. */
    protected abstract String protectedPath();

    @Test
    void readinessIsUpWithPostgresAndRedis() {
        client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status")
                .isEqualTo("UP")
                .jsonPath("$.components.redis.status")
                .isEqualTo("UP");
    }

    @Test
    void livenessIsUp() {
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void prometheusMetricsArePublished() {
        client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> org.assertj.core.api.Assertions.assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDescriptionIsPublished() {
        // The first generation of the description scans every controller: allow for a slow, busy machine.
        client.mutate()
                .responseTimeout(Duration.ofSeconds(60))
                .build()
                .get()
                .uri("/v3/api-docs")
                .accept(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.openapi")
                .exists();
    }

    @Test
    void callerWithoutInternalTokenIsRefused() {
        client.get()
                .uri(protectedPath())
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .exists("X-Request-Id");
    }

    @Test
    void callerWithForgedInternalTokenIsRefused() {
        var forged = TestTokens.admin().replaceAll(".$", "A").replaceAll("..$", "xB");
        client.get()
                .uri(protectedPath())
                .header("X-Internal-Token", forged)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }
}
