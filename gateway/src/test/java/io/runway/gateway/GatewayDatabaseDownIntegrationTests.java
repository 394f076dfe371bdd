package io.runway.gateway;

import io.runway.common.testsupport.FreePorts;
import io.runway.common.testsupport.RealInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** PostgreSQL unreachable and the key not cached: the caller is told to retry, never given a 500 (issue 11, item 6). */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"DB_POOL_ACQUIRE_TIMEOUT=2s", "spring.r2dbc.pool.initial-size=0"})
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class GatewayDatabaseDownIntegrationTests {

    static final Upstream WORKER = new Upstream("worker");
    static final int DEAD_PORT = FreePorts.next();

    @Autowired
    WebTestClient client;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        registry.add("db.port", () -> DEAD_PORT);
        registry.add("app.services.worker-url", WORKER::url);
    }

    @AfterAll
    static void stop() {
        WORKER.close();
    }

    @Test
    void anApiKeyThatCannotBeCheckedGets503WithRetryAfterInTheFacesShape() {
        client.post()
                .uri("/api/v1/worker/health")
                .header("X-API-Key", "some-key")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .valueEquals("Retry-After", "5")
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.error")
                .isEqualTo("service_unavailable");
    }
}
