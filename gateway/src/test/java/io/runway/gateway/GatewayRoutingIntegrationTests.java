package io.runway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.ManagementClient;
import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.RealInfrastructure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "20s")
@RealInfrastructure
class GatewayRoutingIntegrationTests {

    @RegisterExtension
    static final Upstream RUN = new Upstream("run");

    @RegisterExtension
    static final Upstream WORKER = new Upstream("worker");

    @RegisterExtension
    static final Upstream ASSIGN = new Upstream("assign");

    static final String UUID_V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    static final String TOOL_KEY = "routing-tool-key";
    static final String ASSIGN_KEY = "routing-assign-key";
    static boolean seeded;

    @Autowired
    WebTestClient client;

    @Autowired
    Environment environment;

    @LocalManagementPort
    int managementPort;

    @LocalServerPort
    int port;

    @BeforeEach
    void seedServers() {
        if (!seeded) {
            var fixtures = GatewayFixtures.of(environment);
            fixtures.server(TOOL_KEY, "tool", "online");
            fixtures.server(ASSIGN_KEY, "assign", "active");
            seeded = true;
        }
    }

    /** Valid credentials for a path, by the gateway's authentication contract. */
    static void authenticate(String path, HttpHeaders headers) {
        if (path.startsWith("/api/v1/admin/")) {
            headers.set("X-Admin-Key", GatewayFixtures.ADMIN_KEY);
        } else if (path.matches("/api/v1/worker/(health|tasks|logs|callback).*")) {
            headers.set("X-API-Key", TOOL_KEY);
        } else if (path.startsWith("/api/v1/worker/")) {
            headers.set("X-API-Key", ASSIGN_KEY);
        } else {
            headers.setBearerAuth(GatewayFixtures.userJwt("user-1", "tenant-1"));
        }
    }

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        registry.add("app.services.run-url", RUN::url);
        registry.add("app.services.worker-url", WORKER::url);
        registry.add("app.services.assign-url", ASSIGN::url);
    }

    @ParameterizedTest
    @CsvSource({
        "POST, /api/v1/worker/health, worker",
        "GET, /api/v1/worker/tasks, worker",
        "PUT, /api/v1/worker/tasks/bulk, worker",
        "PUT, /api/v1/worker/tasks/0190f5c2-0000-7000-8000-000000000001, worker",
        "POST, /api/v1/worker/logs, worker",
        "POST, /api/v1/worker/callback/link/complete, worker",
        "GET, /api/v1/worker/servers, assign",
        "GET, /api/v1/worker/servers/available, assign",
        "GET, /api/v1/worker/requests/completable, assign",
        "PUT, /api/v1/worker/links/bulk-retry, assign",
        "GET, /api/v1/worker/sites, assign",
        "GET, /api/v1/worker/accounts, assign",
        "GET, /api/v1/worker/settings, assign",
        "POST, /api/v1/admin/servers, assign",
        "POST, /api/v1/automation/run/0190f5c2-0000-7000-8000-000000000001/start, run",
        "GET, /api/v1/automation/run/history, run",
        "GET, /api/v1/automation-runs, run",
        "POST, /api/v1/automation-runs/0190f5c2-0000-7000-8000-000000000001/retry, run",
        "GET, /api/v1/automations, run"
    })
    void eachRouteGroupReachesItsService(String method, String path, String service) {
        client.method(HttpMethod.valueOf(method))
                .uri(path)
                .headers(h -> authenticate(path, h))
                .header("X-Request-Id", "req-123")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .values("X-Request-Id", ids -> assertThat(ids).containsExactly("req-123"))
                .expectBody(String.class)
                .isEqualTo(service + " " + path + " req-123");
    }

    private WebTestClient.RequestHeadersSpec<?> tasksAsToolServer() {
        return client.get().uri("/api/v1/worker/tasks").header("X-API-Key", TOOL_KEY);
    }

    @Test
    void aRequestWithoutAnIdGetsARandomUuidThatTheServiceAndTheCallerBothSee() {
        var body = tasksAsToolServer()
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .value("X-Request-Id", id -> assertThat(id).matches(UUID_V4))
                .returnResult(String.class);
        var returned = body.getResponseHeaders().getFirst("X-Request-Id");
        assertThat(WORKER.lastHeader("X-Request-Id")).isEqualTo(returned);
        assertThat(body.getResponseBody().blockFirst()).isEqualTo("worker /api/v1/worker/tasks " + returned);
    }

    @Test
    void aMalformedRequestIdIsReplacedBeforeItReachesTheService() {
        tasksAsToolServer()
                .header("X-Request-Id", "not well formed!")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .value("X-Request-Id", id -> assertThat(id).matches(UUID_V4));
        assertThat(WORKER.lastHeader("X-Request-Id")).matches(UUID_V4);
    }

    @Test
    void hopByHopForwardingAndIdentityHeadersFromTheCallerNeverReachTheServiceAndTheRestPassUnchanged()
            throws IOException {
        var status = sendRaw(
                "GET /api/v1/worker/tasks HTTP/1.1",
                "Host: 127.0.0.1",
                "X-API-Key: " + TOOL_KEY,
                "Connection: keep-alive, X-Hop-Secret",
                "X-Hop-Secret: 1",
                "Keep-Alive: timeout=5",
                "TE: trailers",
                "Proxy-Authorization: Basic Zm9vOmJhcg==",
                "Forwarded: for=203.0.113.9",
                "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-Host: elsewhere.example",
                "X-User-Id: someone-else",
                "X-Internal-Token: forged",
                "X-Custom: kept as sent",
                "Accept: text/plain",
                "Cookie: theme=dark; vai_token=not-for-services; lang=vi");

        assertThat(status).isEqualTo("HTTP/1.1 200 OK");
        for (var name : List.of(
                "x-hop-secret",
                "keep-alive",
                "te",
                "proxy-authorization",
                "forwarded",
                "x-forwarded-for",
                "x-forwarded-host",
                "x-user-id",
                "x-api-key")) {
            assertThat(WORKER.lastHeader(name)).as(name).isNull();
        }
        assertThat(WORKER.lastHeader("x-custom")).isEqualTo("kept as sent");
        assertThat(WORKER.lastHeader("accept")).isEqualTo("text/plain");
        assertThat(WORKER.lastHeader("cookie")).isEqualTo("theme=dark; lang=vi");
        assertThat(WORKER.lastHeader("x-internal-token")).isNotEqualTo("forged").contains(".");
        assertThat(WORKER.lastHeader("x-request-id")).matches(UUID_V4);
    }

    @Test
    void aServicesHopByHopHeadersStayBetweenItAndTheGateway() {
        client.get()
                .uri("/api/v1/worker/tasks/hop")
                .header("X-API-Key", TOOL_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .doesNotExist("Proxy-Authenticate")
                .expectHeader()
                .doesNotExist("Keep-Alive")
                .expectHeader()
                .valueEquals("X-Kept", "yes");
    }

    /** Sends one request as written, on a connection of its own, and returns the status line of the answer. */
    private String sendRaw(String... lines) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var request = String.join("\r\n", lines) + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            var reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            return reader.readLine();
        }
    }

    @Test
    void aRequestWithoutATraceStartsOneThatTheServiceContinues() {
        tasksAsToolServer().exchange().expectStatus().isOk();
        assertThat(WORKER.lastHeader("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    }

    @Test
    void aCallersB3HeadersAreNotReadAndNotPassedOnTheServiceGetsANewW3cTrace() {
        var b3Trace = "463ac35c9f6413ad48485a3953bb6124";
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .header("X-B3-TraceId", b3Trace)
                .header("X-B3-SpanId", "a2fb4a1d1a96d312")
                .header("X-B3-Sampled", "1")
                .header("b3", b3Trace + "-a2fb4a1d1a96d312-1")
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(WORKER.lastHeader("traceparent"))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")
                .doesNotContain(b3Trace);
        assertThat(WORKER.lastHeader("b3")).isNull();
        assertThat(WORKER.lastHeader("X-B3-TraceId")).isNull();
    }

    @Test
    void aCallersBaggageReachesTheServiceUnchanged() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .header("baggage", "campaign=spring-sale,region=eu")
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(WORKER.lastHeader("baggage")).isEqualTo("campaign=spring-sale,region=eu");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void anAnswerTheGatewayMadeIsLoggedWithItsRequestIdAndAProxiedSuccessIsLeftToTheService(CapturedOutput output) {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-Request-Id", "req-access-log-1")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .header("X-Request-Id", "req-access-log-2")
                .exchange()
                .expectStatus()
                .isOk();

        awaitUnauthorizedTasksLine(output, "\"requestId\":\"req-access-log-1\"");
        assertThat(output.getOut()).doesNotContain("GET /api/v1/worker/tasks 200");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aCallersTraceIsContinuedToTheServiceAndNamedInTheGatewaysLogLines(CapturedOutput output) {
        var trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        var traceparent = "00-" + trace + "-00f067aa0ba902b7-01";
        tasksAsToolServer()
                .header("traceparent", traceparent)
                .exchange()
                .expectStatus()
                .isOk();
        var forwarded = WORKER.lastHeader("traceparent");
        assertThat(forwarded).startsWith("00-" + trace + "-").endsWith("-01").doesNotContain("00f067aa0ba902b7");

        awaitRefusalLoggedWithTrace(output, traceparent, trace);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aCallersUnsampledTraceIsContinuedUnsampledWithItsStateAndNamedInTheGatewaysLogLines(CapturedOutput output) {
        var trace = "5bf92f3577b34da6a3ce929d0e0e4737";
        var traceparent = "00-" + trace + "-00f067aa0ba902b7-00";
        tasksAsToolServer()
                .header("traceparent", traceparent)
                .header("tracestate", "vendor=opaque")
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(WORKER.lastHeader("traceparent"))
                .matches("00-" + trace + "-[0-9a-f]{16}-00")
                .doesNotContain("00f067aa0ba902b7");
        assertThat(WORKER.lastHeader("tracestate")).isEqualTo("vendor=opaque");

        awaitRefusalLoggedWithTrace(output, traceparent, trace);
    }

    /** Sends the task list a request with this trace and no key, and waits for its 401 line naming the trace. */
    private void awaitRefusalLoggedWithTrace(CapturedOutput output, String traceparent, String trace) {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("traceparent", traceparent)
                .exchange()
                .expectStatus()
                .isUnauthorized();
        awaitUnauthorizedTasksLine(output, "\"traceId\":\"" + trace + "\"", "\"spanId\":\"");
    }

    /** Waits for the gateway's access line of a 401 on the task list that contains every fragment. */
    private static void awaitUnauthorizedTasksLine(CapturedOutput output, String... fragments) {
        Polling.until(java.time.Duration.ofSeconds(5), () -> output.getOut()
                .lines()
                .anyMatch(line -> line.contains("GET /api/v1/worker/tasks 401")
                        && java.util.Arrays.stream(fragments).allMatch(line::contains)));
    }

    @ParameterizedTest
    @CsvSource({"run, run", "worker, worker", "assign, assign"})
    void eachServicesApiDescriptionIsPublicAndForwardedWithoutCredentials(String document, String service) {
        var upstream =
                switch (service) {
                    case "run" -> RUN;
                    case "worker" -> WORKER;
                    default -> ASSIGN;
                };
        client.get()
                .uri("/v3/api-docs/" + document)
                .header("X-Internal-Token", "forged-by-the-caller")
                .header("X-API-Key", TOOL_KEY)
                .header("X-Request-Id", "req-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo(service + " /v3/api-docs req-docs");
        assertThat(upstream.lastHeader("X-Internal-Token")).isNull();
        assertThat(upstream.lastHeader("X-API-Key")).isNull();
        client.get().uri("/v3/api-docs/nothing").exchange().expectStatus().isNotFound();
    }

    @Test
    void unknownPathsAreNotRouted() {
        client.get().uri("/api/v1/worker/unknown").exchange().expectStatus().isNotFound();
    }

    @Test
    void aRequestWithoutAnIdGetsOneThatReachesTheService() {
        client.get()
                .uri("/api/v1/worker/tasks")
                .header("X-API-Key", TOOL_KEY)
                .exchange()
                .expectBody(String.class)
                .value(body -> assertThat(body).matches("worker /api/v1/worker/tasks [0-9a-f-]{36}"));
    }

    @ParameterizedTest
    @CsvSource({"/api/v1/automation/run/r1/sse", "/api/v1/automation-runs/r1/events"})
    void eventStreamsPassThroughUnbuffered(String path) {
        var events = GatewayFixtures.eventStream(client, path, h -> authenticate(path, h));

        // The upstream holds its second event until the first one has reached the client through the gateway.
        StepVerifier.create(events)
                .expectNext("first")
                .then(RUN.releaseSecondEvent::tryEmitEmpty)
                .expectNext("second")
                .thenCancel()
                .verify(Duration.ofSeconds(15));
    }

    @Test
    void readinessIsUpWithPostgresAndHealthShowsRedisOnTheManagementPortOnly() {
        var management = ManagementClient.on(managementPort);
        management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.components.r2dbc.status")
                .isEqualTo("UP");
        management
                .get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.redis.status")
                .isEqualTo("UP");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/actuator",
                "/actuator/health",
                "/actuator/health/readiness",
                "/actuator/prometheus",
                "/actuator/metrics",
                "/actuator/gateway/routes",
                "/actuator/env"
            })
    void thePublicPortServesNoManagementEndpoint(String path) {
        client.get().uri(path).exchange().expectStatus().isNotFound();
    }
}
