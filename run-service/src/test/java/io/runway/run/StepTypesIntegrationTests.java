package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each step type does inside a run: http (answer, retries, failures, truncation), parallel branches, condition,
 * schedule.
 */
class StepTypesIntegrationTests extends RunApiTest {

    @RegisterExtension
    static final LocalHttpServer server = new LocalHttpServer();

    @Test
    void httpStepResultIsTheAnswer() {
        var id = api.automation("[{\"key\": \"get\", \"type\": \"http\", \"config\": {\"url\": \"" + server.url("/ok")
                + "\"}}, {\"key\": \"post\", \"type\": \"http\", \"config\": {\"method\": \"POST\", \"url\": \""
                + server.url("/echo")
                + "\", \"headers\": {\"Content-Type\": \"application/json\"}, \"body\": {\"x\": 1}}}]");
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        var get = api.step(runId, "get");
        assertThat(get.path("result").path("status").asInt()).isEqualTo(200);
        assertThat(get.path("result").path("body").path("n").asInt()).isEqualTo(7);
        assertThat(get.path("resultTruncated").asBoolean()).isFalse();
        assertThat(api.step(runId, "post").path("result").path("body").path("x").asInt())
                .isEqualTo(1);
    }

    @Test
    void httpStepRetriesServerErrorsWithBackoff() {
        server.flaky.set(0);
        var id = api.automation("[{\"key\": \"f\", \"type\": \"http\", \"config\": {\"url\": \"" + server.url("/flaky")
                + "\", \"maxAttempts\": 3}}]");
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        assertThat(api.step(runId, "f")
                        .path("result")
                        .path("body")
                        .path("attempt")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void httpStepFailsOnClientErrorsAndTruncatesLargeBodies() {
        server.toggleStatus.set(404);
        var id = api.automation("[{\"key\": \"big\", \"type\": \"http\", \"config\": {\"url\": \""
                + server.url("/big") + "\"}}, {\"key\": \"missing\", \"type\": \"http\", \"dependsOn\": [\"big\"],"
                + " \"config\": {\"url\": \"" + server.url("/toggle") + "\"}}]");
        var runId = api.start(id, null);
        var run = api.awaitStatus(runId, "failed");
        assertThat(run.path("error").path("stepKey").asString()).isEqualTo("missing");
        var big = api.step(runId, "big");
        assertThat(big.path("resultTruncated").asBoolean()).isTrue();
        assertThat(big.path("result").path("body").asString()).hasSize(1024);
        var missing = api.step(runId, "missing");
        assertThat(missing.path("status").asString()).isEqualTo("failed");
        assertThat(missing.path("result").path("status").asInt()).isEqualTo(404);
    }

    @Test
    void independentStepsRunConcurrently() {
        // The server answers /barrier only once two calls are in flight together.
        var id = api.automation(
                """
                [{"key": "start", "type": "log"},
                 {"key": "left", "type": "http", "dependsOn": ["start"], "config": {"url": "%1$s", "maxAttempts": 1}},
                 {"key": "right", "type": "http", "dependsOn": ["start"], "config": {"url": "%1$s", "maxAttempts": 1}},
                 {"key": "join", "type": "log", "dependsOn": ["left", "right"]}]"""
                        .formatted(server.url("/barrier")));
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        assertThat(api.step(runId, "left")
                        .path("result")
                        .path("body")
                        .path("together")
                        .asBoolean())
                .isTrue();
        assertThat(api.step(runId, "join").path("status").asString()).isEqualTo("completed");
    }

    @Test
    void conditionSkipsTheBranchNotTakenAndRecordsItsDecision() {
        var id = api.automation(
                """
                [{"key": "fetch", "type": "http", "config": {"url": "%s"}},
                 {"key": "check", "type": "condition", "dependsOn": ["fetch"],
                  "config": {"if": {"step": "fetch", "path": "/body/n", "op": "gt", "value": 5},
                             "then": ["big"], "else": ["small"]}},
                 {"key": "big", "type": "log", "dependsOn": ["check"]},
                 {"key": "small", "type": "log", "dependsOn": ["check"]},
                 {"key": "afterSmall", "type": "log", "dependsOn": ["small"]},
                 {"key": "join", "type": "log", "dependsOn": ["big", "small"]}]"""
                        .formatted(server.url("/ok")));
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        var check = api.step(runId, "check");
        assertThat(check.path("decisionId").asString()).isEqualTo("then");
        assertThat(check.path("result").path("value").asInt()).isEqualTo(7);
        assertThat(api.step(runId, "big").path("status").asString()).isEqualTo("completed");
        assertThat(api.step(runId, "small").path("status").asString()).isEqualTo("skipped");
        assertThat(api.step(runId, "afterSmall").path("status").asString()).isEqualTo("skipped");
        assertThat(api.step(runId, "join").path("status").asString()).isEqualTo("completed");
    }

    @Test
    void scheduleIsSkippedByDefaultAndWaitsWhenAsked() {
        var id = api.automation(
                """
                [{"key": "when", "type": "schedule", "config": {"at": "2020-01-01T00:00:00Z"}},
                 {"key": "then", "type": "log", "dependsOn": ["when"]}]""");
        var skipped = api.start(id, null);
        api.awaitStatus(skipped, "completed");
        assertThat(api.step(skipped, "when").path("status").asString()).isEqualTo("skipped");
        assertThat(api.step(skipped, "then").path("status").asString()).isEqualTo("completed");
        var scheduled = api.start(id, "{\"skipScheduleNode\": false}");
        api.awaitStatus(scheduled, "completed");
        assertThat(api.step(scheduled, "when").path("status").asString()).isEqualTo("completed");
        assertThat(api.step(scheduled, "when").path("result").path("firedAt").asString())
                .isEqualTo("2020-01-01T00:00:00Z");
    }
}
