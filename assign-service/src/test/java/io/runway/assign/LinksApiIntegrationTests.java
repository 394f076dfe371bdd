package io.runway.assign;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** Links in the Assign API: lists, assignment within posting limits, bulk creation, retries, account stats. */
class LinksApiIntegrationTests extends AssignApiTest {

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
        expectError(get("/api/v1/worker/links?limit=5000"), 400, "invalid_request");
        expectError(get("/api/v1/worker/links?status=lost"), 400, "invalid_request");
        expectError(get("/api/v1/worker/links?stale=yes"), 400, "invalid_request");
        expectError(get("/api/v1/worker/links?stale=true&timeout_minutes=-3"), 400, "invalid_request");
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

        expectError(
                put("/api/v1/worker/links/" + links.get(0) + "/assign", Map.of("server_id", server.toString())),
                409,
                "link_not_pending");
        expectError(
                put("/api/v1/worker/links/" + done + "/assign", Map.of("server_id", server.toString())),
                409,
                "link_not_pending");
        expectError(
                put("/api/v1/worker/links/" + links.get(1) + "/assign", Map.of("server_id", server.toString())),
                409,
                "server_full");
        expectError(
                put(
                        "/api/v1/worker/links/" + links.get(1) + "/assign",
                        Map.of("server_id", UUID.randomUUID().toString())),
                404,
                "not_found");
        expectError(
                put("/api/v1/worker/links/" + UUID.randomUUID() + "/assign", Map.of("server_id", server.toString())),
                404,
                "not_found");
        expectError(
                put("/api/v1/worker/links/" + links.get(1) + "/assign", Map.of("server_id", "x")),
                400,
                "invalid_request");
        expectError(put("/api/v1/worker/links/" + links.get(1) + "/assign", Map.of()), 400, "invalid_request");
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
        expectError(
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
        expectError(
                call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", tooMany)), 400, "invalid_request");
        var unknown = bulkLink(UUID.randomUUID());
        expectError(
                call(
                        HttpMethod.POST,
                        "/api/v1/worker/links/bulk",
                        Map.of("links", List.of(bulkLink(request), unknown))),
                400,
                "invalid_request");
        var badId = bulkLink(request);
        badId.put("site_id", "nope");
        expectError(
                call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", List.of(badId))),
                400,
                "invalid_request");
        var badRetries = bulkLink(request);
        badRetries.put("max_retries", "many");
        expectError(
                call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", List.of(badRetries))),
                400,
                "invalid_request");
        var overfull = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 2; i++) {
            var link = bulkLink(request);
            link.put("server_id", server.toString());
            overfull.add(link);
        }
        expectError(call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", overfull)), 409, "server_full");
        expectError(
                call(HttpMethod.POST, "/api/v1/worker/links/bulk", Map.of("links", List.of())), 400, "invalid_request");
        expectError(call(HttpMethod.POST, "/api/v1/worker/links/bulk", "{\"links\": [}"), 400, "invalid_request");
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
        expectError(put("/api/v1/worker/links/" + pending + "/retry", null), 409, "link_not_failed");
        expectError(put("/api/v1/worker/links/" + UUID.randomUUID() + "/retry", null), 404, "not_found");

        put(
                        "/api/v1/worker/links/bulk-retry",
                        Map.of(
                                "link_ids",
                                List.of(failed.get(1).toString(), failed.get(2).toString(), pending.toString())))
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"success\":true,\"updated\":2,\"skipped\":1}");
        expectError(put("/api/v1/worker/links/bulk-retry", Map.of("link_ids", List.of("zzz"))), 400, "invalid_request");
        expectError(put("/api/v1/worker/links/bulk-retry", Map.of("link_ids", List.of())), 400, "invalid_request");

        put("/api/v1/worker/links/mark-final-failed", Map.of("request_id", request.toString()))
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"success\":true,\"updated\":1}");
        assertThat(status("links", exhausted)).isEqualTo("canceled");
        expectError(put("/api/v1/worker/links/mark-final-failed", Map.of("request_id", "r1")), 400, "invalid_request");
        expectError(put("/api/v1/worker/links/mark-final-failed", Map.of("request_id", "")), 400, "invalid_request");
        expectError(put("/api/v1/worker/links/mark-final-failed", Map.of()), 400, "invalid_request");
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
        expectError(get("/api/v1/worker/links/account-stats"), 400, "invalid_request");
        expectError(get("/api/v1/worker/links/account-stats?email=a@b.c&request_id=x"), 400, "invalid_request");
    }
}
