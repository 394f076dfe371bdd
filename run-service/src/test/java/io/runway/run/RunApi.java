package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test helper: calls the run-service API as one user of one tenant and waits for runs to settle. */
final class RunApi {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebTestClient client;
    private final String token;

    RunApi(WebTestClient client, String user, String tenant) {
        this.client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        this.token = TestTokens.user(user, tenant);
    }

    WebTestClient.ResponseSpec get(String uri) {
        return client.get().uri(uri).header("X-Internal-Token", token).exchange();
    }

    WebTestClient.ResponseSpec post(String uri, String json) {
        var spec = client.post().uri(uri).header("X-Internal-Token", token);
        return json == null
                ? spec.exchange()
                : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    WebTestClient.ResponseSpec put(String uri, String json) {
        return client.put()
                .uri(uri)
                .header("X-Internal-Token", token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }

    /** Reads an SSE stream to its end; keep-alive comments (events without id) are dropped. */
    java.util.List<org.springframework.http.codec.ServerSentEvent<String>> sse(String uri, String lastEventId) {
        var spec = client.get().uri(uri).header("X-Internal-Token", token).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            spec = spec.header("Last-Event-ID", lastEventId);
        }
        return spec.exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Accel-Buffering", "no")
                .expectHeader()
                .valueEquals("Cache-Control", "no-cache")
                .returnResult(
                        new org.springframework.core.ParameterizedTypeReference<
                                org.springframework.http.codec.ServerSentEvent<String>>() {})
                .getResponseBody()
                .filter(event -> event.id() != null)
                .collectList()
                .block(Duration.ofSeconds(30));
    }

    JsonNode json(WebTestClient.ResponseSpec spec, int status) {
        var body = spec.expectStatus()
                .isEqualTo(status)
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JSON.readTree(body == null ? "null" : body);
    }

    /** Creates an automation from a JSON steps array and returns its id. */
    String automation(String stepsJson) {
        var body = "{\"name\": \"test automation\", \"steps\": " + stepsJson + "}";
        return json(post("/api/v1/automations", body), 201).path("id").asString();
    }

    /** Starts a run through the SocialKing face and returns its id. */
    String start(String automationId, String body) {
        var data = json(post("/api/v1/automation/run/" + automationId + "/start", body), 200)
                .path("data");
        return data.path("runId").asString();
    }

    JsonNode run(String runId) {
        return json(get("/api/v1/automation-runs/" + runId), 200);
    }

    JsonNode steps(String runId) {
        return json(get("/api/v1/automation-runs/" + runId + "/steps"), 200);
    }

    JsonNode step(String runId, String key) {
        for (var step : steps(runId).path("steps")) {
            if (step.path("key").asString().equals(key)) {
                return step;
            }
        }
        throw new AssertionError("no step " + key);
    }

    /** Waits until the run (generic face) has the given status. */
    JsonNode awaitStatus(String runId, String status) {
        return await(
                () -> run(runId), run -> run.path("status").asString().equals(status), "run " + runId + " " + status);
    }

    JsonNode awaitStep(String runId, String key, String status) {
        return await(
                () -> step(runId, key), step -> step.path("status").asString().equals(status), key + " " + status);
    }

    static <T> T await(Supplier<T> probe, Predicate<T> done, String what) {
        var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime())
                    .as("waiting for %s; last seen %s", what, last)
                    .isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            last = probe.get();
        }
        return last;
    }
}
