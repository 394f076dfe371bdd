package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Automations and their versions: create, update, list, get, and what a definition may not hold. */
class AutomationsApiIntegrationTests extends RunApiTest {

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
    void aStartAfterAnotherInstanceChangedTheAutomationUsesTheNewVersion() {
        var id = api.automation(LOG_CHAIN);
        var first = api.start(id, null);
        assertThat(api.awaitStatus(first, "completed").path("versionNumber").asInt())
                .isEqualTo(1);
        // Another instance adds version 2: this one still remembers version 1 for starts.
        db.sql(
                        """
                        WITH v AS (
                            INSERT INTO automation_versions (id, automation_id, version_number, name, steps, created_by,
                                created_at)
                            VALUES (gen_random_uuid(), :id, 2, 'v2',
                                '[{"key": "only", "type": "log", "name": "only", "dependsOn": [], "config": {}}]',
                                'u1', now())
                            RETURNING id)
                        UPDATE automations SET current_version_id = (SELECT id FROM v), version_number = 2, name = 'v2'
                        WHERE id = :id""")
                .bind("id", java.util.UUID.fromString(id))
                .then()
                .block();

        var next = api.start(id, null);

        assertThat(api.awaitStatus(next, "completed").path("versionNumber").asInt())
                .isEqualTo(2);
        assertThat(api.steps(next).path("steps")).hasSize(1);
        assertThat(api.start(id, null)).as("a third start").isNotBlank();
        assertThat(api.json(api.get("/api/v1/automations/" + id + "/versions"), 200)
                        .path("total")
                        .asInt())
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
}
