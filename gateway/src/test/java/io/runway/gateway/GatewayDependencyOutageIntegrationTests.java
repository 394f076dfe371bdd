package io.runway.gateway;

import io.runway.common.testsupport.DependencyOutageContract;
import io.runway.common.testsupport.RealInfrastructure;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway in front of a worker API stand-in: Redis gone means rate limits fail open and requests pass; PostgreSQL
 * gone means API keys cannot be checked once their cache entries expire (here at once), so callers get 503.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "DB_POOL_ACQUIRE_TIMEOUT=2s",
            "app.auth.api-key-cache.ttl=50ms",
            "app.auth.api-key-cache.negative-ttl=50ms"
        })
@AutoConfigureWebTestClient
@RealInfrastructure
class GatewayDependencyOutageIntegrationTests extends DependencyOutageContract {

    static final Upstream WORKER = new Upstream("worker");
    static final String KEY = "outage-tool-key";

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("app.services.worker-url", WORKER::url);
    }

    @AfterAll
    static void stop() {
        WORKER.close();
    }

    @BeforeEach
    void server() {
        GatewayFixtures.of(environment).server(KEY, "tool", "online");
    }

    @Override
    protected List<Call> lightLoad() {
        return List.of(
                client -> client.get()
                        .uri("/api/v1/worker/tasks")
                        .header("X-API-Key", KEY)
                        .exchange(),
                client -> client.post()
                        .uri("/api/v1/worker/health")
                        .header("X-API-Key", KEY)
                        .exchange());
    }
}
