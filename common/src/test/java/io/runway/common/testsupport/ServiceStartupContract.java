package io.runway.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every service promises at start-up, run by a {@code @SpringBootTest} subclass in each module: ready with its
 * PostgreSQL and Redis, health and metrics on the management port only, OpenAPI published, its API closed to callers
 * without an internal token, and keep-alive connections served to the end.
 */
public abstract class ServiceStartupContract {

    @Autowired
    protected WebTestClient client;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private WebTestClient management() {
        return ManagementClient.on(managementPort);
    }

    /** A path of the service's API that must refuse a caller without a token. */
    protected abstract String protectedPath();

    /** An internal token of a caller the service admits past its filters. */
    protected String callerToken() {
        return TestTokens.admin();
    }

    @Test
    void readinessFollowsPostgresOnlyWhileHealthStillShowsRedis() {
        management()
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status")
                .isEqualTo("UP")
                .jsonPath("$.components.redis")
                .doesNotExist();
        management()
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.redis.status")
                .isEqualTo("UP");
    }

    @Test
    void unmatchedPathsAndMethodsAnswerInTheFacesShapeWithoutInternals() {
        for (var spec : java.util.List.of(
                client.get().uri(protectedPath() + "/no/such/endpoint/here"),
                client.delete().uri(protectedPath()))) {
            var body = spec.header("X-Internal-Token", callerToken())
                    .exchange()
                    .expectStatus()
                    .value(status -> assertThat(status).isIn(404, 405))
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody();
            assertThat(body)
                    .doesNotContain("timestamp")
                    .doesNotContain("http://")
                    .doesNotContain("\"path\"");
            assertThat(body).containsAnyOf("\"error\":\"not_found\"", "\"error\":\"method_not_allowed\"", "\"detail\"");
        }
    }

    @Test
    void livenessIsUp() {
        management()
                .get()
                .uri("/actuator/health/liveness")
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void theApiPortServesNoManagementEndpoint() {
        assertThat(managementPort).isNotEqualTo(port);
        for (var path : java.util.List.of(
                "/actuator",
                "/actuator/health",
                "/actuator/health/readiness",
                "/actuator/prometheus",
                "/actuator/env")) {
            client.get()
                    .uri(path)
                    .header("X-Internal-Token", callerToken())
                    .exchange()
                    .expectStatus()
                    .isNotFound();
        }
    }

    @Test
    void prometheusMetricsArePublished() {
        management()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDescriptionIsPublishedAsCallersSeeItThroughTheGateway() {
        var document = ApiDescription.of(client);
        assertThat(document.path("openapi").asString()).startsWith("3.");
        assertThat(document.path("servers").path(0).path("url").asString()).isEqualTo("/");
        var schemes = document.path("components").path("securitySchemes");
        assertThat(schemes.isEmpty()).isFalse();
        var operations = 0;
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                var where = operation.getKey() + " " + path.getKey();
                operations++;
                assertThat(operation.getValue().path("security").isEmpty())
                        .as("%s names the credentials it accepts", where)
                        .isFalse();
                for (var requirement : operation.getValue().path("security")) {
                    requirement.propertyNames().forEach(name -> assertThat(schemes.has(name))
                            .as("%s names a declared scheme", where)
                            .isTrue());
                }
                for (var parameter : operation.getValue().path("parameters")) {
                    assertThat(parameter.path("name").asString())
                            .as("%s shows no internal parameter", where)
                            .isNotEqualTo("caller");
                }
            }
        }
        assertThat(operations).isPositive();
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

    /**
     * A request that arrives while the previous one on its connection is still finishing is buffered by the server.
     * When that buffered request is answered at once (here a 401 from the token filter), Reactor Netty 1.3.6 stopped
     * reading the connection and the next request on it waited forever: the intermittent 30 s hang of
     * AssignApiIntegrationTests, where WebTestClient's next request sometimes overtook the server's bookkeeping.
     * Pipelining the two requests makes that overtaking certain.
     */
    @Test
    void aKeepAliveConnectionIsStillReadAfterABufferedRequestIsAnsweredAtOnce() throws IOException {
        try (var connection = new RawHttpConnection(port, Duration.ofSeconds(10))) {
            connection.send(RawHttpConnection.get("/v3/api-docs"), RawHttpConnection.get(protectedPath()));
            assertThat(connection.readStatus()).isEqualTo(200);
            assertThat(connection.readStatus()).isEqualTo(401);

            connection.send(RawHttpConnection.get("/v3/api-docs"));
            assertThat(connection.readStatus()).isEqualTo(200);
        }
    }
}
