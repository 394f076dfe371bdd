package io.runway.assign;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** Servers in the Assign API (list, available, status) and in the operator API (register, rotate keys). */
class ServersApiIntegrationTests extends AssignApiTest {

    @Test
    void serversAreListedWithTheirHealthAndFiltered() {
        var fresh = data.server("fresh", "tool", 20, 10);
        data.heartbeat(fresh, NOW.minusSeconds(30), 10);
        var silent = data.server("silent", "tool", 5, 0);
        data.heartbeat(silent, NOW.minus(Duration.ofMinutes(10)), 10);
        var off = data.server("off", "assign", 5, 0);
        data.exec("UPDATE servers SET status = 'offline' WHERE id = '" + off + "'");
        data.exec("UPDATE servers SET active_tasks = 12 WHERE id = '" + fresh + "'");

        get("/api/v1/worker/servers")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(true)
                .jsonPath("$.total")
                .isEqualTo(3)
                .jsonPath("$.data[0].name")
                .isEqualTo("fresh")
                .jsonPath("$.data[0].service")
                .isEqualTo("tool")
                .jsonPath("$.data[0].status")
                .isEqualTo("online")
                .jsonPath("$.data[0].active_threads")
                .isEqualTo(3)
                .jsonPath("$.data[0].active_tasks")
                .isEqualTo(12)
                .jsonPath("$.data[0].max_threads")
                .isEqualTo(20)
                .jsonPath("$.data[0].priority")
                .isEqualTo(10)
                .jsonPath("$.data[0].last_health_check")
                .isEqualTo("2026-03-02T09:59:30Z")
                .jsonPath("$.data[0].last_active")
                .isEqualTo("2026-03-02T09:59:30Z")
                .jsonPath("$.data[0].avail_slots")
                .doesNotExist();
        get("/api/v1/worker/servers?status=offline")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        get("/api/v1/worker/servers?inactive_minutes=5")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.data[?(@.name == 'fresh')]")
                .doesNotExist();
        expectError(get("/api/v1/worker/servers?status=sleeping"), 400, "invalid_request");
        expectError(get("/api/v1/worker/servers?inactive_minutes=soon"), 400, "invalid_request");
    }

    @Test
    void availableServersHaveFreeSlots() {
        var roomy = data.server("roomy", "tool", 20, 0, "entity");
        data.exec("UPDATE servers SET active_tasks = 5 WHERE id = '" + roomy + "'");
        var full = data.server("full", "tool", 2, 0);
        data.exec("UPDATE servers SET active_tasks = 2 WHERE id = '" + full + "'");
        var maintenance = data.server("maint", "tool", 5, 0);
        data.exec("UPDATE servers SET status = 'maintenance' WHERE id = '" + maintenance + "'");
        data.server("assigner", "assign", 3, 0);

        get("/api/v1/worker/servers/available")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2)
                .jsonPath("$.data[0].name")
                .isEqualTo("roomy")
                .jsonPath("$.data[0].avail_slots")
                .isEqualTo(15);
        get("/api/v1/worker/servers/available?status=online&service=tool")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        get("/api/v1/worker/servers/available?service=social")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(0);
        get("/api/v1/worker/servers/available?status=maintenance")
                .expectBody()
                .jsonPath("$.data[0].name")
                .isEqualTo("maint");
        expectError(get("/api/v1/worker/servers/available?status=nope"), 400, "invalid_request");
    }

    @Test
    void aServersStatusIsChanged() {
        var server = data.server("s", "tool", 5, 0);

        put("/api/v1/worker/servers/" + server + "/status", Map.of("status", "maintenance"))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(true)
                .jsonPath("$.status")
                .isEqualTo("maintenance");
        assertThat(status("servers", server)).isEqualTo("maintenance");

        expectError(
                put("/api/v1/worker/servers/" + server + "/status", Map.of("status", "asleep")),
                400,
                "invalid_request");
        expectError(put("/api/v1/worker/servers/" + server + "/status", Map.of()), 400, "invalid_request");
        expectError(put("/api/v1/worker/servers/" + server + "/status", "{\"status\":"), 400, "invalid_request");
        expectError(
                put("/api/v1/worker/servers/not-a-uuid/status", Map.of("status", "online")), 400, "invalid_request");
        expectError(
                put("/api/v1/worker/servers/" + UUID.randomUUID() + "/status", Map.of("status", "online")),
                404,
                "not_found");
    }

    @Test
    void operatorsRegisterServersAndRotateTheirKeys() throws Exception {
        var registered = admin(
                        HttpMethod.POST,
                        "/api/v1/admin/servers",
                        Map.of(
                                "name",
                                "tool-1",
                                "service",
                                "tool",
                                "max_threads",
                                8,
                                "priority",
                                3,
                                "service_types",
                                List.of("entity")))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var key = (String) registered.get("api_key");
        var id = (String) ((Map<?, ?>) registered.get("data")).get("id");
        assertThat(key).startsWith("lp_").hasSizeGreaterThan(40);
        assertThat(data.row("SELECT api_key_hash, max_threads, service_types::text AS t FROM servers WHERE id = '" + id
                        + "'"))
                .containsEntry("api_key_hash", sha256(key))
                .containsEntry("max_threads", 8)
                .containsEntry("t", "{entity}");

        var rotated = admin(HttpMethod.POST, "/api/v1/admin/servers/" + id + "/rotate-key", null)
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var newKey = (String) rotated.get("api_key");
        assertThat(newKey).isNotEqualTo(key);
        assertThat(data.row("SELECT api_key_hash FROM servers WHERE id = '" + id + "'")
                        .get("api_key_hash"))
                .isEqualTo(sha256(newKey));

        admin(HttpMethod.PUT, "/api/v1/admin/servers/" + id, Map.of("status", "maintenance", "max_threads", 4))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.status")
                .isEqualTo("maintenance")
                .jsonPath("$.data.max_threads")
                .isEqualTo(4);
        admin(HttpMethod.GET, "/api/v1/admin/servers?name=tool-1", null)
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1);
        expectError(admin(HttpMethod.POST, "/api/v1/admin/servers", Map.of("name", "tool-1")), 409, "conflict");
        expectError(
                admin(HttpMethod.POST, "/api/v1/admin/servers", Map.of("name", "x", "service", "web")),
                400,
                "invalid_request");
        expectError(admin(HttpMethod.POST, "/api/v1/admin/servers", Map.of("service", "tool")), 400, "invalid_request");
        expectError(
                admin(HttpMethod.POST, "/api/v1/admin/servers/" + UUID.randomUUID() + "/rotate-key", null),
                404,
                "not_found");
    }
}
