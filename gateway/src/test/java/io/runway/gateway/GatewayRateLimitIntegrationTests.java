package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.RealInfrastructure;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"RATE_LIMIT_WORKER_PER_KEY=3", "RATE_LIMIT_ASSIGN_PER_KEY=4"})
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class GatewayRateLimitIntegrationTests {

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @RegisterExtension
    static final Upstream LIKEPION = new Upstream("likepion");

    static GatewayFixtures fixtures;

    @Autowired
    WebTestClient client;

    @Autowired
    Environment environment;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
        registry.add("app.services.worker-url", LIKEPION::url);
        registry.add("app.services.assign-url", LIKEPION::url);
    }

    @BeforeEach
    void migrate() {
        if (fixtures == null) {
            fixtures = GatewayFixtures.of(environment);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/automation/run/0190f5c2-0000-7000-8000-000000000001/start, 5",
        "POST, /api/v1/automation/run/0190f5c2-0000-7000-8000-000000000001/stop, 10",
        "GET, /api/v1/automation/run/0190f5c2-0000-7000-8000-000000000001/status, 60",
        "GET, /api/v1/automation/run/active, 30",
        "GET, /api/v1/automation/run/history, 30"
    })
    void eachSeedRouteAdmitsExactlyItsLimitPerMinuteWithHeaders(String method, String path, int limit) {
        var token = GatewayFixtures.userJwt("user-" + UUID.randomUUID(), "tenant-1");
        for (int i = 1; i <= limit; i++) {
            var remaining = String.valueOf(limit - i);
            send(method, path, h -> h.setBearerAuth(token))
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .valueEquals("RateLimit-Limit", String.valueOf(limit))
                    .expectHeader()
                    .valueEquals("RateLimit-Remaining", remaining)
                    .expectHeader()
                    .value("RateLimit-Reset", reset -> assertThat(Long.parseLong(reset))
                            .isBetween(1L, 61L));
        }

        send(method, path, h -> h.setBearerAuth(token))
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .value("Retry-After", retry -> assertThat(Long.parseLong(retry)).isBetween(1L, 61L))
                .expectHeader()
                .valueEquals("RateLimit-Remaining", "0")
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.error")
                .isEqualTo("rate_limited");
    }

    @Test
    void limitsArePerPrincipalAndPerRoute() {
        var path = "/api/v1/automation/run/0190f5c2-0000-7000-8000-000000000002/start";
        var alice = GatewayFixtures.userJwt("alice-" + UUID.randomUUID(), "tenant-1");
        var bob = GatewayFixtures.userJwt("bob-" + UUID.randomUUID(), "tenant-1");
        for (int i = 0; i < 5; i++) {
            send("POST", path, h -> h.setBearerAuth(alice)).expectStatus().isOk();
        }
        send("POST", path, h -> h.setBearerAuth(alice)).expectStatus().isEqualTo(429);

        send("POST", path, h -> h.setBearerAuth(bob)).expectStatus().isOk();
        send("GET", "/api/v1/automation/run/active", h -> h.setBearerAuth(alice))
                .expectStatus()
                .isOk();
    }

    @Test
    void workerAndAssignApisAreLimitedPerServerKey() {
        var toolKey = "tool-" + UUID.randomUUID();
        var otherToolKey = "tool-" + UUID.randomUUID();
        var assignKey = "assign-" + UUID.randomUUID();
        fixtures.server(toolKey, "tool", "online");
        fixtures.server(otherToolKey, "tool", "online");
        fixtures.server(assignKey, "assign", "online");

        for (int i = 0; i < 3; i++) {
            send("GET", "/api/v1/worker/tasks", h -> h.set("X-API-Key", toolKey))
                    .expectStatus()
                    .isOk();
        }
        send("POST", "/api/v1/worker/logs", h -> h.set("X-API-Key", toolKey))
                .expectStatus()
                .isEqualTo(429)
                .expectHeader()
                .valueEquals("RateLimit-Limit", "3");
        send("GET", "/api/v1/worker/tasks", h -> h.set("X-API-Key", otherToolKey))
                .expectStatus()
                .isOk();

        for (int i = 0; i < 4; i++) {
            send("GET", "/api/v1/worker/links/stale", h -> h.set("X-API-Key", assignKey))
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .valueEquals("RateLimit-Limit", "4");
        }
        send("GET", "/api/v1/worker/sites", h -> h.set("X-API-Key", assignKey))
                .expectStatus()
                .isEqualTo(429);
    }

    @Test
    void unlimitedRoutesCarryNoRateLimitHeaders() {
        send("GET", "/api/v1/automation-runs", h -> h.setBearerAuth(GatewayFixtures.userJwt("u", "t")))
                .expectStatus()
                .isOk()
                .expectHeader()
                .doesNotExist("RateLimit-Limit");
    }

    private WebTestClient.ResponseSpec send(
            String method, String path, java.util.function.Consumer<HttpHeaders> credentials) {
        return client.method(HttpMethod.valueOf(method))
                .uri(path)
                .headers(credentials)
                .exchange();
    }
}
