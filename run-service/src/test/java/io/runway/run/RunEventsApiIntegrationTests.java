package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every state change as a numbered event, with the progress reached at its point, and both faces' streams of them. */
class RunEventsApiIntegrationTests extends RunApiTest {

    @Test
    void everyStateChangeIsAnEventNumberedWithoutGaps() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        var events = db.sql(
                        "SELECT seq, type, step_key, status FROM run_events WHERE run_id = CAST(:id AS uuid) ORDER BY seq")
                .bind("id", runId)
                .map(row -> row.get("seq", Long.class) + ":" + row.get("type", String.class) + ":"
                        + row.get("step_key", String.class) + ":" + row.get("status", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(5));
        assertThat(events)
                .containsExactly(
                        "1:run:null:pending",
                        "2:run:null:running",
                        "3:step:a:running",
                        "4:step:a:success",
                        "5:step:b:running",
                        "6:step:b:success",
                        "7:step:c:running",
                        "8:step:c:success",
                        "9:run:null:success");
        var seq = db.sql("SELECT event_seq FROM runs WHERE id = CAST(:id AS uuid)")
                .bind("id", runId)
                .map(row -> row.get("event_seq", Long.class))
                .one()
                .block();
        assertThat(seq).isEqualTo(9L);
    }

    @Test
    void eventsWrittenTogetherEachCarryTheProgressReachedAtTheirPoint() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        var progress = db.sql("SELECT progress FROM run_events WHERE run_id = CAST(:id AS uuid) ORDER BY seq")
                .bind("id", runId)
                .map(row -> row.get("progress", Integer.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(5));
        // run pending, run running, a running, a success, b running, b success, c running, c success, run success
        assertThat(progress).containsExactly(0, 0, 0, 33, 33, 66, 66, 100, 100);
        var streamed = api.sse("/api/v1/automation-runs/" + runId + "/events", "3");
        assertThat(streamed)
                .extracting(event ->
                        RunApi.JSON.readTree(event.data()).path("progress").asInt())
                .containsExactly(33, 33, 66, 66, 100, 100);
    }

    // ---- Event streams (SSE) ----

    @Test
    void theGenericStreamReplaysEveryEventWithItsSequenceAndEndsWithTheRun() {
        var id = api.automation(
                "[{\"key\": \"a\", \"type\": \"log\"}, {\"key\": \"b\", \"type\": \"delay\", \"dependsOn\": [\"a\"],"
                        + " \"config\": {\"seconds\": 0.5}}]");
        var runId = api.start(id, null);
        var events = api.sse("/api/v1/automation-runs/" + runId + "/events", null);
        assertThat(events).extracting(event -> Long.parseLong(event.id())).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(events)
                .extracting(event -> event.event())
                .containsExactly("run", "run", "step", "step", "step", "step", "run");
        var last = RunApi.JSON.readTree(events.get(6).data());
        assertThat(last.path("status").asString()).isEqualTo("completed");
        assertThat(last.path("progress").asInt()).isEqualTo(100);
        var resumed = api.sse("/api/v1/automation-runs/" + runId + "/events", "4");
        assertThat(resumed).extracting(event -> event.id()).containsExactly("5", "6", "7");
    }

    @Test
    void theSocialKingStreamSendsStatusEventsEndingCompleted() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        var events = api.sse("/api/v1/automation/run/" + runId + "/sse", null);
        assertThat(events).allSatisfy(event -> assertThat(event.event()).isEqualTo("status"));
        var last = RunApi.JSON.readTree(events.get(events.size() - 1).data());
        assertThat(last.path("runId").asString()).isEqualTo(runId);
        assertThat(last.path("status").asString()).isEqualTo("completed");
        assertThat(last.path("progress").asInt()).isEqualTo(100);
        assertThat(last.path("message").asString()).isNotBlank();
    }

    @Test
    void streamsOfOtherTenantsRunsLookMissingAndBadLastEventIdsAreRefused() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        otherTenant.json(otherTenant.get("/api/v1/automation-runs/" + runId + "/events"), 404);
        var sk = otherTenant.json(otherTenant.get("/api/v1/automation/run/" + runId + "/sse"), 404);
        assertThat(sk.path("error").asString()).isEqualTo("not_found");
        var bad = client.get()
                .uri("/api/v1/automation-runs/" + runId + "/events")
                .header("X-Internal-Token", io.runway.common.testsupport.TestTokens.user("u1", "tenant-a"))
                .header("Last-Event-ID", "abc")
                .exchange()
                .expectStatus()
                .isEqualTo(422);
        assertThat(bad).isNotNull();
    }
}
