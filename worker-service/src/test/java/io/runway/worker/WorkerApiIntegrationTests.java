package io.runway.worker;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static io.runway.worker.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import io.runway.worker.log.LogRetention;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.worker.heartbeat-flush-interval=100ms", "app.worker.server-cache-ttl=200ms"})
@AutoConfigureWebTestClient
@RealInfrastructure
class WorkerApiIntegrationTests {

    private static final String API = "/api/v1/worker";

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ReactiveRedisConnectionFactory redis;

    @Value("${app.redis.key-prefix}")
    String prefix;

    Fixtures fixtures;
    UUID server;
    UUID other;
    UUID request;

    @BeforeEach
    void setUp() {
        fixtures = new Fixtures(db);
        server = fixtures.server("tool", "tool", "online");
        other = fixtures.server("other", "tool", "active");
        request = fixtures.request("Campaign A");
    }

    WebTestClient.RequestHeadersSpec<?> get(String uri) {
        return client.get().uri(API + uri).header("X-Internal-Token", token(server, "tool"));
    }

    WebTestClient.ResponseSpec put(String uri, String json) {
        return send(client.put(), uri, json, server);
    }

    WebTestClient.ResponseSpec post(String uri, String json) {
        return send(client.post(), uri, json, server);
    }

    WebTestClient.ResponseSpec send(WebTestClient.RequestBodyUriSpec method, String uri, String json, UUID as) {
        return method.uri(API + uri)
                .header("X-Internal-Token", token(as, "tool"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }

    // ---- Identity

    @Test
    void whenNoInternalTokenThenUnauthorizedInLikepionShape() {
        expectError(client.get().uri(API + "/tasks").exchange(), 401, "unauthorized");
    }

    @Test
    void whenServerIsOfflineThenUnauthorized() {
        var offline = fixtures.server("off", "tool", "offline");
        expectError(
                client.get()
                        .uri(API + "/tasks")
                        .header("X-Internal-Token", token(offline, "tool"))
                        .exchange(),
                401,
                "unauthorized");
    }

    @Test
    void whenServerIsDeactivatedThenItIsRefusedWithinTheCacheTtl() throws Exception {
        get("/tasks").exchange().expectStatus().isOk();
        db.sql("UPDATE servers SET status = 'maintenance' WHERE id = :id")
                .bind("id", server)
                .then()
                .block();
        Polling.value(
                Duration.ofSeconds(5),
                () -> get("/tasks")
                                        .exchange()
                                        .returnResult(String.class)
                                        .getStatus()
                                        .value()
                                == 401
                        ? true
                        : null);
    }

    @Test
    void whenServerIsUnknownThenUnauthorized() {
        expectError(
                client.get()
                        .uri(API + "/tasks")
                        .header("X-Internal-Token", token(UUID.randomUUID(), "tool"))
                        .exchange(),
                401,
                "unauthorized");
    }

    @Test
    void whenCallerIsNotAServerThenUnauthorized() {
        expectError(
                client.get()
                        .uri(API + "/tasks")
                        .header("X-Internal-Token", TestTokens.admin())
                        .exchange(),
                401,
                "unauthorized");
    }

    // ---- Heartbeat

    @Test
    void heartbeatAnswersAtOnceAndIsStoredAndPublished() throws Exception {
        try (var events = new RedisEvents(redis, prefix + "likepion:events")) {
            post(
                            "/health",
                            """
                            {"server_name":"reported-name","ip":"192.168.1.100","cpu_usage":45.5,"ram_usage":60.2,
                             "disk_usage":30.0,"active_threads":5,"active_tasks":12}
                            """)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.success")
                    .isEqualTo(true)
                    .jsonPath("$.data.status")
                    .isEqualTo("ok")
                    .jsonPath("$.data.server_id")
                    .isEqualTo(server.toString())
                    .jsonPath("$.data.server_name")
                    .isEqualTo(fixtures.name(server))
                    .jsonPath("$.data.server_time")
                    .isNotEmpty();

            var health = Polling.value(Duration.ofSeconds(5), () -> fixtures.health(server));
            assertThat(health)
                    .containsEntry("reported_name", "reported-name")
                    .containsEntry("ip", "192.168.1.100")
                    .containsEntry("cpu_usage", 45.5f)
                    .containsEntry("active_threads", 5)
                    .containsEntry("active_tasks", 12);
            assertThat(health.get("last_health_check")).isNotNull();
            assertThat(health.get("last_active")).isNotNull();
            var event = events.await(m -> m.contains("\"heartbeat\"") && m.contains(server.toString()));
            assertThat(event).contains("\"server_id\":\"" + server + "\"").contains("\"at\":");
        }
    }

    @Test
    void manyHeartbeatsOfOneServerKeepTheLatest() throws Exception {
        for (int i = 1; i <= 20; i++) {
            post("/health", "{\"active_tasks\":" + i + "}").expectStatus().isOk();
        }
        Polling.value(Duration.ofSeconds(5), () -> {
            var health = fixtures.health(server);
            return health != null && Integer.valueOf(20).equals(health.get("active_tasks")) ? health : null;
        });
    }

    @Test
    void heartbeatWithoutBodyIsAccepted() {
        client.post()
                .uri(API + "/health")
                .header("X-Internal-Token", token(server, "tool"))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void whenBodyIsMalformedOrWronglyTypedThenBadRequest() {
        expectError(post("/health", "{\"cpu_usage\": "), 400, "invalid_request");
        expectError(post("/health", "{\"cpu_usage\": \"lots\"}"), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"server_name\":\"nul\\u0000inside\"}",
                "{\"ip\":\"10.0.0.1\\u0000\"}",
                "{\"server_name\":\"tab\\tinside\"}",
                "{\"cpu_usage\":1e39}",
                "{\"ram_usage\":-0.5}",
                "{\"disk_usage\":100.01}",
                "{\"active_threads\":-1}",
                "{\"active_tasks\":1000001}"
            })
    void heartbeatFieldsPostgresWouldRefuseAreRefusedAndNothingIsBuffered(String body) throws Exception {
        expectError(post("/health", body), 400, "invalid_request");
        expectError(post("/health", "{\"server_name\":\"" + "x".repeat(256) + "\"}"), 400, "invalid_request");

        send(client.post(), "/health", "{\"cpu_usage\": 1.0}", other)
                .expectStatus()
                .isOk();
        Polling.value(Duration.ofSeconds(5), () -> fixtures.health(other));
        assertThat(fixtures.health(server)).isNull();
    }

    // ---- ListTasks

    @Test
    void listsOnlyTheCallersPendingAndQueuedTasksWithEveryField() {
        var pending = fixtures.link(request, server, "pending");
        var queued = fixtures.link(request, server, "queued");
        fixtures.link(request, server, "completed");
        fixtures.link(request, other, "pending");
        fixtures.link(request, null, "pending");

        get("/tasks")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.server_id")
                .isEqualTo(server.toString())
                .jsonPath("$.server_name")
                .isEqualTo(fixtures.name(server))
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.page")
                .isEqualTo(1)
                .jsonPath("$.limit")
                .isEqualTo(100)
                .jsonPath("$.next_cursor")
                .isEqualTo(null)
                .jsonPath("$.data.length()")
                .isEqualTo(2)
                .jsonPath("$.data[0].id")
                .isEqualTo(pending.toString())
                .jsonPath("$.data[1].id")
                .isEqualTo(queued.toString())
                .jsonPath("$.data[0].request_id")
                .isEqualTo(request.toString())
                .jsonPath("$.data[0].service_type")
                .isEqualTo("entity")
                .jsonPath("$.data[0].site_name")
                .isEqualTo("example.com")
                .jsonPath("$.data[0].email")
                .isEqualTo("user@gmail.com")
                .jsonPath("$.data[0].username")
                .isEqualTo("user123")
                .jsonPath("$.data[0].password")
                .isEqualTo("pass123")
                .jsonPath("$.data[0].about")
                .isEqualTo("Bio text")
                .jsonPath("$.data[0].link_profile")
                .isEqualTo("")
                .jsonPath("$.data[0].status")
                .isEqualTo("pending")
                .jsonPath("$.data[0].retry_count")
                .isEqualTo(0)
                .jsonPath("$.data[0].max_retries")
                .isEqualTo(3)
                .jsonPath("$.data[0].details")
                .isEqualTo(null)
                .jsonPath("$.data[0].started_at")
                .isEqualTo(null)
                .jsonPath("$.data[0].created_at")
                .isNotEmpty()
                .jsonPath("$.data[0].request_name")
                .isEqualTo("Campaign A")
                .jsonPath("$.data[0].request_website")
                .isEqualTo("https://target.com")
                .jsonPath("$.data[0].type_request")
                .isEqualTo("normal")
                .jsonPath("$.data[0].auction_price")
                .isEqualTo(100)
                .jsonPath("$.data[0].config")
                .isEqualTo("{\"niche\": \"seo\", \"language\": \"en\"}");
    }

    @Test
    void offsetPagesCountTheTotalAndEndWithoutCursor() {
        var ids = IntStream.range(0, 5)
                .mapToObj(i -> fixtures.link(request, server, "pending"))
                .toList();
        get("/tasks?page=1&limit=2")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(5)
                .jsonPath("$.data[0].id")
                .isEqualTo(ids.get(0).toString())
                .jsonPath("$.next_cursor")
                .isEqualTo(ids.get(1).toString());
        get("/tasks?page=3&limit=2")
                .exchange()
                .expectBody()
                .jsonPath("$.page")
                .isEqualTo(3)
                .jsonPath("$.data.length()")
                .isEqualTo(1)
                .jsonPath("$.data[0].id")
                .isEqualTo(ids.get(4).toString())
                .jsonPath("$.next_cursor")
                .isEqualTo(null);
    }

    @Test
    void cursorPagesFollowEachOther() {
        var ids = IntStream.range(0, 5)
                .mapToObj(i -> fixtures.link(request, server, "queued"))
                .toList();
        get("/tasks?limit=3&after=" + ids.get(0))
                .exchange()
                .expectBody()
                .jsonPath("$.data[0].id")
                .isEqualTo(ids.get(1).toString())
                .jsonPath("$.next_cursor")
                .isEqualTo(ids.get(3).toString());
        get("/tasks?limit=3&after=" + ids.get(3))
                .exchange()
                .expectBody()
                .jsonPath("$.data.length()")
                .isEqualTo(1)
                .jsonPath("$.next_cursor")
                .isEqualTo(null);
    }

    @Test
    void filtersByStatusListAndServiceType() {
        fixtures.link(request, server, "pending");
        var running = fixtures.link(request, server, "running", "social", null);
        var completed = fixtures.link(request, server, "completed");
        get("/tasks?status=running,completed")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.data[0].id")
                .isEqualTo(running.toString())
                .jsonPath("$.data[1].id")
                .isEqualTo(completed.toString());
        get("/tasks?status=running,completed&service_type=social")
                .exchange()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.data[0].service_type")
                .isEqualTo("social");
    }

    @Test
    void whenParametersAreOutOfRangeOrUnknownThenBadRequest() {
        for (var query : List.of(
                "limit=0",
                "limit=1001",
                "limit=abc",
                "page=0",
                "page=-1",
                "status=pending,bogus",
                "after=not-a-uuid",
                "service_type=bogus")) {
            expectError(get("/tasks?" + query).exchange(), 400, "invalid_request");
        }
    }

    // ---- UpdateTask

    @Test
    void runningSetsStartedAtAndCompletedCountsOnceWithFieldsStored() throws Exception {
        var link = fixtures.link(request, server, "queued");
        try (var events = new RedisEvents(redis, prefix + "likepion:events")) {
            put("/tasks/" + link, "{\"status\":\"running\"}")
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.success")
                    .isEqualTo(true)
                    .jsonPath("$.data.updated")
                    .isEqualTo(true)
                    .jsonPath("$.data.link_id")
                    .isEqualTo(link.toString());
            assertThat(fixtures.row("links", link).get("started_at")).isNotNull();
            assertThat(events.await(m -> m.contains(link.toString()) && m.contains("\"running\"")))
                    .contains("\"type\":\"link.status\"")
                    .contains("\"request_id\":\"" + request + "\"")
                    .contains("\"server_id\":\"" + server + "\"");

            var completion =
                    """
                    {"status":"completed","link_profile":"https://example.com/profile/user123",
                     "link_post":"https://example.com/post/456","error_message":"","note":"done","is_indexed":true}
                    """;
            put("/tasks/" + link, completion).expectStatus().isOk();
            put("/tasks/" + link, completion).expectStatus().isOk();
            events.await(m -> m.contains(link.toString()) && m.contains("\"completed\""));
        }
        var row = fixtures.row("links", link);
        assertThat(row)
                .containsEntry("status", "completed")
                .containsEntry("link_profile", "https://example.com/profile/user123")
                .containsEntry("link_post", "https://example.com/post/456")
                .containsEntry("note", "done")
                .containsEntry("is_indexed", true)
                .containsEntry("counted", true);
        assertThat(row.get("completed_at")).isNotNull();
        assertThat(fixtures.row("requests", request)).containsEntry("created_links", 1);
    }

    @Test
    void failedStoresTheErrorAndRetryGoesBackToPendingWhileRetriesRemain() {
        var link = fixtures.link(request, server, "running");
        put("/tasks/" + link, "{\"status\":\"failed\",\"error_message\":\"Captcha failed\"}")
                .expectStatus()
                .isOk();
        assertThat(fixtures.row("links", link))
                .containsEntry("error_message", "Captcha failed")
                .extractingByKey("completed_at")
                .isNotNull();
        put("/tasks/" + link, "{\"status\":\"pending\"}").expectStatus().isOk();
        assertThat(fixtures.row("links", link))
                .containsEntry("status", "pending")
                .containsEntry("retry_count", 1)
                .containsEntry("server_id", null);
        get("/tasks")
                .exchange()
                .expectBody()
                .jsonPath("$.data[?(@.id == '" + link + "')]")
                .doesNotExist();

        var exhausted = fixtures.link(request, server, "failed");
        fixtures.setRetries(exhausted, 3, 3);
        expectError(put("/tasks/" + exhausted, "{\"status\":\"pending\"}"), 409, "invalid_transition");
    }

    @Test
    void connectPhaseMovesToConnectingAndCompletes() {
        var link = fixtures.link(request, server, "connect");
        put("/tasks/" + link, "{\"status\":\"connecting\"}").expectStatus().isOk();
        put("/tasks/" + link, "{\"status\":\"completed\"}").expectStatus().isOk();
        assertThat(fixtures.row("links", link)).containsEntry("status", "completed");
    }

    @Test
    void whenATextFieldHoldsANulCharacterThenBadRequestAndNothingChanges() {
        var link = fixtures.link(request, server, "running");

        expectError(
                put("/tasks/" + link, "{\"status\":\"failed\",\"error_message\":\"broke\\u0000here\"}"),
                400,
                "invalid_request");
        expectError(
                put(
                        "/tasks/bulk",
                        "{\"items\":[{\"link_id\":\"" + link + "\",\"status\":\"completed\",\"note\":\"a\\u0000\"}]}"),
                400,
                "invalid_request");

        assertThat(fixtures.row("links", link))
                .containsEntry("status", "running")
                .containsEntry("error_message", null)
                .containsEntry("note", null);
    }

    @Test
    void whenTransitionIsNotInTheFlowThenConflictAndNothingChanges() {
        var link = fixtures.link(request, server, "completed");
        expectError(put("/tasks/" + link, "{\"status\":\"running\",\"note\":\"x\"}"), 409, "invalid_transition");
        assertThat(fixtures.row("links", link))
                .containsEntry("status", "completed")
                .containsEntry("note", null);
        var canceled = fixtures.link(request, server, "canceled");
        expectError(put("/tasks/" + canceled, "{\"status\":\"pending\"}"), 409, "invalid_transition");
    }

    @Test
    void whenTaskBelongsToAnotherServerThenForbiddenAndUnchanged() {
        var link = fixtures.link(request, other, "running");
        var fenced = meters.counter("worker.writes.fenced").count();
        expectError(put("/tasks/" + link, "{\"status\":\"completed\"}"), 403, "not_your_task");
        assertThat(fixtures.row("links", link)).containsEntry("status", "running");
        assertThat(meters.counter("worker.writes.fenced").count() - fenced).isEqualTo(1);
    }

    @Test
    void whenTaskIsMissingThenNotFound() {
        expectError(put("/tasks/" + UUID.randomUUID(), "{\"status\":\"running\"}"), 404, "not_found");
    }

    @Test
    void whenIdStatusOrBodyIsBadThenBadRequest() {
        var link = fixtures.link(request, server, "queued");
        expectError(put("/tasks/not-a-uuid", "{\"status\":\"running\"}"), 400, "invalid_request");
        expectError(put("/tasks/" + link, "{\"status\":\"exploded\"}"), 400, "invalid_request");
        expectError(put("/tasks/" + link, "{\"status\":"), 400, "invalid_request");
        expectError(put("/tasks/" + link, "{\"is_indexed\":{\"a\":1}}"), 400, "invalid_request");
        assertThat(fixtures.row("links", link)).containsEntry("status", "queued");
    }

    // ---- BulkUpdate

    @Test
    void judgesEachItemOnItsOwn() {
        var ok = fixtures.link(request, server, "running");
        var also = fixtures.link(request, server, "running");
        var foreign = fixtures.link(request, other, "running");
        var done = fixtures.link(request, server, "completed");
        var missing = UUID.randomUUID();
        var body =
                """
                {"items":[
                  {"link_id":"%s","status":"completed","link_profile":"https://example.com/profile/1"},
                  {"link_id":"%s","status":"failed","error_message":"Captcha failed"},
                  {"link_id":"%s","status":"completed"},
                  {"link_id":"%s","status":"running"},
                  {"link_id":"%s","status":"completed"},
                  {"link_id":"nope","status":"completed"},
                  {"link_id":"%s","status":"weird"},
                  {"link_id":"%s","status":"completed"}
                ]}
                """
                        .formatted(ok, foreign, also, done, missing, also, also);
        put("/tasks/bulk", body)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(8)
                .jsonPath("$.success")
                .isEqualTo(2)
                .jsonPath("$.failed")
                .isEqualTo(6)
                .jsonPath("$.results[0].link_id")
                .isEqualTo(ok.toString())
                .jsonPath("$.results[0].success")
                .isEqualTo(true)
                .jsonPath("$.results[0].error")
                .doesNotExist()
                .jsonPath("$.results[1].error")
                .isEqualTo("not_your_task")
                .jsonPath("$.results[2].success")
                .isEqualTo(true)
                .jsonPath("$.results[3].error")
                .isEqualTo("invalid_transition")
                .jsonPath("$.results[4].error")
                .isEqualTo("not_found")
                .jsonPath("$.results[5].error")
                .isEqualTo("invalid")
                .jsonPath("$.results[6].error")
                .isEqualTo("invalid")
                .jsonPath("$.results[7].error")
                .isEqualTo("invalid");
        assertThat(fixtures.row("links", ok))
                .containsEntry("status", "completed")
                .containsEntry("link_profile", "https://example.com/profile/1");
        assertThat(fixtures.row("links", foreign)).containsEntry("status", "running");
        assertThat(fixtures.row("requests", request)).containsEntry("created_links", 2);
    }

    @Test
    void whenMoreThan500ItemsThenBadRequestAndNothingApplied() {
        var link = fixtures.link(request, server, "running");
        var items = new ArrayList<String>();
        for (int i = 0; i < 501; i++) {
            items.add("{\"link_id\":\"" + link + "\",\"status\":\"completed\"}");
        }
        expectError(put("/tasks/bulk", "{\"items\":[" + String.join(",", items) + "]}"), 400, "invalid_request");
        assertThat(fixtures.row("links", link)).containsEntry("status", "running");
    }

    @Test
    void whenItemsAreMissingOrBodyMalformedThenBadRequest() {
        expectError(put("/tasks/bulk", "{}"), 400, "invalid_request");
        expectError(put("/tasks/bulk", "{\"items\":[]}"), 400, "invalid_request");
        expectError(put("/tasks/bulk", "{\"items\":"), 400, "invalid_request");
        expectError(put("/tasks/bulk", "{\"items\":\"x\"}"), 400, "invalid_request");
    }

    // ---- Logs

    @Autowired
    LogRetention retention;

    @Test
    void storesABatchWithServerAndTime() {
        post(
                        "/logs",
                        """
                        {"logs":[{"level":"INFO","message":"Task started: uuid-123"},
                                 {"level":"ERROR","message":"Failed to solve captcha"},
                                 {"level":"WARN","message":"Slow response from site"}]}
                        """)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(true)
                .jsonPath("$.created")
                .isEqualTo(3);
        assertThat(fixtures.count(
                        "SELECT count(*) FROM worker_logs WHERE server_id = :id AND created_at IS NOT NULL", server))
                .isEqualTo(3);
    }

    @Test
    void whenAnyEntryIsBadOrTheBatchTooBigThenNothingIsStored() {
        expectError(
                post(
                        "/logs",
                        "{\"logs\":[{\"level\":\"INFO\",\"message\":\"a\"},{\"level\":\"LOUD\",\"message\":\"b\"}]}"),
                400,
                "invalid_request");
        expectError(post("/logs", "{\"logs\":[{\"level\":\"INFO\"}]}"), 400, "invalid_request");
        var many = String.join(",", java.util.Collections.nCopies(501, "{\"level\":\"INFO\",\"message\":\"m\"}"));
        expectError(post("/logs", "{\"logs\":[" + many + "]}"), 400, "invalid_request");
        expectError(post("/logs", "{}"), 400, "invalid_request");
        expectError(post("/logs", "{\"logs\":[{"), 400, "invalid_request");
        assertThat(fixtures.count("SELECT count(*) FROM worker_logs WHERE server_id = :id", server))
                .isZero();
    }

    @Test
    void purgeDeletesOnlyLogsOlderThanTheRetention() {
        var now = Instant.now();
        for (int i = 0; i < 7; i++) {
            fixtures.oldLog(server, now.minus(15 + i, ChronoUnit.DAYS));
        }
        fixtures.oldLog(server, now.minus(13, ChronoUnit.DAYS));
        fixtures.oldLog(server, now);
        assertThat(retention.purge().block()).isEqualTo(7L);
        assertThat(fixtures.count("SELECT count(*) FROM worker_logs WHERE server_id = :id", server))
                .isEqualTo(2);
    }

    // ---- Callbacks

    @Test
    void linkUpdateAndCompleteFollowTheTaskRules() {
        var link = fixtures.link(request, server, "queued");
        post("/callback/link/update", "{\"link_id\":\"" + link + "\",\"status\":\"running\",\"link_profile\":\"p\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.link_id")
                .isEqualTo(link.toString());
        var complete = "{\"link_id\":\"" + link + "\",\"link_profile\":\"https://p\",\"link_post\":\"https://q\"}";
        post("/callback/link/complete", complete).expectStatus().isOk();
        post("/callback/link/complete", complete).expectStatus().isOk();
        var row = fixtures.row("links", link);
        assertThat(row).containsEntry("status", "completed").containsEntry("link_post", "https://q");
        assertThat(row.get("completed_at")).isNotNull();
        assertThat(fixtures.row("requests", request)).containsEntry("created_links", 1);
    }

    @Test
    void linkCallbacksRefuseForeignMissingAndMalformed() {
        var foreign = fixtures.link(request, other, "running");
        expectError(post("/callback/link/complete", "{\"link_id\":\"" + foreign + "\"}"), 403, "not_your_task");
        expectError(
                post("/callback/link/update", "{\"link_id\":\"" + UUID.randomUUID() + "\",\"status\":\"running\"}"),
                404,
                "not_found");
        expectError(post("/callback/link/update", "{\"status\":\"running\"}"), 400, "invalid_request");
        expectError(post("/callback/link/update", "{\"link_id\":\"x\"}"), 400, "invalid_request");
        expectError(
                post("/callback/link/update", "{\"link_id\":\"" + foreign + "\",\"status\":\"bogus\"}"),
                400,
                "invalid_request");
    }

    @Test
    void requestStatusIsChangedByAServerHoldingItsLinksAndPublished() throws Exception {
        fixtures.link(request, server, "running");
        try (var events = new RedisEvents(redis, prefix + "likepion:events")) {
            post("/callback/request/status", "{\"request_id\":\"" + request + "\",\"status\":\"completed\"}")
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.data.request_id")
                    .isEqualTo(request.toString());
            assertThat(events.await(m -> m.contains("request.status") && m.contains(request.toString())))
                    .contains("\"status\":\"completed\"");
        }
        assertThat(fixtures.row("requests", request)).containsEntry("status", "completed");
        expectError(
                post("/callback/request/status", "{\"request_id\":\"" + request + "\",\"status\":\"running\"}"),
                409,
                "invalid_transition");
    }

    @Test
    void requestStatusRules() {
        var foreignRequest = fixtures.request("Campaign B");
        expectError(
                post("/callback/request/status", "{\"request_id\":\"" + foreignRequest + "\",\"status\":\"failed\"}"),
                403,
                "forbidden");
        var assign = fixtures.server("assign", "assign", "active");
        send(
                        client.post(),
                        "/callback/request/status",
                        "{\"request_id\":\"" + foreignRequest + "\",\"status\":\"connecting\"}",
                        assign)
                .expectStatus()
                .isOk();
        expectError(
                post(
                        "/callback/request/status",
                        "{\"request_id\":\"" + UUID.randomUUID() + "\",\"status\":\"failed\"}"),
                404,
                "not_found");
        expectError(
                post("/callback/request/status", "{\"request_id\":\"" + request + "\",\"status\":\"done\"}"),
                400,
                "invalid_request");
        expectError(post("/callback/request/status", "{\"status\":\"failed\"}"), 400, "invalid_request");
    }

    @Test
    void accountStatusRules() {
        var account = fixtures.account();
        expectError(
                post("/callback/account/status", "{\"account_id\":\"" + account + "\",\"status\":\"banned\"}"),
                403,
                "forbidden");
        fixtures.link(request, server, "running", "entity", account);
        post("/callback/account/status", "{\"account_id\":\"" + account + "\",\"status\":\"banned\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.account_id")
                .isEqualTo(account.toString());
        assertThat(fixtures.row("accounts", account)).containsEntry("status", "banned");
        expectError(
                post("/callback/account/status", "{\"account_id\":\"" + account + "\",\"status\":\"zombie\"}"),
                400,
                "invalid_request");
        expectError(
                post(
                        "/callback/account/status",
                        "{\"account_id\":\"" + UUID.randomUUID() + "\",\"status\":\"active\"}"),
                404,
                "not_found");
    }
}
