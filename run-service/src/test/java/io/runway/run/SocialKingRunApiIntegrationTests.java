package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SocialKing face of runs (seed 001): start, status, stop, history, active list, its error shape. */
class SocialKingRunApiIntegrationTests extends RunApiTest {

    @Test
    void startReturnsTheRunAndStatusReachesSuccessWithFullProgress() {
        var id = api.automation(LOG_CHAIN);
        var runsStarted = meters.counter("run.engine.runs.started").count();
        var runsSucceeded = succeeded();
        var transitions = meters.timer("run.engine.transitions").count();
        var started =
                api.json(api.post("/api/v1/automation/run/" + id + "/start", "{\"skipScheduleNode\": true}"), 200);
        assertThat(started.path("success").asBoolean()).isTrue();
        var data = started.path("data");
        assertThat(data.path("automationId").asString()).isEqualTo(id);
        assertThat(data.path("status").asString()).isIn("running", "pending", "success");
        var runId = data.path("runId").asString();
        var status = RunApi.await(
                () -> api.json(api.get("/api/v1/automation/run/" + runId + "/status"), 200)
                        .path("data"),
                d -> d.path("status").asString().equals("success"),
                "success");
        assertThat(status.path("progress").asInt()).isEqualTo(100);
        assertThat(status.path("completedAt").isNull()).isFalse();
        assertThat(meters.counter("run.engine.runs.started").count()).isGreaterThan(runsStarted);
        assertThat(succeeded()).isGreaterThan(runsSucceeded);
        assertThat(meters.timer("run.engine.transitions").count()).isGreaterThan(transitions);
    }

    private double succeeded() {
        return meters.counter("run.engine.runs.finished", "status", "success").count();
    }

    @Test
    void historyFiltersPagesAndCursors() {
        var id = api.automation(LOG_CHAIN);
        var runs = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            runs.add(api.start(id, i == 2 ? "{\"triggeredBy\": \"api\"}" : null));
        }
        runs.forEach(run -> api.awaitStatus(run, "completed"));
        var page = api.json(api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_limit=2&_page=1"), 200)
                .path("data");
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("page").asInt()).isEqualTo(1);
        assertThat(page.path("runs")).hasSize(2);
        assertThat(page.path("runs").get(0).path("runId").asString()).isEqualTo(runs.get(2));
        assertThat(page.path("runs").get(0).path("status").asString()).isEqualTo("success");
        assertThat(page.path("runs").get(0).path("triggeredBy").asString()).isEqualTo("api");
        var second = api.json(
                        api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_limit=2&_page=2"), 200)
                .path("data");
        assertThat(second.path("runs").get(0).path("runId").asString()).isEqualTo(runs.get(0));
        var cursor = page.path("nextCursor").asString();
        var byCursor = api.json(
                        api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_limit=2&_cursor=" + cursor),
                        200)
                .path("data");
        assertThat(byCursor.path("runs").get(0).path("runId").asString()).isEqualTo(runs.get(0));
        var ascending = api.json(api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_order=asc"), 200)
                .path("data");
        assertThat(ascending.path("runs").get(0).path("runId").asString()).isEqualTo(runs.get(0));
        var manual = api.json(
                        api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_triggeredBy=manual"), 200)
                .path("data");
        assertThat(manual.path("total").asInt()).isEqualTo(2);
        var failed = api.json(api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_status=failed"), 200)
                .path("data");
        assertThat(failed.path("total").asInt()).isZero();
        var other = otherTenant
                .json(otherTenant.get("/api/v1/automation/run/history?_fbAutomationId=" + id), 200)
                .path("data");
        assertThat(other.path("total").asInt()).isZero();
    }

    @Test
    void activeListsRunningRuns() {
        var id = api.automation("[{\"key\": \"wait\", \"type\": \"delay\", \"config\": {\"seconds\": 600}}]");
        var runId = api.start(id, null);
        var active = api.json(api.get("/api/v1/automation/run/active?_limit=100"), 200)
                .path("data");
        assertThat(active)
                .anyMatch(run -> run.path("runId").asString().equals(runId)
                        && run.path("status").asString().equals("running"));
        var stopped = api.json(api.post("/api/v1/automation/run/" + runId + "/stop", null), 200);
        assertThat(stopped.path("success").asBoolean()).isTrue();
        assertThat(stopped.path("message").asString()).isEqualTo("Run stopped");
        var after = api.json(api.get("/api/v1/automation/run/active?_limit=100"), 200)
                .path("data");
        assertThat(after).noneMatch(run -> run.path("runId").asString().equals(runId));
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameRun() {
        var id = api.automation(LOG_CHAIN);
        var first = api.json(api.post("/api/v1/automation/run/" + id + "/start", "{}"), 200);
        var keyed = client.mutate().build();
        var one = startWithKey(id, "key-1");
        var two = startWithKey(id, "key-1");
        assertThat(one).isEqualTo(two);
        assertThat(first.path("data").path("runId").asString()).isNotEqualTo(one);
        assertThat(keyed).isNotNull();
    }

    private String startWithKey(String id, String key) {
        var body = client.post()
                .uri("/api/v1/automation/run/" + id + "/start")
                .header("X-Internal-Token", io.runway.common.testsupport.TestTokens.user("u1", "tenant-a"))
                .header("Idempotency-Key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return RunApi.JSON.readTree(body).path("data").path("runId").asString();
    }

    @Test
    void badInputIsAClearValidationErrorAndChangesNothing() {
        var id = api.automation(LOG_CHAIN);
        var before = count("runs");
        for (var bad : List.of(
                api.post("/api/v1/automation/run/not-a-uuid/start", null),
                api.post("/api/v1/automation/run/" + id + "/start", "{\"skipScheduleNode\": "),
                api.post("/api/v1/automation/run/" + id + "/start", "{\"skipScheduleNode\": \"yes\"}"),
                api.post("/api/v1/automation/run/" + id + "/start", "{\"onConflict\": \"explode\"}"),
                api.post("/api/v1/automation/run/" + id + "/start", "[true]"),
                api.get("/api/v1/automation/run/active?_limit=0"),
                api.get("/api/v1/automation/run/active?_limit=abc"),
                api.get("/api/v1/automation/run/history"),
                api.get("/api/v1/automation/run/history?_fbAutomationId=nope"),
                api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_limit=101"),
                api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_status=bogus"),
                api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_order=sideways"),
                api.get("/api/v1/automation/run/history?_fbAutomationId=" + id + "&_page=0"),
                api.get("/api/v1/automation/run/x/status"))) {
            var body = api.json(bad, 400);
            assertThat(body.path("success").asBoolean()).isFalse();
            assertThat(body.path("error").asString()).isEqualTo("validation_error");
            assertThat(body.path("message").asString()).isNotBlank();
        }
        var missing = api.json(api.get("/api/v1/automation/run/history"), 400);
        assertThat(missing.path("message").asString()).contains("_fbAutomationId");
        assertThat(count("runs")).isEqualTo(before);
    }

    @Test
    void unknownRunsAndOtherTenantsRunsAreNotFound() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        var notFound = otherTenant.json(otherTenant.get("/api/v1/automation/run/" + runId + "/status"), 404);
        assertThat(notFound.path("error").asString()).isEqualTo("not_found");
        otherTenant.json(otherTenant.post("/api/v1/automation/run/" + runId + "/stop", null), 404);
        otherTenant.json(otherTenant.post("/api/v1/automation/run/" + id + "/start", null), 404);
        api.json(api.get("/api/v1/automation/run/0190a6c0-0000-7000-8000-000000000000/status"), 404);
    }

    @Test
    void callersWithoutTokenGetThisFacesErrorShape() {
        var body = client.get()
                .uri("/api/v1/automation/run/active")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(RunApi.JSON.readTree(body).path("success").asBoolean(true)).isFalse();
        var generic = client.get()
                .uri("/api/v1/automation-runs")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(RunApi.JSON.readTree(generic).path("detail").isString()).isTrue();
    }
}
