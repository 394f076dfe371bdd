package io.runway.assign;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** Sites, accounts, settings and requests as the Assign API lists them and the operator API creates them. */
class CatalogApiIntegrationTests extends AssignApiTest {

    @Test
    void sitesAccountsAndSettingsAreListed() {
        var entity = data.site("e.test", "entity");
        var social = data.site("s.test", "social");
        data.exec("UPDATE sites SET active = false WHERE id = '" + social + "'");
        var group = UUID.randomUUID();
        data.account(group, "a@x.test");
        var banned = data.account(group, "b@x.test");
        data.exec("UPDATE accounts SET status = 'banned' WHERE id = '" + banned + "'");
        data.account(UUID.randomUUID(), "c@x.test");
        data.setting("rate_limit", "max_posts_per_day", "50");
        data.setting("rate_limit", "cooldown_minutes", "5");

        get("/api/v1/worker/sites?type=entity&active=true&limit=100")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.data[0].id")
                .isEqualTo(entity.toString());
        get("/api/v1/worker/sites?ids=" + entity + "," + social)
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2);
        get("/api/v1/worker/sites?active=false")
                .expectBody()
                .jsonPath("$.data[0].name")
                .isEqualTo("s.test");
        expectError(get("/api/v1/worker/sites?ids=1,2"), 400, "invalid_request");
        expectError(get("/api/v1/worker/sites?type=video"), 400, "invalid_request");

        get("/api/v1/worker/accounts?group_id=" + group + "&status=active")
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(1)
                .jsonPath("$.data[0].email")
                .isEqualTo("a@x.test")
                .jsonPath("$.data[0].group_id")
                .isEqualTo(group.toString());
        get("/api/v1/worker/accounts?group_id=" + group)
                .expectBody()
                .jsonPath("$.total")
                .isEqualTo(2);
        expectError(get("/api/v1/worker/accounts?group_id=g1"), 400, "invalid_request");
        expectError(get("/api/v1/worker/accounts?status=sleepy"), 400, "invalid_request");

        get("/api/v1/worker/settings?group=rate_limit")
                .expectBody()
                .json(
                        """
                        {"success":true,"group":"rate_limit",
                         "settings":{"max_posts_per_day":"50","cooldown_minutes":"5"}}
                        """);
        get("/api/v1/worker/settings?group=none")
                .expectBody()
                .json("{\"success\":true,\"group\":\"none\",\"settings\":{}}");
        expectError(get("/api/v1/worker/settings"), 400, "invalid_request");
    }

    @Test
    void operatorsCreateSitesAccountsSettingsAndRequests() {
        var site = admin(
                        HttpMethod.POST,
                        "/api/v1/admin/sites",
                        Map.of("name", "e.test", "type", "entity", "config", Map.of("x", 1)))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var siteId = (String) ((Map<?, ?>) site.get("data")).get("id");
        admin(HttpMethod.PUT, "/api/v1/admin/sites/" + siteId, Map.of("active", false))
                .expectBody()
                .jsonPath("$.data.active")
                .isEqualTo(false)
                .jsonPath("$.data.config.x")
                .isEqualTo(1);
        expectError(
                admin(HttpMethod.POST, "/api/v1/admin/sites", Map.of("name", "x", "type", "video")),
                400,
                "invalid_request");
        expectError(
                admin(HttpMethod.PUT, "/api/v1/admin/sites/" + UUID.randomUUID(), Map.of("active", true)),
                404,
                "not_found");

        var group = UUID.randomUUID().toString();
        admin(
                        HttpMethod.POST,
                        "/api/v1/admin/accounts",
                        Map.of("group_id", group, "email", "a@x.test", "password", "p"))
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.data.status")
                .isEqualTo("active");
        expectError(
                admin(HttpMethod.POST, "/api/v1/admin/accounts", Map.of("email", "a@x.test")), 400, "invalid_request");

        admin(
                        HttpMethod.PUT,
                        "/api/v1/admin/settings/rate_limit",
                        Map.of("max_posts_per_day", 50, "cooldown_minutes", "5"))
                .expectStatus()
                .isOk()
                .expectBody()
                .json(
                        "{\"success\":true,\"group\":\"rate_limit\",\"settings\":{\"max_posts_per_day\":\"50\",\"cooldown_minutes\":\"5\"}}");
        expectError(
                admin(HttpMethod.PUT, "/api/v1/admin/settings/rate_limit", Map.of("a", List.of(1))),
                400,
                "invalid_request");

        var created = admin(
                        HttpMethod.POST,
                        "/api/v1/admin/requests",
                        Map.of(
                                "name",
                                "Campaign A",
                                "service_type",
                                "entity",
                                "target",
                                50,
                                "website",
                                "https://target.com",
                                "auction_price",
                                100,
                                "priority",
                                5,
                                "group_id",
                                group,
                                "status",
                                "running",
                                "config",
                                Map.of("k", "v")))
                .expectStatus()
                .isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
        var requestData = (Map<?, ?>) created.get("data");
        assertThat(requestData.get("status")).isEqualTo("running");
        assertThat(requestData.get("started_at")).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(requestData.get("group_id")).isEqualTo(group);
        admin(
                        HttpMethod.PUT,
                        "/api/v1/admin/requests/" + requestData.get("id"),
                        Map.of("target", 60, "status", "pending"))
                .expectBody()
                .jsonPath("$.data.target")
                .isEqualTo(60)
                .jsonPath("$.data.status")
                .isEqualTo("pending");
        expectError(
                admin(
                        HttpMethod.POST,
                        "/api/v1/admin/requests",
                        Map.of("name", "x", "service_type", "entity", "target", -1)),
                400,
                "invalid_request");
        expectError(admin(HttpMethod.POST, "/api/v1/admin/requests", Map.of("name", "x")), 400, "invalid_request");
        expectError(
                admin(
                        HttpMethod.POST,
                        "/api/v1/admin/requests",
                        Map.of("name", "x", "service_type", "entity", "config", List.of())),
                400,
                "invalid_request");
    }
}
