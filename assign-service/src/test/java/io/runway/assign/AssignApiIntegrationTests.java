package io.runway.assign;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.ApiDescription;
import io.runway.common.testsupport.TestTokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;

/** Who may call the Assign API and the operator API, the API description, and the demo seed script. */
class AssignApiIntegrationTests extends AssignApiTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/worker/servers",
                "/api/v1/worker/servers/available",
                "/api/v1/worker/requests",
                "/api/v1/worker/links",
                "/api/v1/worker/links/account-stats?email=a@x.test",
                "/api/v1/worker/sites",
                "/api/v1/worker/accounts",
                "/api/v1/worker/settings?group=rate_limit"
            })
    void toolServersAndOperatorsAreRefusedByTheAssignApi(String path) {
        expectError(
                call(TestTokens.server(UUID.randomUUID().toString(), "tool"), HttpMethod.GET, path, null),
                401,
                "unauthorized");
        expectError(call(TestTokens.admin(), HttpMethod.GET, path, null), 401, "unauthorized");
    }

    @Test
    void theApiDescriptionNamesBodyFieldsAsTheWireDoes() {
        var schemas = ApiDescription.of(client).path("components").toString();
        assertThat(schemas).contains("\"group_id\"", "\"service_types\"", "\"max_threads\"");
        assertThat(schemas).doesNotContain("\"groupId\"", "\"serviceTypes\"", "\"maxThreads\"");
    }

    @Test
    void theOperatorApiRefusesServersAndCallersWithoutAToken() {
        expectError(
                call(HttpMethod.POST, "/api/v1/admin/sites", Map.of("name", "x", "type", "entity")), 403, "forbidden");
        client.get().uri("/api/v1/admin/servers").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theDemoSeedScriptPrintsWorkingKeysAndCanRunAgain() throws Exception {
        var first = seed();
        assertThat(first.keySet())
                .containsExactly("ASSIGN_API_KEY", "TOOL_API_KEY", "TOOL_API_KEY_2", "TOOL_API_KEY_3");
        assertThat(data.count("SELECT count(*) FROM servers WHERE service = 'tool'"))
                .isEqualTo(3);
        assertThat(data.count("SELECT count(*) FROM requests WHERE status = 'running' AND target > 0"))
                .isEqualTo(1);
        assertThat(data.count("SELECT count(*) FROM accounts")).isEqualTo(4);

        var second = seed();

        assertThat(data.count("SELECT count(*) FROM servers")).isEqualTo(4);
        assertThat(data.count("SELECT count(*) FROM requests")).isEqualTo(1);
        for (var entry : second.entrySet()) {
            assertThat(entry.getValue()).isNotEqualTo(first.get(entry.getKey()));
            assertThat(data.count(
                            "SELECT count(*) FROM servers WHERE api_key_hash = '" + sha256(entry.getValue()) + "'"))
                    .as("%s works", entry.getKey())
                    .isEqualTo(1);
        }
        assertThat(data.count("SELECT count(*) FROM servers WHERE service = 'assign' AND api_key_hash = '"
                        + sha256(second.get("ASSIGN_API_KEY")) + "'"))
                .isEqualTo(1);
    }
}
