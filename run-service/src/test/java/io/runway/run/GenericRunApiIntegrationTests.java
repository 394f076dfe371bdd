package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The generic face of runs (seed 003): every seed field of runs and steps, lists, its 422 detail list, tenants. */
class GenericRunApiIntegrationTests extends RunApiTest {

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
}
