package io.runway.assign;

import io.runway.common.testsupport.MalformedInputContract;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.dispatcher.enabled=false"})
@AutoConfigureWebTestClient
@RealInfrastructure
class AssignMalformedInputIntegrationTests extends MalformedInputContract {

    UUID server;
    UUID request;
    UUID link;
    UUID site;
    UUID account;

    @BeforeEach
    void rows() {
        var data = new TestData(db);
        data.reset();
        server = data.server("fuzz", "tool", 4, 0, "entity");
        request = data.request("entity", "running", 10, null);
        link = data.link(request, "entity", "failed", null, null);
        site = data.site("fuzz.example", "entity");
        account = data.account(UUID.randomUUID(), "fuzz@example.com");
    }

    @Override
    protected String tokenFor(String path) {
        return path.startsWith("/api/v1/admin/")
                ? TestTokens.admin()
                : TestTokens.server(UUID.randomUUID().toString(), "assign");
    }

    @Override
    protected int maxBodyBytes() {
        return 16 * 1024 * 1024;
    }

    @Override
    protected String existingPathValue(String template, String variable) {
        if (variable.equals("group")) {
            return "rate_limit";
        }
        if (template.contains("/servers/")) {
            return server.toString();
        }
        if (template.contains("/requests/")) {
            return request.toString();
        }
        if (template.contains("/links/")) {
            return link.toString();
        }
        if (template.contains("/sites/")) {
            return site.toString();
        }
        if (template.contains("/accounts/")) {
            return account.toString();
        }
        return null;
    }

    @Override
    protected Map<String, String> validBodies() {
        var bulkLink =
                """
                {"request_id":"%s","service_type":"entity","site_name":"example.com","email":"user@gmail.com",
                 "username":"user123","password":"pass","about":"Bio","max_retries":5,"details":{"key":"value"}}"""
                        .formatted(request);
        var newRequest =
                """
                {"name":"Campaign","service_type":"entity","target":50,"website":"https://target.com",
                 "auction_price":100,"priority":5,"group_id":"%s","status":"running","config":{"k":"v"}}"""
                        .formatted(UUID.randomUUID());
        return Map.ofEntries(
                Map.entry("PUT /api/v1/worker/servers/{id}/status", "{\"status\":\"maintenance\"}"),
                Map.entry("PUT /api/v1/worker/requests/{id}/status", "{\"status\":\"failed\"}"),
                Map.entry("PUT /api/v1/worker/links/{id}/assign", "{\"server_id\":\"" + server + "\"}"),
                Map.entry("POST /api/v1/worker/links/bulk", "{\"links\":[" + bulkLink + "]}"),
                Map.entry("PUT /api/v1/worker/links/bulk-retry", "{\"link_ids\":[\"" + link + "\"]}"),
                Map.entry("PUT /api/v1/worker/links/mark-final-failed", "{\"request_id\":\"" + request + "\"}"),
                Map.entry(
                        "POST /api/v1/admin/servers",
                        "{\"name\":\"new-tool\",\"service\":\"tool\",\"max_threads\":4,\"priority\":1,"
                                + "\"service_types\":[\"entity\"]}"),
                Map.entry("PUT /api/v1/admin/servers/{id}", "{\"status\":\"maintenance\",\"max_threads\":4}"),
                Map.entry("POST /api/v1/admin/sites", "{\"name\":\"e.test\",\"type\":\"entity\",\"config\":{\"x\":1}}"),
                Map.entry("PUT /api/v1/admin/sites/{id}", "{\"active\":false}"),
                Map.entry(
                        "POST /api/v1/admin/accounts",
                        "{\"group_id\":\"" + UUID.randomUUID() + "\",\"email\":\"a@x.test\",\"password\":\"p\"}"),
                Map.entry("PUT /api/v1/admin/settings/{group}", "{\"max_posts_per_day\":50}"),
                Map.entry("POST /api/v1/admin/requests", newRequest),
                Map.entry("PUT /api/v1/admin/requests/{id}", "{\"target\":60,\"status\":\"pending\"}"));
    }
}
