package io.runway.worker;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tasks: the caller's list, one update, and bulk updates judged item by item. */
class TasksApiIntegrationTests extends WorkerApiTest {

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
}
