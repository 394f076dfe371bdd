package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalTokenVerifier;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What browsers need: a session cookie, CSRF protection for it, and CORS for listed origins (issues 11 and 13). */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "app.cors.allowed-origins=https://app.example.com")
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class BrowserIntegrationTests {

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    static final String RUN_ID = "0190f5c2-0000-7000-8000-000000000001";
    static final String ALLOWED = "https://app.example.com";

    @Autowired
    WebTestClient client;

    @Autowired
    Environment environment;

    @Autowired
    InternalTokenVerifier verifier;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
    }

    @BeforeEach
    void migrate() {
        GatewayFixtures.of(environment);
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieThatOpensBothRunFaces() {
        var token = GatewayFixtures.userJwt("user-b1", "tenant-b");

        var cookie = client.post()
                .uri("/api/v1/session")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"token\": \"" + token + "\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.userId")
                .isEqualTo("user-b1")
                .jsonPath("$.tenant")
                .isEqualTo("tenant-b")
                .returnResult()
                .getResponseHeaders()
                .getFirst("Set-Cookie");

        assertThat(cookie)
                .startsWith("vai_token=" + token)
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/api/")
                .doesNotContain("Secure");
        for (var path : List.of("/api/v1/automation/run/active", "/api/v1/automation-runs/" + RUN_ID)) {
            client.get()
                    .uri(path)
                    .cookie("vai_token", token)
                    .exchange()
                    .expectStatus()
                    .isOk();
            assertThat(verifier.verify(RUN.lastHeader("X-Internal-Token")))
                    .isEqualTo(CallerPrincipal.user("user-b1", "tenant-b"));
        }
    }

    @Test
    void aBadTokenGetsNoCookieAndSignOutClearsIt() {
        var expired = GatewayFixtures.jwt(
                GatewayFixtures.JWT_SECRET, "u", "t", List.of(), Instant.now().minus(Duration.ofHours(1)));
        client.post()
                .uri("/api/v1/session")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"token\": \"" + expired + "\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .doesNotExist("Set-Cookie")
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("unauthorized");
        client.post()
                .uri("/api/v1/session")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isUnauthorized();

        client.delete()
                .uri("/api/v1/session")
                .exchange()
                .expectStatus()
                .isNoContent()
                .expectHeader()
                .value(
                        "Set-Cookie",
                        c -> assertThat(c).startsWith("vai_token=;").contains("Max-Age=0"));
    }

    @Test
    void aCookieAuthenticatedChangeFromAnotherSiteIsRefusedAndReachesNothing() {
        var token = GatewayFixtures.userJwt("user-b2", "tenant-b");
        int before = RUN.requests.get();

        for (var origin : List.of("https://evil.example", "null")) {
            client.post()
                    .uri("/api/v1/automation-runs/" + RUN_ID + "/cancel")
                    .cookie("vai_token", token)
                    .header("Origin", origin)
                    .contentType(MediaType.TEXT_PLAIN)
                    .bodyValue("{}")
                    .exchange()
                    .expectStatus()
                    .isForbidden()
                    .expectBody()
                    .jsonPath("$.detail")
                    .isNotEmpty();
        }
        client.post()
                .uri("/api/v1/automation/run/" + RUN_ID + "/stop")
                .cookie("vai_token", token)
                .exchange()
                .expectStatus()
                .isForbidden();
        assertThat(RUN.requests.get()).isEqualTo(before);

        client.post()
                .uri("/api/v1/automation-runs/" + RUN_ID + "/cancel")
                .cookie("vai_token", token)
                .header("Origin", ALLOWED)
                .exchange()
                .expectStatus()
                .isOk();
        client.post()
                .uri("/api/v1/automation/run/" + RUN_ID + "/stop")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void aListedOriginGetsItsPreflightWithoutCredentialsAndReadsTheRateLimitHeaders() {
        client.options()
                .uri("/api/v1/automation/run/" + RUN_ID + "/start")
                .header("Origin", ALLOWED)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .exchange()
                .expectStatus()
                .isNoContent()
                .expectHeader()
                .valueEquals("Access-Control-Allow-Origin", ALLOWED)
                .expectHeader()
                .valueEquals("Access-Control-Allow-Credentials", "true");

        client.post()
                .uri("/api/v1/automation/run/" + RUN_ID + "/start")
                .header("Origin", ALLOWED)
                .cookie("vai_token", GatewayFixtures.userJwt("user-b3", "tenant-b"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("Access-Control-Allow-Origin", ALLOWED)
                .expectHeader()
                .value("Access-Control-Expose-Headers", h -> assertThat(h).contains("RateLimit-Remaining"))
                .expectHeader()
                .exists("RateLimit-Remaining");
    }

    @Test
    void anUnlistedOriginIsRefusedEvenWithAValidBearerToken() {
        client.options()
                .uri("/api/v1/automation/run/active")
                .header("Origin", "https://other.example")
                .header("Access-Control-Request-Method", "GET")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .doesNotExist("Access-Control-Allow-Origin");
        client.get()
                .uri("/api/v1/automation/run/active")
                .header("Origin", "https://other.example")
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-b4", "tenant-b")))
                .exchange()
                .expectStatus()
                .isForbidden();
    }
}
