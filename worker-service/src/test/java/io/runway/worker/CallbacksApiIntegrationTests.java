package io.runway.worker;

import static io.runway.common.testsupport.LikepionErrors.expectError;
import static io.runway.worker.Fixtures.token;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import tools.jackson.databind.json.JsonMapper;

/** Callbacks: links, requests and accounts changed by the servers that hold them. */
class CallbacksApiIntegrationTests extends WorkerApiTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void linkUpdateAndCompleteFollowTheTaskRules() {
        var link = fixtures.link(request, server, "queued");
        post("/callback/link/update", "{\"link_id\":\"" + link + "\",\"status\":\"running\",\"link_profile\":\"p\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.link_id")
                .isEqualTo(link.toString());
        var complete = "{\"link_id\":\"" + link + "\",\"link_profile\":\"https://p\",\"link_post\":\"https://q\"}";
        post("/callback/link/complete", complete).expectStatus().isOk();
        post("/callback/link/complete", complete).expectStatus().isOk();
        var row = fixtures.row("links", link);
        assertThat(row).containsEntry("status", "completed").containsEntry("link_post", "https://q");
        assertThat(row.get("completed_at")).isNotNull();
        assertThat(fixtures.row("requests", request)).containsEntry("created_links", 1);
    }

    @Test
    void linkCallbacksRefuseForeignMissingAndMalformed() {
        var foreign = fixtures.link(request, other, "running");
        expectError(post("/callback/link/complete", "{\"link_id\":\"" + foreign + "\"}"), 403, "not_your_task");
        expectError(
                post("/callback/link/update", "{\"link_id\":\"" + UUID.randomUUID() + "\",\"status\":\"running\"}"),
                404,
                "not_found");
        expectError(post("/callback/link/update", "{\"status\":\"running\"}"), 400, "invalid_request");
        expectError(post("/callback/link/update", "{\"link_id\":\"x\"}"), 400, "invalid_request");
        expectError(
                post("/callback/link/update", "{\"link_id\":\"" + foreign + "\",\"status\":\"bogus\"}"),
                400,
                "invalid_request");
    }

    @Test
    void requestStatusIsChangedByAServerHoldingItsLinksAndPublished() throws Exception {
        fixtures.link(request, server, "running");
        try (var events = new RedisEvents(redis, prefix + "likepion:events")) {
            post("/callback/request/status", "{\"request_id\":\"" + request + "\",\"status\":\"completed\"}")
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.data.request_id")
                    .isEqualTo(request.toString());
            assertThat(events.await(m -> m.contains("request.status") && m.contains(request.toString())))
                    .contains("\"status\":\"completed\"");
        }
        assertThat(fixtures.row("requests", request)).containsEntry("status", "completed");
        expectError(
                post("/callback/request/status", "{\"request_id\":\"" + request + "\",\"status\":\"running\"}"),
                409,
                "invalid_transition");
    }

    @Test
    void anEventCarriesTheTraceOfTheRequestThatCausedItOnTheChannelOnly() throws Exception {
        fixtures.link(request, server, "running");
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        try (var events = new RedisEvents(redis, prefix + "likepion:events")) {
            client.post()
                    .uri(API + "/callback/request/status")
                    .header("X-Internal-Token", token(server, "tool"))
                    .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-00")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"request_id\":\"" + request + "\",\"status\":\"completed\"}")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .json(
                            "{\"success\":true,\"data\":{\"updated\":true,\"request_id\":\"" + request
                                    + "\",\"status\":\"completed\"}}",
                            JsonCompareMode.STRICT);

            var message = json.readTree(events.await(m -> m.contains(request.toString())));
            assertThat(message.path("traceparent").asString()).matches("00-" + traceId + "-[0-9a-f]{16}-00");
            assertThat(message.propertyNames())
                    .containsExactlyInAnyOrder("type", "request_id", "server_id", "status", "at", "traceparent");
        }
    }

    @Test
    void requestStatusRules() {
        var foreignRequest = fixtures.request("Campaign B");
        expectError(
                post("/callback/request/status", "{\"request_id\":\"" + foreignRequest + "\",\"status\":\"failed\"}"),
                403,
                "forbidden");
        var assign = fixtures.server("assign", "assign", "active");
        send(
                        client.post(),
                        "/callback/request/status",
                        "{\"request_id\":\"" + foreignRequest + "\",\"status\":\"connecting\"}",
                        assign)
                .expectStatus()
                .isOk();
        expectError(
                post(
                        "/callback/request/status",
                        "{\"request_id\":\"" + UUID.randomUUID() + "\",\"status\":\"failed\"}"),
                404,
                "not_found");
        expectError(
                post("/callback/request/status", "{\"request_id\":\"" + request + "\",\"status\":\"done\"}"),
                400,
                "invalid_request");
        expectError(post("/callback/request/status", "{\"status\":\"failed\"}"), 400, "invalid_request");
    }

    @Test
    void accountStatusRules() {
        var account = fixtures.account();
        expectError(
                post("/callback/account/status", "{\"account_id\":\"" + account + "\",\"status\":\"banned\"}"),
                403,
                "forbidden");
        fixtures.link(request, server, "running", "entity", account);
        post("/callback/account/status", "{\"account_id\":\"" + account + "\",\"status\":\"banned\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.account_id")
                .isEqualTo(account.toString());
        assertThat(fixtures.row("accounts", account)).containsEntry("status", "banned");
        expectError(
                post("/callback/account/status", "{\"account_id\":\"" + account + "\",\"status\":\"zombie\"}"),
                400,
                "invalid_request");
        expectError(
                post(
                        "/callback/account/status",
                        "{\"account_id\":\"" + UUID.randomUUID() + "\",\"status\":\"active\"}"),
                404,
                "not_found");
    }
}
