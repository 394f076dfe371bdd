package io.runway.assign;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Requests in the Assign API: lists, completable, link counts, status, connect, complete. */
class RequestsApiIntegrationTests extends AssignApiTest {

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
        expectError(get("/api/v1/worker/requests?limit=1001"), 400, "invalid_request");
        expectError(get("/api/v1/worker/requests?limit=0"), 400, "invalid_request");
        expectError(get("/api/v1/worker/requests?status=running,bogus"), 400, "invalid_request");
        expectError(get("/api/v1/worker/requests?service_type=video"), 400, "invalid_request");
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
        expectError(get("/api/v1/worker/requests/completable?no_active_links=maybe"), 400, "invalid_request");
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
        expectError(get("/api/v1/worker/requests/" + UUID.randomUUID() + "/links/count"), 404, "not_found");
        expectError(get("/api/v1/worker/requests/123/links/count"), 400, "invalid_request");
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
        expectError(
                put("/api/v1/worker/requests/" + request + "/status", Map.of("status", "done")),
                400,
                "invalid_request");
        expectError(put("/api/v1/worker/requests/" + request + "/status", "[1,2]"), 400, "invalid_request");
        expectError(
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
        expectError(put("/api/v1/worker/requests/" + UUID.randomUUID() + "/connect", null), 404, "not_found");
        var canceled = data.request("entity", "canceled", 1, null);
        expectError(put("/api/v1/worker/requests/" + canceled + "/connect", null), 409, "invalid_transition");
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
        expectError(put("/api/v1/worker/requests/" + canceled + "/complete", null), 409, "invalid_transition");
        expectError(put("/api/v1/worker/requests/" + UUID.randomUUID() + "/complete", null), 404, "not_found");
    }
}
