package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.auth.CallerPrincipal;
import io.runway.common.auth.InternalTokenVerifier;
import io.runway.common.auth.PrincipalKind;
import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class GatewayAuthenticationIntegrationTests {

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @RegisterExtension
    static final Upstream WORKER = new Upstream("worker");

    @RegisterExtension
    static final Upstream ASSIGN = new Upstream("assign");

    static final String TOOL_KEY = "tool-key-" + UUID.randomUUID();
    static final String ASSIGN_KEY = "assign-key-" + UUID.randomUUID();
    static final String OFFLINE_KEY = "offline-key-" + UUID.randomUUID();
    static final String MAINTENANCE_KEY = "maintenance-key-" + UUID.randomUUID();
    static GatewayFixtures fixtures;
    static String toolServerId;
    static String assignServerId;

    @Autowired
    WebTestClient client;

    @Autowired
    Environment environment;

    @Autowired
    InternalTokenVerifier verifier;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Value("${app.redis.key-prefix}")
    String keyPrefix;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
        registry.add("app.services.worker-url", WORKER::url);
        registry.add("app.services.assign-url", ASSIGN::url);
    }

    @BeforeEach
    void seedServers() {
        if (fixtures == null) {
            fixtures = GatewayFixtures.of(environment);
            toolServerId = fixtures.server(TOOL_KEY, "tool", "online");
            assignServerId = fixtures.server(ASSIGN_KEY, "assign", "active");
            fixtures.server(OFFLINE_KEY, "tool", "offline");
            fixtures.server(MAINTENANCE_KEY, "assign", "maintenance");
        }
    }

    CallerPrincipal forwardedPrincipal(Upstream upstream) {
        return verifier.verify(upstream.lastHeader("X-Internal-Token"));
    }

    // --- WorkerAndAssignApis ---

    @Test
    void aToolServerKeyOpensTheWorkerApiAndIsForwardedAsThatServer() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(forwardedPrincipal(WORKER)).isEqualTo(CallerPrincipal.server(toolServerId, "tool"));
        assertThat(WORKER.lastHeader("X-API-Key")).isNull();
    }

    @Test
    void anAssignServerKeyOpensBothApis() {
        client.get()
                .uri("/api/v1/worker/links/stale")
                .header("X-API-Key", ASSIGN_KEY)
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(forwardedPrincipal(ASSIGN)).isEqualTo(CallerPrincipal.server(assignServerId, "assign"));

        client.post()
                .uri("/api/v1/worker/health")
                .header("X-API-Key", ASSIGN_KEY)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void aToolServerKeyIsRefusedOnTheAssignApi() {
        int before = ASSIGN.requests.get();
        client.get()
                .uri("/api/v1/worker/servers")
                .header("X-API-Key", TOOL_KEY)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.error")
                .isEqualTo("unauthorized")
                .jsonPath("$.message")
                .isEqualTo("API key is not an assign server's key");
        assertThat(ASSIGN.requests.get()).isEqualTo(before);
    }

    @Test
    void aMissingKeyIsRefused() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("Missing X-API-Key header");
    }

    @Test
    void anUnknownKeyIsRefused() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", "not-a-key")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("Invalid API key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"offline", "maintenance"})
    void aServerThatIsNotOnlineOrActiveIsRefused(String status) {
        var key = status.equals("offline") ? OFFLINE_KEY : MAINTENANCE_KEY;
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", key)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("Server is not online or active");
    }

    @Test
    void aServerChangedEventEvictsTheCachedKeyAtOnce() {
        var key = "changing-key-" + UUID.randomUUID();
        var id = fixtures.server(key, "tool", "online");
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", key)
                .exchange()
                .expectStatus()
                .isOk();

        fixtures.setStatus(id, "inactive");
        var event = "{\"type\":\"server.changed\",\"server_id\":\"" + id + "\",\"at\":\"" + Instant.now() + "\"}";
        // The cache would trust the key for 30 s more; the event must make the change visible well before that.
        Polling.until(Duration.ofSeconds(10), () -> {
            redis.convertAndSend(keyPrefix + "likepion:events", event).block();
            return client.get()
                            .uri("/api/v1/worker/tasks")
                            .header("X-API-Key", key)
                            .exchange()
                            .expectBody()
                            .returnResult()
                            .getStatus()
                            .value()
                    == 401;
        });
    }

    // --- RunFaces ---

    @Test
    void aBearerTokenIsForwardedAsItsUserAndTenant() {
        client.get()
                .uri("/api/v1/automation/run/history")
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-7", "tenant-a")))
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(forwardedPrincipal(RUN)).isEqualTo(CallerPrincipal.user("user-7", "tenant-a"));
        assertThat(RUN.lastHeader("Authorization")).isNull();
    }

    @Test
    void theSocialKingFaceTakesABearerTokenOrTheBrowsersCookie() {
        client.get()
                .uri("/api/v1/automation/run/active")
                .cookie("vai_token", GatewayFixtures.userJwt("user-7", "tenant-a"))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(forwardedPrincipal(RUN)).isEqualTo(CallerPrincipal.user("user-7", "tenant-a"));
        assertThat(RUN.lastHeader("Cookie")).isNull();

        client.get()
                .uri("/api/v1/automation/run/active")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("WWW-Authenticate", "Bearer")
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.message")
                .isEqualTo("Bearer token or vai_token cookie required");
    }

    @Test
    void anExpiredTokenIsRefused() {
        var expired = GatewayFixtures.jwt(
                GatewayFixtures.JWT_SECRET,
                "user-7",
                "tenant-a",
                List.of(),
                Instant.now().minus(Duration.ofMinutes(5)));
        client.get()
                .uri("/api/v1/automation/run/active")
                .headers(h -> h.setBearerAuth(expired))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("Token has expired");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        var forged = GatewayFixtures.jwt(
                "another-secret-another-secret-another-secret",
                "user-7",
                "tenant-a",
                List.of("admin"),
                Instant.now().plus(Duration.ofHours(1)));
        client.get()
                .uri("/api/v1/automation/run/active")
                .headers(h -> h.setBearerAuth(forged))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("Invalid token");
    }

    @Test
    void aTokenWithoutTenantIsRefused() {
        var noTenant = GatewayFixtures.jwt(
                GatewayFixtures.JWT_SECRET,
                "user-7",
                null,
                List.of(),
                Instant.now().plusSeconds(600));
        client.get()
                .uri("/api/v1/automation/run/active")
                .headers(h -> h.setBearerAuth(noTenant))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void theGenericFaceAcceptsTheVaiTokenCookieAndDropsItDownstream() {
        client.get()
                .uri("/api/v1/automation-runs")
                .cookie("vai_token", GatewayFixtures.userJwt("user-8", "tenant-b"))
                .cookie("theme", "dark")
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(forwardedPrincipal(RUN)).isEqualTo(CallerPrincipal.user("user-8", "tenant-b"));
        assertThat(RUN.lastHeader("Cookie")).isEqualTo("theme=dark");
    }

    @Test
    void theGenericFaceAcceptsAUserTokenInXApiKey() {
        client.get()
                .uri("/api/v1/automations")
                .header("X-API-Key", GatewayFixtures.userJwt("user-9", "tenant-c"))
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(forwardedPrincipal(RUN)).isEqualTo(CallerPrincipal.user("user-9", "tenant-c"));
    }

    @Test
    void theGenericFaceRefusesAServerKeyInItsOwnErrorShape() {
        client.get()
                .uri("/api/v1/automation-runs/0190f5c2-0000-7000-8000-000000000001")
                .header("X-API-Key", TOOL_KEY)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("X-API-Key here must be a user API token; server keys are not accepted")
                .jsonPath("$.success")
                .doesNotExist();
    }

    @Test
    void theGenericFaceWithoutCredentialsAnswersWithDetail() {
        client.get()
                .uri("/api/v1/automation-runs")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("Authorization, X-API-Key or vai_token cookie required");
    }

    // --- AdminApi ---

    @Test
    void theAdminKeyIsForwardedAsAnAdmin() {
        client.post()
                .uri("/api/v1/admin/servers")
                .header("X-Admin-Key", GatewayFixtures.ADMIN_KEY)
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(forwardedPrincipal(ASSIGN).kind()).isEqualTo(PrincipalKind.ADMIN);
        assertThat(ASSIGN.lastHeader("X-Admin-Key")).isNull();
    }

    @Test
    void aWrongAdminKeyIsRefused() {
        client.post()
                .uri("/api/v1/admin/servers")
                .header("X-Admin-Key", "guess")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void aJwtWithTheAdminRoleIsAnAdmin() {
        client.get()
                .uri("/api/v1/admin/servers")
                .headers(h -> h.setBearerAuth(GatewayFixtures.adminJwt()))
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(forwardedPrincipal(ASSIGN)).isEqualTo(CallerPrincipal.admin("op-1"));
    }

    @Test
    void aUserJwtIsForbidden() {
        client.get()
                .uri("/api/v1/admin/servers")
                .headers(h -> h.setBearerAuth(GatewayFixtures.userJwt("user-7", "tenant-a")))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("forbidden");
    }

    @Test
    void aServerKeyIsNotAnAdminCredential() {
        client.get()
                .uri("/api/v1/admin/servers")
                .header("X-API-Key", ASSIGN_KEY)
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void theDemoTokensScriptMintsTokensTheGatewayAccepts() throws Exception {
        var process = new ProcessBuilder("../deploy/local/demo-tokens.sh")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.PIPE);
        process.environment().put("JWT_SECRET", GatewayFixtures.JWT_SECRET);
        var started = process.start();
        var tokens = new java.util.HashMap<String, String>();
        new String(started.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .forEach(line ->
                        tokens.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertThat(started.waitFor()).isZero();
        assertThat(tokens).containsOnlyKeys("USER_TOKEN", "USER_TOKEN_OTHER_TENANT", "ADMIN_TOKEN");

        client.get()
                .uri("/api/v1/automation/run/history")
                .headers(h -> h.setBearerAuth(tokens.get("USER_TOKEN_OTHER_TENANT")))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(forwardedPrincipal(RUN)).isEqualTo(CallerPrincipal.user("other-user", "other-tenant"));
        client.get()
                .uri("/api/v1/admin/servers")
                .headers(h -> h.setBearerAuth(tokens.get("ADMIN_TOKEN")))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void identityHeadersFromOutsideAreReplacedByTheGatewaysOwn() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .header("X-Internal-Token", TestTokens.admin())
                .header("X-User-Id", "someone-else")
                .header("X-Tenant-Id", "other-tenant")
                .header("Authorization", "Bearer " + GatewayFixtures.adminJwt())
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(forwardedPrincipal(WORKER)).isEqualTo(CallerPrincipal.server(toolServerId, "tool"));
        assertThat(WORKER.lastHeader("X-User-Id")).isNull();
        assertThat(WORKER.lastHeader("X-Tenant-Id")).isNull();
        assertThat(WORKER.lastHeader("Authorization")).isNull();
    }

    @Test
    void authenticationFailuresAreCountedPerRouteAndReason() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", "nope")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .returnResult();

        assertThat(meters.get("gateway.auth.failures")
                        .tags("route", "worker-api", "reason", "invalid_api_key")
                        .counter()
                        .count())
                .isPositive();
        assertThat(meters.get("gateway.requests")
                        .tags("route", "worker-api", "outcome", "auth_failure")
                        .timer()
                        .count())
                .isPositive();
    }
}
