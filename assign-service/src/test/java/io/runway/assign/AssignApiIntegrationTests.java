package io.runway.assign;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.ApiDescription;
import io.runway.common.testsupport.MutableClock;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.ServiceStartupContract;
import io.runway.common.testsupport.TestTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every endpoint of the Assign API and the operator API, and their error paths, on real PostgreSQL and Redis. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.dispatcher.enabled=false"})
@AutoConfigureWebTestClient
@RealInfrastructure
@Import(AssignApiIntegrationTests.ClockConfig.class)
class AssignApiIntegrationTests extends ServiceStartupContract {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @TestConfiguration
    static class ClockConfig {
        @Bean
        MutableClock clock() {
            return new MutableClock(NOW);
        }
    }

    @Autowired
    DatabaseClient db;

    @Autowired
    MutableClock clock;

    TestData data;
    String assignToken;

    @Override
    protected String protectedPath() {
        return "/api/v1/worker/servers";
    }

    @BeforeEach
    void reset() {
        // The machine is shared and loaded: the first OpenAPI rendering can take longer than the default 5 s.
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        data = new TestData(db);
        data.reset();
        assignToken = TestTokens.server(UUID.randomUUID().toString(), "assign");
    }

    WebTestClient.ResponseSpec call(HttpMethod method, String uri, Object body) {
        return call(assignToken, method, uri, body);
    }

    WebTestClient.ResponseSpec call(String token, HttpMethod method, String uri, Object body) {
        var spec = client.method(method).uri(uri).header("X-Internal-Token", token);
        if (body instanceof String raw) {
            return spec.contentType(MediaType.APPLICATION_JSON).bodyValue(raw).exchange();
        }
        if (body != null) {
            return spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        }
        return spec.exchange();
    }

    WebTestClient.ResponseSpec get(String uri) {
        return call(HttpMethod.GET, uri, null);
    }

    WebTestClient.ResponseSpec put(String uri, Object body) {
        return call(HttpMethod.PUT, uri, body);
    }

    WebTestClient.ResponseSpec admin(HttpMethod method, String uri, Object body) {
        return call(TestTokens.admin(), method, uri, body);
    }

    static void error(WebTestClient.ResponseSpec response, int status, String code) {
        response.expectStatus()
                .isEqualTo(status)
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.error")
                .isEqualTo(code)
                .jsonPath("$.message")
                .isNotEmpty();
    }

    String status(String table, UUID id) {
        return (String) data.row("SELECT status FROM " + table + " WHERE id = '" + id + "'")
                .get("status");
    }

    // --- identity ---

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/worker/servers",
                "/api/v1/worker/servers/available",
                "/api/v1/worker/requests",
                "/api/v1/worker/links",
                "/api/v1/worker/links/account-stats?email=a@x.test",
                "/api/v1/worker/sites",
                "/api/v1/worker/accounts",
                "/api/v1/worker/settings?group=rate_limit"
            })
    void toolServersAndOperatorsAreRefusedByTheAssignApi(String path) {
        error(
                call(TestTokens.server(UUID.randomUUID().toString(), "tool"), HttpMethod.GET, path, null),
                401,
                "unauthorized");
        error(call(TestTokens.admin(), HttpMethod.GET, path, null), 401, "unauthorized");
    }

    @Test
    void theApiDescriptionNamesBodyFieldsAsTheWireDoes() {
        var schemas = ApiDescription.of(client).path("components").toString();
        assertThat(schemas).contains("\"group_id\"", "\"service_types\"", "\"max_threads\"");
        assertThat(schemas).doesNotContain("\"groupId\"", "\"serviceTypes\"", "\"maxThreads\"");
    }

    @Test
    void theOperatorApiRefusesServersAndCallersWithoutAToken() {
        error(call(HttpMethod.POST, "/api/v1/admin/sites", Map.of("name", "x", "type", "entity")), 403, "forbidden");
        client.get().uri("/api/v1/admin/servers").exchange().expectStatus().isUnauthorized();
    }

    // --- servers ---

    @Test
    void serversAreListedWithTheirHealthAndFiltered() {
        var fresh = data.server("fresh", "tool", 20, 10);
        data.heartbeat(fresh, NOW.minusSeconds(30), 10);
        var silent = data.server("silent", "tool", 5, 0);
        data.heartbeat(silent, NOW.minus(Duration.ofMinutes(10)), 10);
        var off = data.server("off", "assign", 5, 0);
        data.exec("UPDATE servers SET status = 'offline' WHERE id = '" + off + "'");
        data.exec("UPDATE servers SET active_tasks = 12 WHERE id = '" + fresh + "'");

        get("/api/v1/worker/servers")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(true)
                .jsonPath("$.total")
                .isEqualTo(3)
                .jsonPath("$.data[0].name")
                .isEqualTo("fresh")
                .jsonPath("$.data[0].service")
                .isEqualTo("tool")
                .jsonPath("$.data[0].status")
                .isEqualTo("online")
                .jsonPath("$.data[0].active_threads")
                .isEqualTo(3)
                .jsonPath("$.data[0].active_tasks")
                .isEqualTo(12)
                .jsonPath("$.data[0].max_threads")
                .isEqualTo(20)
                .jsonPath("$.data[0].priority")
                .isEqualTo(10)
                .jsonPath("$.data[0].last_health_check")
                .isEqualTo("2026-03-02T09:59:30Z")
                .jsonPath("$.data[0].last_active")
                .isEqualTo("2026-03-02T09:59:30Z")
                .jsonPath("$.data[0].avail_slots")
                .doesNotExist();
        get("/api/v1/worker/servers?status=offline")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        get("/api/v1/worker/servers?inactive_minutes=5")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.data[?(@.name == 'fresh')]")
                .doesNotExist();
        error(get("/api/v1/worker/servers?status=sleeping"), 400, "invalid_request");
        error(get("/api/v1/worker/servers?inactive_minutes=soon"), 400, "invalid_request");
    }

    @Test
    void availableServersHaveFreeSlots() {
        var roomy = data.server("roomy", "tool", 20, 0, "entity");
        data.exec("UPDATE servers SET active_tasks = 5 WHERE id = '" + roomy + "'");
        var full = data.server("full", "tool", 2, 0);
        data.exec("UPDATE servers SET active_tasks = 2 WHERE id = '" + full + "'");
        var maintenance = data.server("maint", "tool", 5, 0);
        data.exec("UPDATE servers SET status = 'maintenance' WHERE id = '" + maintenance + "'");
        data.server("assigner", "assign", 3, 0);

        get("/api/v1/worker/servers/available")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.data[0].name")
                .isEqualTo("roomy")
                .jsonPath("$.data[0].avail_slots")
                .isEqualTo(15);
        get("/api/v1/worker/servers/available?status=online&service=tool")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        get("/api/v1/worker/servers/available?service=social")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
        get("/api/v1/worker/servers/available?status=maintenance")
                .expectBody()
                .jsonPath("$.data[0].name")
                .isEqualTo("maint");
        error(get("/api/v1/worker/servers/available?status=nope"), 400, "invalid_request");
    }

    @Test
    void aServersStatusIsChanged() {
        var server = data.server("s", "tool", 5, 0);

        put("/api/v1/worker/servers/" + server + "/status", Map.of("status", "maintenance"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(true)
                .jsonPath("$.status")
                .isEqualTo("maintenance");
        assertThat(status("servers", server)).isEqualTo("maintenance");

        error(put("/api/v1/worker/servers/" + server + "/status", Map.of("status", "asleep")), 400, "invalid_request");
        error(put("/api/v1/worker/servers/" + server + "/status", Map.of()), 400, "invalid_request");
        error(put("/api/v1/worker/servers/" + server + "/status", "{\"status\":"), 400, "invalid_request");
        error(put("/api/v1/worker/servers/not-a-uuid/status", Map.of("status", "online")), 400, "invalid_request");
        error(
                put("/api/v1/worker/servers/" + UUID.randomUUID() + "/status", Map.of("status", "online")),
                404,
                "not_found");
    }

    // --- requests ---

    @Test
    void requestsAreListedByStatusTypeAndKind() {
        var running = data.request("entity", "running", 50, null);
        data.request("entity", "pending", 5, null);
        data.request("social", "running", 5, null);
        data.request("entity", "completed", 5, null);
        data.exec("UPDATE requests SET config = '{\"a\":1}', priority = 9 WHERE id = '" + running + "'");

        get("/api/v1/worker/requests?status=pending,running&service_type=entity&limit=50")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.data[0].id")
                .isEqualTo(running.toString())
                .jsonPath("$.data[0].service_type")
                .isEqualTo("entity")
                .jsonPath("$.data[0].target")
                .isEqualTo(50)
                .jsonPath("$.data[0].created_links")
                .isEqualTo(0)
                .jsonPath("$.data[0].type_request")
                .isEqualTo("normal")
                .jsonPath("$.data[0].config.a")
                .isEqualTo(1)
                .jsonPath("$.data[0].auction_price")
                .isEqualTo(0.0);
        get("/api/v1/worker/requests").expectBody().jsonPath("$.total").isEqualTo(4);
        get("/api/v1/worker/requests?type_request=vip")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
        get("/api/v1/worker/requests?limit=1").expectBody().jsonPath("$.total").isEqualTo(1);
        error(get("/api/v1/worker/requests?limit=1001"), 400, "invalid_request");
        error(get("/api/v1/worker/requests?limit=0"), 400, "invalid_request");
        error(get("/api/v1/worker/requests?status=running,bogus"), 400, "invalid_request");
        error(get("/api/v1/worker/requests?service_type=video"), 400, "invalid_request");
    }

    @Test
    void completableRequestsHaveNoActiveLinks() {
        var done = data.request("entity", "running", 2, null);
        data.links(done, "entity", "completed", 2);
        var connecting = data.request("entity", "running", 2, null);
        data.links(connecting, "entity", "completed", 1);
        data.links(connecting, "entity", "connect", 1);
        var busy = data.request("entity", "running", 2, null);
        data.links(busy, "entity", "running", 1);
        data.request("entity", "running", 2, null);

        get("/api/v1/worker/requests/completable?status=running&all_links_done=true")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.data[0].id")
                .isEqualTo(done.toString());
        get("/api/v1/worker/requests/completable?all_links_completed=true&type=entity")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        get("/api/v1/worker/requests/completable?status=running&no_active_links=true")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2);
        error(get("/api/v1/worker/requests/completable?no_active_links=maybe"), 400, "invalid_request");
    }

    @Test
    void linkCountsComeByStatusWithProfilesAndPosts() {
        var request = data.request("entity", "running", 50, null);
        data.links(request, "entity", "completed", 3);
        data.links(request, "entity", "pending", 2);
        data.exec("UPDATE links SET link_profile = 'https://p' WHERE status = 'completed'");
        data.exec("UPDATE links SET link_post = 'https://q' WHERE id = (SELECT min(id::text)::uuid FROM links"
                + " WHERE status = 'completed')");

        get("/api/v1/worker/requests/" + request + "/links/count")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(true)
                .jsonPath("$.request_id")
                .isEqualTo(request.toString())
                .jsonPath("$.counts[0].status")
                .isEqualTo("completed")
                .jsonPath("$.counts[0].count")
                .isEqualTo(3)
                .jsonPath("$.counts[1].status")
                .isEqualTo("pending")
                .jsonPath("$.total")
                .isEqualTo(5)
                .jsonPath("$.profile_count")
                .isEqualTo(3)
                .jsonPath("$.post_count")
                .isEqualTo(1);
        error(get("/api/v1/worker/requests/" + UUID.randomUUID() + "/links/count"), 404, "not_found");
        error(get("/api/v1/worker/requests/123/links/count"), 400, "invalid_request");
    }

    @Test
    void aRequestsStatusSetsItsTimestamps() {
        var request = data.request("entity", "pending", 5, null);

        put("/api/v1/worker/requests/" + request + "/status", Map.of("status", "running"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.status")
                .isEqualTo("running")
                .jsonPath("$.data.started_at")
                .isEqualTo("2026-03-02T10:00:00Z")
                .jsonPath("$.data.completed_at")
                .isEmpty();
        put("/api/v1/worker/requests/" + request + "/status", Map.of("status", "failed"))
                .expectBody()
                .jsonPath("$.data.completed_at")
                .isEqualTo("2026-03-02T10:00:00Z");
        clock.set(NOW.plusSeconds(60));
        try {
            // sent back to running, the request starts again and is no longer completed
            put("/api/v1/worker/requests/" + request + "/status", Map.of("status", "running"))
                    .expectBody()
                    .jsonPath("$.data.started_at")
                    .isEqualTo("2026-03-02T10:01:00Z")
                    .jsonPath("$.data.completed_at")
                    .isEmpty();
        } finally {
            clock.set(NOW);
        }
        error(put("/api/v1/worker/requests/" + request + "/status", Map.of("status", "done")), 400, "invalid_request");
        error(put("/api/v1/worker/requests/" + request + "/status", "[1,2]"), 400, "invalid_request");
        error(
                put("/api/v1/worker/requests/" + UUID.randomUUID() + "/status", Map.of("status", "running")),
                404,
                "not_found");
    }

    @Test
    void connectMovesCompletedLinksToConnectAndCancelsLinksWithoutProfile() {
        var server = data.server("s", "tool", 5, 0);
        var request = data.request("entity", "running", 10, null);
        data.links(request, "entity", "completed", 3);
        data.exec("UPDATE links SET link_profile = 'https://p' WHERE request_id = '" + request + "'");
        data.links(request, "entity", "pending", 1);
        data.link(request, "entity", "queued", server, null);
        data.exec("UPDATE servers SET active_tasks = 1 WHERE id = '" + server + "'");

        put("/api/v1/worker/requests/" + request + "/connect", null)
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"success\":true,\"updated\":true,\"links_connect\":3,\"links_canceled\":2}");

        assertThat(status("requests", request)).isEqualTo("connecting");
        assertThat(data.count("SELECT count(*) FROM links WHERE status = 'connect'"))
                .isEqualTo(3);
        assertThat(data.count("SELECT active_tasks FROM servers WHERE id = '" + server + "'"))
                .isZero();
        error(put("/api/v1/worker/requests/" + UUID.randomUUID() + "/connect", null), 404, "not_found");
        var canceled = data.request("entity", "canceled", 1, null);
        error(put("/api/v1/worker/requests/" + canceled + "/connect", null), 409, "invalid_transition");
    }

    @Test
    void aRequestIsCompletedUnlessCanceled() {
        var request = data.request("entity", "connecting", 10, null);

        put("/api/v1/worker/requests/" + request + "/complete", null)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.updated")
                .isEqualTo(true)
                .jsonPath("$.data.status")
                .isEqualTo("completed")
                .jsonPath("$.data.completed_at")
                .isEqualTo("2026-03-02T10:00:00Z");
        var canceled = data.request("entity", "canceled", 1, null);
        error(put("/api/v1/worker/requests/" + canceled + "/complete", null), 409, "invalid_transition");
        error(put("/api/v1/worker/requests/" + UUID.randomUUID() + "/complete", null), 404, "not_found");
    }

    // --- links ---

    @Test
    void linksAreListedPendingByDefaultOrStale() {
        var request = data.request("entity", "running", 10, null);
        var pending = data.links(request, "entity", "pending", 2);
        data.links(data.request("social", "running", 1, null), "social", "pending", 1);
        var running = data.links(request, "entity", "running", 2);
        data.exec("UPDATE links SET started_at = '" + NOW.minus(Duration.ofMinutes(20)) + "' WHERE id = '"
                + running.get(0) + "'");
        data.exec("UPDATE links SET started_at = '" + NOW.minus(Duration.ofMinutes(5)) + "' WHERE id = '"
                + running.get(1) + "'");
        data.exec("UPDATE links SET password = 'secret'");

        get("/api/v1/worker/links?service_type=entity")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.data[0].id")
                .isEqualTo(pending.get(0).toString())
                .jsonPath("$.data[0].status")
                .isEqualTo("pending")
                .jsonPath("$.data[0].password")
                .doesNotExist();
        get("/api/v1/worker/links").expectBody().jsonPath("$.total").isEqualTo(3);
        get("/api/v1/worker/links?status=running&limit=1")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        get("/api/v1/worker/links?stale=true")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.data[0].id")
                .isEqualTo(running.get(0).toString());
        get("/api/v1/worker/links?stale=true&timeout_minutes=1")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2);
        error(get("/api/v1/worker/links?limit=5000"), 400, "invalid_request");
        error(get("/api/v1/worker/links?status=lost"), 400, "invalid_request");
        error(get("/api/v1/worker/links?stale=yes"), 400, "invalid_request");
        error(get("/api/v1/worker/links?stale=true&timeout_minutes=-3"), 400, "invalid_request");
    }

    @Test
    void onlyAPendingLinkIsAssignedAndTheServerCountsIt() {
        var server = data.server("s", "tool", 1, 0);
        var request = data.request("entity", "running", 10, null);
        var links = data.links(request, "entity", "pending", 2);
        var done = data.link(request, "entity", "completed", null, null);

        put("/api/v1/worker/links/" + links.get(0) + "/assign", Map.of("server_id", server.toString()))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.status")
                .isEqualTo("queued")
                .jsonPath("$.data.server_id")
                .isEqualTo(server.toString())
                .jsonPath("$.data.attempt")
                .isEqualTo(1);
        assertThat(data.count("SELECT active_tasks FROM servers WHERE id = '" + server + "'"))
                .isEqualTo(1);

        error(
                put("/api/v1/worker/links/" + links.get(0) + "/assign", Map.of("server_id", server.toString())),
                409,
                "link_not_pending");
        error(
                put("/api/v1/worker/links/" + done + "/assign", Map.of("server_id", server.toString())),
                409,
                "link_not_pending");
        error(
                put("/api/v1/worker/links/" + links.get(1) + "/assign", Map.of("server_id", server.toString())),
                409,
                "server_full");
        error(
                put(
                        "/api/v1/worker/links/" + links.get(1) + "/assign",
                        Map.of("server_id", UUID.randomUUID().toString())),
                404,
                "not_found");
        error(
                put("/api/v1/worker/links/" + UUID.randomUUID() + "/assign", Map.of("server_id", server.toString())),
                404,
                "not_found");
        error(
                put("/api/v1/worker/links/" + links.get(1) + "/assign", Map.of("server_id", "x")),
                400,
                "invalid_request");
        error(put("/api/v1/worker/links/" + links.get(1) + "/assign", Map.of()), 400, "invalid_request");
        assertThat(status("links", links.get(1))).isEqualTo("pending");
    }

    @Test
    void manualAssignmentRespectsTheAccountsPostingLimit() {
        data.setting("rate_limit", "max_posts_per_day", "1");
        var server = data.server("s", "tool", 5, 0);
        var group = UUID.randomUUID();
        var account = data.account(group, "a@x.test");
        var request = data.request("entity", "running", 10, group);
        var first = data.link(request, "entity", "pending", null, account);
        var second = data.link(request, "entity", "pending", null, account);

        put("/api/v1/worker/links/" + first + "/assign", Map.of("server_id", server.toString()))
                .expectStatus()
                .isOk();
        error(
                put("/api/v1/worker/links/" + second + "/assign", Map.of("server_id", server.toString())),
                409,
                "account_limit");
        assertThat(status("links", second)).isEqualTo("pending");
        assertThat(data.count("SELECT active_tasks FROM servers WHERE id = '" + server + "'"))
                .isEqualTo(1);
    }

    Map<String, Object> bulkLink(UUID request) {
        var link = new java.util.HashMap<String, Object>();
        link.put("request_id", request.toString());
        link.put("service_type", "entity");
        link.put("site_name", "example.com");
        link.put("email", "user@gmail.com");
        link.put("username", "user123");
        link.put("password", "pass");
        link.put("about", "Bio");
        link.put("max_retries", 5);
        link.put("details", Map.of("key", "value"));
        return link;
    }

    @Test
    void linksAreCreatedInBulkAllOrNothing() {
        var request = data.request("entity", "running", 10, null);
        var group = UUID.randomUUID();
        var account = data.account(group, "user@gmail.com");
        var server = data.server("s", "tool", 2, 0);
        var links = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 3; i++) {
            links.add(bulkLink(request));
        }
        var assigned = bulkLink(request);
        assigned.put("server_id", server.toString());
        links.add(assigned);

        call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", links))
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"success\":true,\"created\":4}");
        assertThat(data.count(
                        "SELECT count(*) FROM links WHERE status = 'pending' AND max_retries = 5 AND account_id = '"
                                + account + "' AND details->>'key' = 'value'"))
                .isEqualTo(3);
        assertThat(data.count("SELECT count(*) FROM links WHERE status = 'queued' AND server_id = '" + server + "'"))
                .isEqualTo(1);
        assertThat(data.count("SELECT active_tasks FROM servers WHERE id = '" + server + "'"))
                .isEqualTo(1);

        var tooMany = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 5001; i++) {
            tooMany.add(Map.of("request_id", request.toString()));
        }
        error(call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", tooMany)), 400, "invalid_request");
        var unknown = bulkLink(UUID.randomUUID());
        error(
                call(
                        HttpMethod.POST,
                        "/api/v1/worker/links/bulk",
                        Map.of("links", List.of(bulkLink(request), unknown))),
                400,
                "invalid_request");
        var badId = bulkLink(request);
        badId.put("site_id", "nope");
        error(
                call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", List.of(badId))),
                400,
                "invalid_request");
        var badRetries = bulkLink(request);
        badRetries.put("max_retries", "many");
        error(
                call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", List.of(badRetries))),
                400,
                "invalid_request");
        var overfull = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 2; i++) {
            var link = bulkLink(request);
            link.put("server_id", server.toString());
            overfull.add(link);
        }
        error(call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", overfull)), 409, "server_full");
        error(call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", List.of())), 400, "invalid_request");
        error(call(HttpMethod.POST, "/api/v1/worker/links/bulk", "{\"links\": [}"), 400, "invalid_request");
        assertThat(data.count("SELECT count(*) FROM links"))
                .as("failed calls created nothing")
                .isEqualTo(4);
    }

    @Test
    void failedLinksAreRetriedOneByOneOrInBulkAndExhaustedOnesCanceled() {
        var request = data.request("entity", "running", 10, null);
        var failed = data.links(request, "entity", "failed", 3);
        var exhausted = data.link(request, "entity", "failed", null, null);
        data.exec("UPDATE links SET retry_count = 3 WHERE id = '" + exhausted + "'");
        var pending = data.links(request, "entity", "pending", 1).get(0);

        get("/api/v1/worker/links/retryable?service_type=entity&limit=200")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(3);
        put("/api/v1/worker/links/" + failed.get(0) + "/retry", null)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.status")
                .isEqualTo("pending")
                .jsonPath("$.data.retry_count")
                .isEqualTo(1);
        error(put("/api/v1/worker/links/" + pending + "/retry", null), 409, "link_not_failed");
        error(put("/api/v1/worker/links/" + UUID.randomUUID() + "/retry", null), 404, "not_found");

        put(
                        "/api/v1/worker/links/bulk-retry",
                        Map.of(
                                "link_ids",
                                List.of(failed.get(1).toString(), failed.get(2).toString(), pending.toString())))
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"success\":true,\"updated\":2,\"skipped\":1}");
        error(put("/api/v1/worker/links/bulk-retry", Map.of("link_ids", List.of("zzz"))), 400, "invalid_request");
        error(put("/api/v1/worker/links/bulk-retry", Map.of("link_ids", List.of())), 400, "invalid_request");

        put("/api/v1/worker/links/mark-final-failed", Map.of("request_id", request.toString()))
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"success\":true,\"updated\":1}");
        assertThat(status("links", exhausted)).isEqualTo("canceled");
        error(put("/api/v1/worker/links/mark-final-failed", Map.of("request_id", "r1")), 400, "invalid_request");
        error(put("/api/v1/worker/links/mark-final-failed", Map.of("request_id", "")), 400, "invalid_request");
        error(put("/api/v1/worker/links/mark-final-failed", Map.of()), 400, "invalid_request");
    }

    @Test
    void accountStatsCountAnEmailsPostings() {
        var request = data.request("entity", "running", 10, null);
        var other = data.request("entity", "running", 10, null);
        var group = UUID.randomUUID();
        var account = data.account(group, "user@gmail.com");
        for (int i = 0; i < 2; i++) {
            data.link(request, "entity", "pending", null, account);
        }
        data.link(other, "entity", "pending", null, account);
        var today = data.link(request, "entity", "completed", null, account);
        data.exec("UPDATE links SET completed_at = '2026-03-02T09:30:00Z' WHERE id = '" + today + "'");
        var yesterday = data.link(other, "entity", "completed", null, account);
        data.exec("UPDATE links SET completed_at = '2026-03-01T09:30:00Z' WHERE id = '" + yesterday + "'");

        get("/api/v1/worker/links/account-stats?email=user@gmail.com&request_id=" + request)
                .expectStatus()
                .isOk()
                .expectBody()
                .json(
                        """
                        {"success":true,"email":"user@gmail.com","pending_count":3,"today_count":1,
                         "total_completed":2,"last_post_at":"2026-03-02T09:30:00Z","request_pending":2,
                         "request_completed":1}
                        """);
        error(get("/api/v1/worker/links/account-stats"), 400, "invalid_request");
        error(get("/api/v1/worker/links/account-stats?email=a@b.c&request_id=x"), 400, "invalid_request");
    }

    // --- sites, accounts, settings ---

    @Test
    void sitesAccountsAndSettingsAreListed() {
        var entity = data.site("e.test", "entity");
        var social = data.site("s.test", "social");
        data.exec("UPDATE sites SET active = false WHERE id = '" + social + "'");
        var group = UUID.randomUUID();
        data.account(group, "a@x.test");
        var banned = data.account(group, "b@x.test");
        data.exec("UPDATE accounts SET status = 'banned' WHERE id = '" + banned + "'");
        data.account(UUID.randomUUID(), "c@x.test");
        data.setting("rate_limit", "max_posts_per_day", "50");
        data.setting("rate_limit", "cooldown_minutes", "5");

        get("/api/v1/worker/sites?type=entity&active=true&limit=100")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.data[0].id")
                .isEqualTo(entity.toString());
        get("/api/v1/worker/sites?ids=" + entity + "," + social)
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2);
        get("/api/v1/worker/sites?active=false")
                .expectBody()
                .jsonPath("$.data[0].name")
                .isEqualTo("s.test");
        error(get("/api/v1/worker/sites?ids=1,2"), 400, "invalid_request");
        error(get("/api/v1/worker/sites?type=video"), 400, "invalid_request");

        get("/api/v1/worker/accounts?group_id=" + group + "&status=active")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.data[0].email")
                .isEqualTo("a@x.test")
                .jsonPath("$.data[0].group_id")
                .isEqualTo(group.toString());
        get("/api/v1/worker/accounts?group_id=" + group)
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2);
        error(get("/api/v1/worker/accounts?group_id=g1"), 400, "invalid_request");
        error(get("/api/v1/worker/accounts?status=sleepy"), 400, "invalid_request");

        get("/api/v1/worker/settings?group=rate_limit")
                .expectBody()
                .json(
                        """
                        {"success":true,"group":"rate_limit",
                         "settings":{"max_posts_per_day":"50","cooldown_minutes":"5"}}
                        """);
        get("/api/v1/worker/settings?group=none")
                .expectBody()
                .json("{\"success\":true,\"group\":\"none\",\"settings\":{}}");
        error(get("/api/v1/worker/settings"), 400, "invalid_request");
    }

    // --- operator API ---

    @Test
    void operatorsRegisterServersAndRotateTheirKeys() throws Exception {
        var registered = admin(
                        HttpMethod.POST,
                        "/api/v1/admin/servers",
                        Map.of(
                                "name",
                                "tool-1",
                                "service",
                                "tool",
                                "max_threads",
                                8,
                                "priority",
                                3,
                                "service_types",
                                List.of("entity")))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var key = (String) registered.get("api_key");
        var id = (String) ((Map<?, ?>) registered.get("data")).get("id");
        assertThat(key).startsWith("lp_").hasSizeGreaterThan(40);
        assertThat(data.row("SELECT api_key_hash, max_threads, service_types::text AS t FROM servers WHERE id = '" + id
                        + "'"))
                .containsEntry("api_key_hash", sha256(key))
                .containsEntry("max_threads", 8)
                .containsEntry("t", "{entity}");

        var rotated = admin(HttpMethod.POST, "/api/v1/admin/servers/" + id + "/rotate-key", null)
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var newKey = (String) rotated.get("api_key");
        assertThat(newKey).isNotEqualTo(key);
        assertThat(data.row("SELECT api_key_hash FROM servers WHERE id = '" + id + "'")
                        .get("api_key_hash"))
                .isEqualTo(sha256(newKey));

        admin(HttpMethod.PUT, "/api/v1/admin/servers/" + id, Map.of("status", "maintenance", "max_threads", 4))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.status")
                .isEqualTo("maintenance")
                .jsonPath("$.data.max_threads")
                .isEqualTo(4);
        admin(HttpMethod.GET, "/api/v1/admin/servers?name=tool-1", null)
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        error(admin(HttpMethod.POST, "/api/v1/admin/servers", Map.of("name", "tool-1")), 409, "conflict");
        error(
                admin(HttpMethod.POST, "/api/v1/admin/servers", Map.of("name", "x", "service", "web")),
                400,
                "invalid_request");
        error(admin(HttpMethod.POST, "/api/v1/admin/servers", Map.of("service", "tool")), 400, "invalid_request");
        error(
                admin(HttpMethod.POST, "/api/v1/admin/servers/" + UUID.randomUUID() + "/rotate-key", null),
                404,
                "not_found");
    }

    @Test
    void operatorsCreateSitesAccountsSettingsAndRequests() {
        var site = admin(
                        HttpMethod.POST,
                        "/api/v1/admin/sites",
                        Map.of("name", "e.test", "type", "entity", "config", Map.of("x", 1)))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var siteId = (String) ((Map<?, ?>) site.get("data")).get("id");
        admin(HttpMethod.PUT, "/api/v1/admin/sites/" + siteId, Map.of("active", false))
                .expectBody()
                .jsonPath("$.data.active")
                .isEqualTo(false)
                .jsonPath("$.data.config.x")
                .isEqualTo(1);
        error(
                admin(HttpMethod.POST, "/api/v1/admin/sites", Map.of("name", "x", "type", "video")),
                400,
                "invalid_request");
        error(
                admin(HttpMethod.PUT, "/api/v1/admin/sites/" + UUID.randomUUID(), Map.of("active", true)),
                404,
                "not_found");

        var group = UUID.randomUUID().toString();
        admin(
                        HttpMethod.POST,
                        "/api/v1/admin/accounts",
                        Map.of("group_id", group, "email", "a@x.test", "password", "p"))
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.data.status")
                .isEqualTo("active");
        error(admin(HttpMethod.POST, "/api/v1/admin/accounts", Map.of("email", "a@x.test")), 400, "invalid_request");

        admin(
                        HttpMethod.PUT,
                        "/api/v1/admin/settings/rate_limit",
                        Map.of("max_posts_per_day", 50, "cooldown_minutes", "5"))
                .expectStatus()
                .isOk()
                .expectBody()
                .json(
                        "{\"success\":true,\"group\":\"rate_limit\",\"settings\":{\"max_posts_per_day\":\"50\",\"cooldown_minutes\":\"5\"}}");
        error(
                admin(HttpMethod.PUT, "/api/v1/admin/settings/rate_limit", Map.of("a", List.of(1))),
                400,
                "invalid_request");

        var created = admin(
                        HttpMethod.POST,
                        "/api/v1/admin/requests",
                        Map.of(
                                "name",
                                "Campaign A",
                                "service_type",
                                "entity",
                                "target",
                                50,
                                "website",
                                "https://target.com",
                                "auction_price",
                                100,
                                "priority",
                                5,
                                "group_id",
                                group,
                                "status",
                                "running",
                                "config",
                                Map.of("k", "v")))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var requestData = (Map<?, ?>) created.get("data");
        assertThat(requestData.get("status")).isEqualTo("running");
        assertThat(requestData.get("started_at")).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(requestData.get("group_id")).isEqualTo(group);
        admin(
                        HttpMethod.PUT,
                        "/api/v1/admin/requests/" + requestData.get("id"),
                        Map.of("target", 60, "status", "pending"))
                .expectBody()
                .jsonPath("$.data.target")
                .isEqualTo(60)
                .jsonPath("$.data.status")
                .isEqualTo("pending");
        error(
                admin(
                        HttpMethod.POST,
                        "/api/v1/admin/requests",
                        Map.of("name", "x", "service_type", "entity", "target", -1)),
                400,
                "invalid_request");
        error(admin(HttpMethod.POST, "/api/v1/admin/requests", Map.of("name", "x")), 400, "invalid_request");
        error(
                admin(
                        HttpMethod.POST,
                        "/api/v1/admin/requests",
                        Map.of("name", "x", "service_type", "entity", "config", List.of())),
                400,
                "invalid_request");
    }

    @Test
    void theDemoSeedScriptPrintsWorkingKeysAndCanRunAgain() throws Exception {
        var first = seed();
        assertThat(first.keySet())
                .containsExactly("ASSIGN_API_KEY", "TOOL_API_KEY", "TOOL_API_KEY_2", "TOOL_API_KEY_3");
        assertThat(data.count("SELECT count(*) FROM servers WHERE service = 'tool'"))
                .isEqualTo(3);
        assertThat(data.count("SELECT count(*) FROM requests WHERE status = 'running' AND target > 0"))
                .isEqualTo(1);
        assertThat(data.count("SELECT count(*) FROM accounts")).isEqualTo(4);

        var second = seed();

        assertThat(data.count("SELECT count(*) FROM servers")).isEqualTo(4);
        assertThat(data.count("SELECT count(*) FROM requests")).isEqualTo(1);
        for (var entry : second.entrySet()) {
            assertThat(entry.getValue()).isNotEqualTo(first.get(entry.getKey()));
            assertThat(data.count(
                            "SELECT count(*) FROM servers WHERE api_key_hash = '" + sha256(entry.getValue()) + "'"))
                    .as("%s works", entry.getKey())
                    .isEqualTo(1);
        }
        assertThat(data.count("SELECT count(*) FROM servers WHERE service = 'assign' AND api_key_hash = '"
                        + sha256(second.get("ASSIGN_API_KEY")) + "'"))
                .isEqualTo(1);
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    Map<String, String> seed() throws Exception {
        var script = java.nio.file.Path.of("../deploy/local/seed-likepion.sh")
                .toAbsolutePath()
                .normalize();
        var process = new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        process.environment().put("GATEWAY_URL", "http://127.0.0.1:" + port);
        process.environment().put("ADMIN_INTERNAL_TOKEN", TestTokens.admin());
        process.environment().remove("ADMIN_API_KEY");
        var started = process.start();
        started.getOutputStream().close();
        var output = new String(started.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(started.waitFor()).as("seed script output: %s", output).isZero();
        var keys = new java.util.LinkedHashMap<String, String>();
        for (var line : output.strip().split("\n")) {
            var parts = line.split("=", 2);
            keys.put(parts[0], parts[1]);
        }
        return keys;
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }
}
