package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalTokenVerifier;
import io.runway.common.testsupport.RealInfrastructure;
import java.time.Duration;
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

/** Console sign-in with the admin key (issue 13): the cookie opens the admin API, and only from the console's origin. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.cors.allowed-origins=https://app.example.com", "GATEWAY_RESPONSE_TIMEOUT=500ms"})
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class AdminSessionIntegrationTests {

    @RegisterExtension
    static final Upstream ASSIGN = new Upstream("assign");

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @Autowired
    WebTestClient client;

    @Autowired
    Environment environment;

    @Autowired
    InternalTokenVerifier verifier;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.assign-url", ASSIGN::url);
        registry.add("app.services.run-url", RUN::url);
    }

    @BeforeEach
    void migrate() {
        GatewayFixtures.of(environment);
    }

    @Test
    void theAdminKeyOpensASessionWhoseCookieHoldsAGatewayTokenAndNeverTheKey() {
        var result = signInWithTheAdminKey()
                .expectBody()
                .jsonPath("$.role")
                .isEqualTo("admin")
                .jsonPath("$.expiresAt")
                .isNotEmpty()
                .returnResult();
        var setCookie = result.getResponseHeaders().getFirst("Set-Cookie");
        assertThat(setCookie)
                .startsWith("vai_token=")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .doesNotContain(GatewayFixtures.ADMIN_KEY);
        assertThat(new String(result.getResponseBodyContent())).doesNotContain(GatewayFixtures.ADMIN_KEY);
        var session = cookieValue(setCookie);

        client.get()
                .uri("/api/v1/admin/servers")
                .cookie("vai_token", session)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(verifier.verify(ASSIGN.lastHeader("X-Internal-Token")))
                .isEqualTo(CallerPrincipal.admin("admin-key"));
        assertThat(ASSIGN.lastHeader("Cookie")).isNull();

        client.get()
                .uri("/api/v1/session")
                .cookie("vai_token", session)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.role")
                .isEqualTo("admin");
    }

    @Test
    void aWrongAdminKeyGetsNoCookie() {
        client.post()
                .uri("/api/v1/session")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"adminKey\": \"not-the-key\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .doesNotExist("Set-Cookie")
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.message")
                .isEqualTo("Invalid admin key");
    }

    @Test
    void anAdminSessionIsNoUserOfTheRunApisAndAUserCookieIsNoAdmin() {
        var session = adminSession();
        client.get()
                .uri("/api/v1/automation-runs")
                .cookie("vai_token", session)
                .exchange()
                .expectStatus()
                .isUnauthorized();
        client.get()
                .uri("/api/v1/admin/servers")
                .cookie("vai_token", GatewayFixtures.userJwt("user-a1", "tenant-a"))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void anAdminJwtSignsInAsAnOperator() {
        client.post()
                .uri("/api/v1/session")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"token\": \"" + GatewayFixtures.adminJwt() + "\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.role")
                .isEqualTo("admin")
                .jsonPath("$.userId")
                .isEqualTo("op-1")
                .jsonPath("$.tenant")
                .isEqualTo("ops");
    }

    @Test
    void adminChangesWithTheCookieComeOnlyFromTheConsolesOwnOrigin() {
        var session = adminSession();
        int before = ASSIGN.requests.get();
        for (var origin : new String[] {"https://evil.example", "https://app.example.com"}) {
            client.put()
                    .uri("/api/v1/admin/requests/0190f5c2-0000-7000-8000-000000000001")
                    .cookie("vai_token", session)
                    .header("Origin", origin)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"status\": \"pending\"}")
                    .exchange()
                    .expectStatus()
                    .isForbidden();
        }
        client.put()
                .uri("/api/v1/admin/requests/0190f5c2-0000-7000-8000-000000000001")
                .cookie("vai_token", session)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"status\": \"pending\"}")
                .exchange()
                .expectStatus()
                .isForbidden();
        assertThat(ASSIGN.requests.get()).isEqualTo(before);
    }

    @Test
    void theAdminFeedIsRoutedToAssignService() {
        client.get()
                .uri("/api/v1/admin/feed/fleet")
                .cookie("vai_token", adminSession())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).startsWith("assign /api/v1/admin/feed/fleet"));
        assertThat(verifier.verify(ASSIGN.lastHeader("X-Internal-Token")))
                .isEqualTo(CallerPrincipal.admin("admin-key"));
    }

    @Test
    void theAdminFeedOutlivesTheRouteTimeout() {
        var events = client.get()
                .uri("/api/v1/admin/feed/events")
                .cookie("vai_token", adminSession())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(String.class)
                .getResponseBody();

        ASSIGN.verifyHeldStream(events, Duration.ofSeconds(1));
    }

    @Test
    void withoutACookieTheSessionIsUnknown() {
        client.get().uri("/api/v1/session").exchange().expectStatus().isUnauthorized();
    }

    private WebTestClient.ResponseSpec signInWithTheAdminKey() {
        return client.post()
                .uri("/api/v1/session")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"adminKey\": \"" + GatewayFixtures.ADMIN_KEY + "\"}")
                .exchange()
                .expectStatus()
                .isOk();
    }

    private String adminSession() {
        var setCookie = signInWithTheAdminKey()
                .expectBody()
                .returnResult()
                .getResponseHeaders()
                .getFirst("Set-Cookie");
        return cookieValue(setCookie);
    }

    private static String cookieValue(String setCookie) {
        return setCookie.substring("vai_token=".length(), setCookie.indexOf(';'));
    }
}
