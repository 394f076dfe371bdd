package io.runway.worker;

import static io.runway.worker.Fixtures.token;

import io.runway.common.testsupport.FreePorts;
import io.runway.common.testsupport.ManagementClient;
import io.runway.common.testsupport.RealInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Redis out of reach: the service stays ready and serves, since it can (issue 11, item 4). */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.data.redis.timeout=200ms")
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class WorkerWithoutRedisIntegrationTests {

    static final int DEAD_PORT = FreePorts.next();

    @Autowired
    WebTestClient client;

    @LocalManagementPort
    int managementPort;

    @Autowired
    DatabaseClient db;

    @DynamicPropertySource
    static void noRedis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", () -> DEAD_PORT);
    }

    @Test
    void readinessStaysUpAndHeartbeatsAndTaskListsAreServed() {
        var server = new Fixtures(db).server("no-redis", "tool", "online");

        ManagementClient.on(managementPort)
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk();
        client.post()
                .uri("/api/v1/worker/health")
                .header("X-Internal-Token", token(server, "tool"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cpu_usage\": 3.5}")
                .exchange()
                .expectStatus()
                .isOk();
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-Internal-Token", token(server, "tool"))
                .exchange()
                .expectStatus()
                .isOk();
    }
}
