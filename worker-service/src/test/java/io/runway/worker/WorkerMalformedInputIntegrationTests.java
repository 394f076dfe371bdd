package io.runway.worker;

import io.runway.common.testsupport.MalformedInputContract;
import io.runway.common.testsupport.RealInfrastructure;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@RealInfrastructure
class WorkerMalformedInputIntegrationTests extends MalformedInputContract {

    UUID server;
    UUID request;
    UUID link;
    UUID account;

    @BeforeEach
    void rows() {
        var fixtures = new Fixtures(db);
        server = fixtures.server("fuzz", "tool", "online");
        request = fixtures.request("Fuzzed campaign");
        link = fixtures.link(request, server, "running");
        account = fixtures.account();
    }

    @Override
    protected String tokenFor(String path) {
        return Fixtures.token(server, "tool");
    }

    @Override
    protected String existingPathValue(String template, String variable) {
        return link.toString();
    }

    @Override
    protected Set<String> operationsWithOptionalBody() {
        // seed 004: every heartbeat field is optional, and a bare POST is a heartbeat
        return Set.of("POST /api/v1/worker/health");
    }

    @Override
    protected int maxBodyBytes() {
        return 6 * 1024 * 1024;
    }

    @Override
    protected Map<String, String> validBodies() {
        return Map.of(
                "POST /api/v1/worker/health",
                """
                {"server_name":"fuzz","ip":"10.0.0.1","cpu_usage":1.5,"ram_usage":2.5,"disk_usage":3.5,
                 "active_threads":2,"active_tasks":1}""",
                "PUT /api/v1/worker/tasks/{id}",
                """
                {"status":"completed","link_profile":"https://example.com/p","is_indexed":true,"error_message":"none"}""",
                "PUT /api/v1/worker/tasks/bulk",
                """
                {"items":[{"link_id":"%s","status":"completed","link_profile":"https://example.com/p"}]}"""
                        .formatted(link),
                "POST /api/v1/worker/logs",
                """
                {"logs":[{"level":"INFO","message":"Task started"}]}""",
                "POST /api/v1/worker/callback/link/update",
                """
                {"link_id":"%s","status":"completed","link_profile":"https://example.com/p"}"""
                        .formatted(link),
                "POST /api/v1/worker/callback/link/complete",
                """
                {"link_id":"%s","link_profile":"https://example.com/p"}""".formatted(link),
                "POST /api/v1/worker/callback/request/status",
                """
                {"request_id":"%s","status":"completed"}""".formatted(request),
                "POST /api/v1/worker/callback/account/status",
                """
                {"account_id":"%s","status":"banned"}""".formatted(account));
    }
}
