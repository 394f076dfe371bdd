package io.runway.common.testsupport;

import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A service's own OpenAPI description, as {@code /v3/api-docs} publishes it. */
public final class ApiDescription {

    private ApiDescription() {}

    public static JsonNode of(WebTestClient client) {
        // The first generation scans every controller: allow for a slow, busy machine.
        var body = client.mutate()
                .responseTimeout(Duration.ofSeconds(60))
                .build()
                .get()
                .uri("/v3/api-docs")
                .accept(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return JsonMapper.shared().readTree(body);
    }
}
