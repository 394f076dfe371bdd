package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** Cancel, concurrency keys and the three retry modes, as a caller of the API sees them. */
class RunControlIntegrationTests extends RunApiTest {

    @RegisterExtension
    static final LocalHttpServer server = new LocalHttpServer();

    @Test
    void cancelInterruptsAHangingStepWithinBoundedTime() {
        var id = api.automation("[{\"key\": \"hang\", \"type\": \"http\", \"config\": {\"url\": \""
                + server.url("/hang/cancel-test") + "\", \"timeoutSeconds\": 300, \"maxAttempts\": 1}},"
                + " {\"key\": \"never\", \"type\": \"log\", \"dependsOn\": [\"hang\"]}]");
        var runId = api.start(id, null);
        api.awaitStep(runId, "hang", "running");
        var canceled = api.json(api.post("/api/v1/automation-runs/" + runId + "/cancel", null), 200);
        assertThat(canceled.path("status").asString()).isEqualTo("canceled");
        assertThat(canceled.path("completedAt").isNull()).isFalse();
        assertThat(api.step(runId, "hang").path("status").asString()).isEqualTo("canceled");
        assertThat(api.step(runId, "never").path("status").asString()).isEqualTo("pending");
        StepVerifier.create(server.hangCanceled
                        .asFlux()
                        .filter("cancel-test"::equals)
                        .next())
                .expectNext("cancel-test")
                .verifyComplete();
        var who = db.sql("SELECT canceled_by FROM runs WHERE id = CAST(:id AS uuid)")
                .bind("id", runId)
                .map(row -> row.get("canceled_by", String.class))
                .one()
                .block();
        assertThat(who).isEqualTo("user:u1");
        var again = api.json(api.post("/api/v1/automation-runs/" + runId + "/cancel", null), 409);
        assertThat(again.path("detail").asString()).contains("canceled");
    }

    @Test
    void aConcurrencyKeyQueuesTheSecondRunUntilTheFirstEnds() {
        var id = api.automation("[{\"key\": \"wait\", \"type\": \"delay\", \"config\": {\"seconds\": 600}}]");
        var first = api.start(id, "{\"concurrencyKey\": \"k1\"}");
        var second = api.start(id, "{\"concurrencyKey\": \"k1\"}");
        assertThat(api.run(first).path("status").asString()).isEqualTo("running");
        assertThat(api.run(second).path("status").asString()).isEqualTo("pending");
        api.json(api.post("/api/v1/automation/run/" + first + "/stop", null), 200);
        api.awaitStatus(second, "running");
        api.json(api.post("/api/v1/automation/run/" + second + "/stop", null), 200);
    }

    @Test
    void aStartMayRejectOrCancelTheRunHoldingTheKey() {
        var id = api.automation("[{\"key\": \"wait\", \"type\": \"delay\", \"config\": {\"seconds\": 600}}]");
        var first = api.start(id, "{\"concurrencyKey\": \"k2\"}");
        var rejected = api.json(
                api.post(
                        "/api/v1/automation/run/" + id + "/start",
                        "{\"concurrencyKey\": \"k2\", \"onConflict\": \"reject\"}"),
                409);
        assertThat(rejected.path("error").asString()).isEqualTo("concurrency_conflict");
        var replacing = api.start(id, "{\"concurrencyKey\": \"k2\", \"onConflict\": \"cancel_running\"}");
        assertThat(api.run(first).path("status").asString()).isEqualTo("canceled");
        api.awaitStatus(replacing, "running");
        api.json(api.post("/api/v1/automation/run/" + replacing + "/stop", null), 200);
    }

    static final String FLIPPING =
            """
            [{"key": "a", "type": "log"},
             {"key": "b", "type": "http", "dependsOn": ["a"], "config": {"url": "%s", "maxAttempts": 1}},
             {"key": "c", "type": "log", "dependsOn": ["b"]},
             {"key": "side", "type": "log", "dependsOn": ["a"]}]""";

    String failedRun() {
        server.toggleStatus.set(400);
        var id = api.automation(FLIPPING.formatted(server.url("/toggle")));
        var runId = api.start(id, null);
        api.awaitStatus(runId, "failed");
        assertThat(api.step(runId, "c").path("status").asString()).isEqualTo("pending");
        server.toggleStatus.set(200);
        return runId;
    }

    @Test
    void fromFailedRerunsFailedStepsAndDownstreamKeepingSuccessfulResults() {
        var runId = failedRun();
        var aBefore = api.step(runId, "a");
        var retried = api.json(api.post("/api/v1/automation-runs/" + runId + "/retry", "{}"), 200);
        assertThat(retried.path("id").asString()).isEqualTo(runId);
        api.awaitStatus(runId, "completed");
        var aAfter = api.step(runId, "a");
        assertThat(aAfter.path("completedAt")).isEqualTo(aBefore.path("completedAt"));
        assertThat(aAfter.path("attempt").asInt()).isEqualTo(1);
        assertThat(api.step(runId, "b").path("attempt").asInt()).isEqualTo(2);
        assertThat(api.step(runId, "c").path("status").asString()).isEqualTo("completed");
        assertThat(api.step(runId, "side").path("attempt").asInt()).isEqualTo(1);
        var history = db.sql("SELECT status FROM run_step_attempts WHERE run_id = CAST(:id AS uuid) AND step_key = 'b'")
                .bind("id", runId)
                .map(row -> row.get("status", String.class))
                .all()
                .collectList()
                .block();
        assertThat(history).containsExactly("failed");
    }

    @Test
    void fromStepRerunsThatStepAndDownstream() {
        var runId = failedRun();
        api.json(
                api.post(
                        "/api/v1/automation-runs/" + runId + "/retry", "{\"mode\": \"from_step\", \"stepKey\": \"b\"}"),
                200);
        api.awaitStatus(runId, "completed");
        assertThat(api.step(runId, "a").path("attempt").asInt()).isEqualTo(1);
        assertThat(api.step(runId, "b").path("attempt").asInt()).isEqualTo(2);
        api.json(
                api.post(
                        "/api/v1/automation-runs/" + runId + "/retry", "{\"mode\": \"from_step\", \"stepKey\": \"a\"}"),
                200);
        api.awaitStatus(runId, "completed");
        assertThat(api.step(runId, "a").path("attempt").asInt()).isEqualTo(2);
        assertThat(api.step(runId, "side").path("attempt").asInt()).isEqualTo(2);
        assertThat(api.step(runId, "b").path("attempt").asInt()).isEqualTo(3);
    }

    @Test
    void fullRerunsEverything() {
        var runId = failedRun();
        api.json(api.post("/api/v1/automation-runs/" + runId + "/retry", "{\"mode\": \"full\"}"), 200);
        var run = api.awaitStatus(runId, "completed");
        assertThat(run.path("error").isNull()).isTrue();
        for (var step : api.steps(runId).path("steps")) {
            // c never ran before the retry, so this is its first attempt.
            var expected = step.path("key").asString().equals("c") ? 1 : 2;
            assertThat(step.path("attempt").asInt())
                    .as(step.path("key").asString())
                    .isEqualTo(expected);
        }
    }

    @Test
    void unknownStepsAndActiveRunsAreRefused() {
        var runId = failedRun();
        var unknown = api.json(
                api.post(
                        "/api/v1/automation-runs/" + runId + "/retry",
                        "{\"mode\": \"from_step\", \"stepKey\": \"zz\"}"),
                422);
        assertThat(unknown.toString()).contains("Run has no step 'zz'");
        api.json(api.post("/api/v1/automation-runs/" + runId + "/retry", "{\"mode\": \"from_step\"}"), 422);
        var id = api.automation("[{\"key\": \"wait\", \"type\": \"delay\", \"config\": {\"seconds\": 600}}]");
        var active = api.start(id, null);
        var refused = api.json(api.post("/api/v1/automation-runs/" + active + "/retry", "{}"), 409);
        assertThat(refused.path("detail").asString()).contains("still running");
        api.json(api.post("/api/v1/automation-runs/" + active + "/cancel", null), 200);
        var done = api.start(api.automation(LOG_CHAIN), null);
        api.awaitStatus(done, "completed");
        api.json(api.post("/api/v1/automation-runs/" + done + "/retry", "{}"), 409);
    }
}
