package io.runway.run.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.run.automation.StepDefinition;
import io.runway.run.config.RunEngineProperties;
import io.runway.run.engine.StepContext;
import io.runway.run.runs.StepStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Retries and timeouts of the {@code http} step in virtual time, against answers made up in memory. */
class HttpStepTests {

    private static final RunEngineProperties.Http DEFAULTS =
            new RunEngineProperties.Http(Duration.ofSeconds(10), 3, Duration.ofMillis(200), 65_536);

    private final AtomicInteger calls = new AtomicInteger();

    private HttpStep answering(HttpStatus... statuses) {
        var client = WebClient.builder()
                .exchangeFunction(request -> {
                    int call = calls.getAndIncrement();
                    var status = statuses[Math.min(call, statuses.length - 1)];
                    return Mono.just(ClientResponse.create(status)
                            .header("Content-Type", "application/json")
                            .body("{\"call\": " + (call + 1) + "}")
                            .build());
                })
                .build();
        return new HttpStep(DEFAULTS, JsonMapper.builder().build(), client);
    }

    private static StepContext context() {
        var config = JsonNodeFactory.instance.objectNode().put("method", "GET").put("url", "http://example.test/");
        var step = new StepDefinition("call", "call", "http", List.of(), config);
        return new StepContext(UUID.randomUUID(), "tenant", false, step, Map.of());
    }

    @Test
    void aServerErrorIsTriedAgainAfter200ThenAfter400Milliseconds() {
        var http = answering(HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.BAD_GATEWAY, HttpStatus.OK);
        StepVerifier.withVirtualTime(() -> http.execute(context()))
                .expectSubscription()
                .then(() -> assertThat(calls).hasValue(1))
                .expectNoEvent(Duration.ofMillis(199))
                .then(() -> assertThat(calls).hasValue(1))
                .thenAwait(Duration.ofMillis(1))
                .then(() -> assertThat(calls).hasValue(2))
                .expectNoEvent(Duration.ofMillis(399))
                .then(() -> assertThat(calls).hasValue(2))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(outcome -> {
                    assertThat(outcome.status()).isEqualTo(StepStatus.SUCCESS);
                    assertThat(outcome.result().path("status").asInt()).isEqualTo(200);
                    assertThat(outcome.result().path("body").path("call").asInt())
                            .isEqualTo(3);
                })
                .verifyComplete();
        assertThat(calls).hasValue(3);
    }

    @Test
    void theLastServerErrorIsTheOutcomeOnceTheAttemptsAreUsedUp() {
        var http = answering(HttpStatus.SERVICE_UNAVAILABLE);
        StepVerifier.withVirtualTime(() -> http.execute(context()))
                .thenAwait(Duration.ofMillis(600))
                .assertNext(outcome -> {
                    assertThat(outcome.status()).isEqualTo(StepStatus.FAILED);
                    assertThat(outcome.error().path("code").asString()).isEqualTo("http_status");
                    assertThat(outcome.result().path("status").asInt()).isEqualTo(503);
                })
                .verifyComplete();
        assertThat(calls).hasValue(3);
    }

    @Test
    void aClientErrorIsTheOutcomeAtOnceWithoutAnotherAttempt() {
        var http = answering(HttpStatus.NOT_FOUND);
        StepVerifier.withVirtualTime(() -> http.execute(context()))
                .assertNext(outcome -> {
                    assertThat(outcome.status()).isEqualTo(StepStatus.FAILED);
                    assertThat(outcome.result().path("status").asInt()).isEqualTo(404);
                })
                .verifyComplete();
        assertThat(calls).hasValue(1);
    }

    @Test
    void eachAttemptHasItsOwnTimeoutAndTheLastOneEndsTheStep() {
        var client = WebClient.builder()
                .exchangeFunction(request -> {
                    calls.incrementAndGet();
                    return Mono.never();
                })
                .build();
        var http = new HttpStep(DEFAULTS, JsonMapper.builder().build(), client);
        StepVerifier.withVirtualTime(() -> http.execute(context()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(10_200))
                .then(() -> assertThat(calls).hasValue(2))
                .expectNoEvent(Duration.ofMillis(10_399))
                .then(() -> assertThat(calls).hasValue(2))
                .thenAwait(Duration.ofMillis(1))
                .then(() -> assertThat(calls).hasValue(3))
                .expectNoEvent(Duration.ofMillis(9_999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(outcome -> {
                    assertThat(outcome.status()).isEqualTo(StepStatus.FAILED);
                    assertThat(outcome.error().path("code").asString()).isEqualTo("timeout");
                })
                .verifyComplete();
    }
}
