package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.ServiceStartupContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@RealInfrastructure
class AutomationRunIntegrationTests extends ServiceStartupContract {

    @Override
    protected String protectedPath() {
        return "/api/v1/automation-runs";
    }

    @Override
    protected String callerToken() {
        return io.runway.common.testsupport.TestTokens.user("contract-user", "contract-tenant");
    }

    static final LocalHttpServer server = new LocalHttpServer();

    static final String LOG_CHAIN =
            """
            [{"key": "a", "name": "A", "type": "log", "dependsOn": [], "config": {"message": "hi"}},
             {"key": "b", "name": "B", "type": "delay", "dependsOn": ["a"], "config": {"seconds": 0}},
             {"key": "c", "name": "C", "type": "log", "dependsOn": ["b"], "config": {"message": "bye"}}]""";

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    RunApi api;
    RunApi otherTenant;

    @BeforeEach
    void callers() {
        // The shared machine is slow: the first OpenAPI generation alone can take more than the default 5 s.
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        api = new RunApi(client, "u1", "tenant-a");
        otherTenant = new RunApi(client, "u2", "tenant-b");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    long count(String table) {
        return db.sql("SELECT count(*) AS n FROM " + table)
                .map(row -> row.get("n", Long.class))
                .one()
                .block();
    }

    // ---- Automations ----

    @Test
    void createReturnsIdAndFirstVersion() {
        var body = api.json(api.post("/api/v1/automations", "{\"name\": \"n\", \"steps\": " + LOG_CHAIN + "}"), 201);
        assertThat(body.path("id").asString()).isNotBlank();
        assertThat(body.path("automationVersionId").asString()).isNotBlank();
        assertThat(body.path("versionNumber").asInt()).isEqualTo(1);
        assertThat(body.path("steps")).hasSize(3);
        assertThat(body.path("steps").get(1).path("dependsOn").get(0).asString())
                .isEqualTo("a");
    }

    @Test
    void updateCreatesNewVersionAndRunsKeepTheVersionTheyStartedOn() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        var updated = api.json(
                api.put(
                        "/api/v1/automations/" + id,
                        "{\"name\": \"v2\", \"steps\": [{\"key\": \"only\", \"type\": \"log\"}]}"),
                200);
        assertThat(updated.path("versionNumber").asInt()).isEqualTo(2);
        assertThat(updated.path("name").asString()).isEqualTo("v2");
        var run = api.awaitStatus(runId, "completed");
        assertThat(run.path("versionNumber").asInt()).isEqualTo(1);
        assertThat(api.steps(runId).path("steps")).hasSize(3);
        var versions = api.json(api.get("/api/v1/automations/" + id + "/versions"), 200);
        assertThat(versions.path("total").asInt()).isEqualTo(2);
        var next = api.start(id, null);
        assertThat(api.awaitStatus(next, "completed").path("versionNumber").asInt())
                .isEqualTo(2);
    }

    @Test
    void listAndGetAreScopedToTheTenant() {
        var id = api.automation(LOG_CHAIN);
        assertThat(api.json(api.get("/api/v1/automations/" + id), 200)
                        .path("id")
                        .asString())
                .isEqualTo(id);
        assertThat(api.json(api.get("/api/v1/automations?limit=1000"), 200)
                        .path("total")
                        .asInt())
                .isPositive();
        otherTenant.json(otherTenant.get("/api/v1/automations/" + id), 404);
        assertThat(otherTenant.json(otherTenant.get("/api/v1/automations"), 200).path("items"))
                .noneMatch(item -> item.path("id").asString().equals(id));
    }

    @Test
    void duplicateKeysUnknownTypesUnknownDependenciesAndCyclesAreRefusedNamingTheStep() {
        var before = count("automations");
        var duplicate = invalid("[{\"key\": \"a\", \"type\": \"log\"}, {\"key\": \"a\", \"type\": \"log\"}]");
        assertThat(duplicate.toString()).contains("duplicate step key 'a'");
        assertThat(duplicate.path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"steps\",1,\"key\"]");
        assertThat(invalid("[{\"key\": \"x\", \"type\": \"teleport\"}]").toString())
                .contains("step 'x' has unknown type 'teleport'");
        assertThat(invalid("[{\"key\": \"x\", \"type\": \"log\", \"dependsOn\": [\"ghost\"]}]")
                        .toString())
                .contains("step 'x' depends on unknown step 'ghost'");
        assertThat(invalid(
                                """
                                [{"key": "a", "type": "log", "dependsOn": ["c"]},
                                 {"key": "b", "type": "log", "dependsOn": ["a"]},
                                 {"key": "c", "type": "log", "dependsOn": ["b"]}]""")
                        .toString())
                .contains("cycle");
        assertThat(invalid("[{\"key\": \"d\", \"type\": \"delay\", \"config\": {\"seconds\": \"soon\"}}]")
                        .toString())
                .contains("step 'd': config.seconds");
        assertThat(count("automations")).isEqualTo(before);
    }

    @Test
    void malformedBodiesAndBadIdsAreValidationErrors() {
        var malformed = api.json(api.post("/api/v1/automations", "{\"name\": "), 422);
        assertThat(malformed.path("detail").get(0).path("type").asString()).isEqualTo("json_invalid");
        var wrongShape = api.json(api.post("/api/v1/automations", "[1, 2]"), 422);
        assertThat(wrongShape.path("detail")).isNotEmpty();
        var badId = api.json(api.get("/api/v1/automations/not-a-uuid"), 422);
        assertThat(badId.path("detail").get(0).path("type").asString()).isEqualTo("uuid_parsing");
        api.json(api.get("/api/v1/automations?limit=0"), 422);
    }

    @Test
    void aNulCharacterInAnyTextIsABadRequestAndNothingIsSaved() {
        int before = api.json(api.get("/api/v1/automations?limit=1000"), 200)
                .path("items")
                .size();

        var inName = api.json(
                api.post("/api/v1/automations", "{\"name\": \"nul\\u0000name\", \"steps\": " + LOG_CHAIN + "}"), 400);
        var inConfig = api.json(
                api.post(
                        "/api/v1/automations",
                        "{\"name\": \"n\", \"steps\": [{\"key\": \"a\", \"name\": \"A\", \"type\": \"log\","
                                + " \"dependsOn\": [], \"config\": {\"message\": \"x\\u0000y\"}}]}"),
                400);

        assertThat(inName.path("detail").asString()).contains("cannot be stored");
        assertThat(inConfig.path("detail").asString()).contains("cannot be stored");
        assertThat(api.json(api.get("/api/v1/automations?limit=1000"), 200).path("items"))
                .hasSize(before);
    }

    private tools.jackson.databind.JsonNode invalid(String steps) {
        return api.json(api.post("/api/v1/automations", "{\"name\": \"bad\", \"steps\": " + steps + "}"), 422);
    }

    // ---- SocialKingFace ----

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

    // ---- GenericFace ----

    @Test
    void runCarriesEverySeedField() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, "{\"concurrencyKey\": \"fields\"}");
        var run = api.awaitStatus(runId, "completed");
        for (var field : List.of(
                "automationId",
                "automationVersionId",
                "completedAt",
                "concurrencyKey",
                "createdAt",
                "durationSeconds",
                "error",
                "externalJobId",
                "id",
                "orchestratorType",
                "startedAt",
                "status",
                "tenantId",
                "triggerSourceId",
                "triggerSourceType",
                "triggerType",
                "updatedAt",
                "versionNumber")) {
            assertThat(run.has(field)).as(field).isTrue();
        }
        assertThat(run.path("tenantId").asString()).isEqualTo("tenant-a");
        assertThat(run.path("triggerSourceId").asString()).isEqualTo("u1");
        assertThat(run.path("triggerType").asString()).isEqualTo("manual");
        assertThat(run.path("concurrencyKey").asString()).isEqualTo("fields");
        assertThat(run.path("orchestratorType").asString()).isEqualTo("local");
    }

    @Test
    void stepsCarryEverySeedFieldAndCounts() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        var steps = api.steps(runId);
        assertThat(steps.path("automationRunId").asString()).isEqualTo(runId);
        assertThat(steps.path("completedCount").asInt()).isEqualTo(3);
        assertThat(steps.path("failedCount").asInt()).isZero();
        assertThat(steps.path("pendingCount").asInt()).isZero();
        assertThat(steps.path("runningCount").asInt()).isZero();
        var first = steps.path("steps").get(0);
        for (var field : List.of(
                "actionRunId",
                "completedAt",
                "decisionId",
                "dependsOn",
                "durationSeconds",
                "error",
                "key",
                "name",
                "result",
                "resultTruncated",
                "startedAt",
                "status")) {
            assertThat(first.has(field)).as(field).isTrue();
        }
        assertThat(first.path("status").asString()).isEqualTo("completed");
        assertThat(first.path("result").path("message").asString()).isEqualTo("hi");
    }

    @Test
    void listFiltersByStatusAndPagesByOffsetAndCursor() {
        var id = api.automation(LOG_CHAIN);
        var a = api.start(id, null);
        var b = api.start(id, null);
        api.awaitStatus(a, "completed");
        api.awaitStatus(b, "completed");
        var list = api.json(api.get("/api/v1/automation-runs?status=completed&limit=1"), 200);
        assertThat(list.path("total").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(list.path("items")).hasSize(1);
        var next = api.json(
                api.get("/api/v1/automation-runs?status=completed&limit=1&after="
                        + list.path("nextCursor").asString()),
                200);
        var offset = api.json(api.get("/api/v1/automation-runs?status=completed&limit=1&offset=1"), 200);
        assertThat(next.path("items").get(0).path("id"))
                .isEqualTo(offset.path("items").get(0).path("id"));
        assertThat(api.json(api.get("/api/v1/automation-runs?status=failed&automationId=" + id), 200)
                        .path("total")
                        .asInt())
                .isZero();
    }

    @Test
    void badInputIsA422WithDetailList() {
        var before = count("runs");
        for (var bad : List.of(
                api.get("/api/v1/automation-runs?limit=1001"),
                api.get("/api/v1/automation-runs?limit=-1"),
                api.get("/api/v1/automation-runs?offset=-1"),
                api.get("/api/v1/automation-runs?status=success"),
                api.get("/api/v1/automation-runs?after=zzz"),
                api.get("/api/v1/automation-runs/123"),
                api.post("/api/v1/automation-runs/123/cancel", null),
                api.post("/api/v1/automation-runs/0190a6c0-0000-7000-8000-000000000000/retry", "{\"mode\": 3}"),
                api.post("/api/v1/automation-runs/0190a6c0-0000-7000-8000-000000000000/retry", "{\"mode\": \"some\"}"),
                api.post("/api/v1/automation-runs/0190a6c0-0000-7000-8000-000000000000/retry", "{\"mode\""))) {
            var body = api.json(bad, 422);
            assertThat(body.path("detail").isArray()).isTrue();
            assertThat(body.path("detail").get(0).has("loc")).isTrue();
            assertThat(body.path("detail").get(0).has("msg")).isTrue();
            assertThat(body.path("detail").get(0).has("type")).isTrue();
        }
        assertThat(count("runs")).isEqualTo(before);
        var notFound = api.json(api.get("/api/v1/automation-runs/0190a6c0-0000-7000-8000-000000000000"), 404);
        assertThat(notFound.path("detail").asString()).isEqualTo("Run not found");
    }

    @Test
    void otherTenantsRunsLookMissing() {
        var id = api.automation(LOG_CHAIN);
        var runId = api.start(id, null);
        api.awaitStatus(runId, "completed");
        otherTenant.json(otherTenant.get("/api/v1/automation-runs/" + runId), 404);
        otherTenant.json(otherTenant.get("/api/v1/automation-runs/" + runId + "/steps"), 404);
        otherTenant.json(otherTenant.post("/api/v1/automation-runs/" + runId + "/cancel", null), 404);
        otherTenant.json(otherTenant.post("/api/v1/automation-runs/" + runId + "/retry", "{\"mode\": \"full\"}"), 404);
        assertThat(otherTenant
                        .json(otherTenant.get("/api/v1/automation-runs?automationId=" + id), 200)
                        .path("total")
                        .asInt())
                .isZero();
    }

    // ---- StepTypes ----

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

    // ---- CancelAndConcurrency ----

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

    // ---- Retry ----

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

    // ---- Events ----

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
