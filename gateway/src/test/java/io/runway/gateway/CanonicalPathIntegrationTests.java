package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.RealInfrastructure;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A path written two ways must never be judged by one rule and routed by another (issue 11, items 2 and 3). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class CanonicalPathIntegrationTests {

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @RegisterExtension
    static final Upstream WORKER = new Upstream("worker");

    @RegisterExtension
    static final Upstream ASSIGN = new Upstream("assign");

    static final String RUN_ID = "0190f5c2-0000-7000-8000-000000000001";

    @Autowired
    WebTestClient client;

    @Autowired
    Environment environment;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
        registry.add("app.services.worker-url", WORKER::url);
        registry.add("app.services.assign-url", ASSIGN::url);
    }

    @BeforeEach
    void migrate() {
        GatewayFixtures.of(environment);
    }

    @ParameterizedTest
    @CsvSource({
        "GET, /api/v1/admin;x=1/servers, matrix parameters",
        "GET, /api/v1/admin/servers;x=1, matrix parameters",
        "GET, /api/v1/%61dmin/servers, percent-encoded",
        "GET, /api/v1//admin/servers, empty segment",
        "GET, /api/v1/x/../admin/servers, dot segment",
        "GET, /api/v1/automation/run/./active, dot segment",
    })
    void aUserTokenNeverReachesTheAdminApiThroughAnotherSpelling(String method, String rawPath, String problem) {
        int before = ASSIGN.requests.get();

        send(method, rawPath, GatewayFixtures.userJwt("user-1", "tenant-1"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.error")
                .isEqualTo("invalid_path")
                .jsonPath("$.message")
                .value(message -> assertThat(message.toString()).contains(problem));

        assertThat(ASSIGN.requests.get()).isEqualTo(before);
    }

    @ParameterizedTest
    @CsvSource({
        "/%61pi/v1/worker/servers/available",
        "/%61pi/v1/admin/servers",
        "/v3/%61pi-docs/assign",
    })
    void aPathEncodedOutsideTheApiReachesNoService(String rawPath) {
        int before = ASSIGN.requests.get();

        send("GET", rawPath, GatewayFixtures.userJwt("user-1", "tenant-1"))
                .expectStatus()
                .isNotFound();

        assertThat(ASSIGN.requests.get()).isEqualTo(before);
    }

    @Test
    void aDoubleSlashCannotStartRunsPastTheStartLimit() {
        var token = GatewayFixtures.userJwt("user-" + UUID.randomUUID(), "tenant-1");
        int before = RUN.requests.get();

        for (int i = 0; i < 7; i++) {
            send("POST", "/api/v1/automation/run//" + RUN_ID + "/start", token)
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .doesNotExist("RateLimit-Remaining");
        }
        send("POST", "/api/v1/automation/run/" + RUN_ID + "/start/", token)
                .expectStatus()
                .isBadRequest();

        assertThat(RUN.requests.get()).isEqualTo(before);
        send("POST", "/api/v1/automation/run/" + RUN_ID + "/start", token)
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("RateLimit-Remaining", "4");
    }

    @Test
    void theGenericFaceAnswersInItsOwnShape() {
        send("GET", "/api/v1/automation-runs;jsessionid=1", GatewayFixtures.userJwt("user-1", "tenant-1"))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat(detail.toString()).contains("matrix parameters"));
    }

    private WebTestClient.ResponseSpec send(String method, String rawPath, String token) {
        return client.method(HttpMethod.valueOf(method))
                .uri(URI.create("http://127.0.0.1:" + port + rawPath))
                .headers(h -> h.setBearerAuth(token))
                .exchange();
    }
}
