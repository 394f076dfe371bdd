package io.runway.run.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.TestTokens;
import io.runway.run.runs.RunEvent;
import io.runway.run.runs.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test helper: one run-service instance seen from a test (its port and beans), and runs that stay quiet. */
final class RunFixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String TENANT_A = TestTokens.user("u1", "tenant-a");
    static final String TENANT_B = TestTokens.user("u2", "tenant-b");
    static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {};

    /** An automation whose only step waits an hour: a started run stays running, with events 1 to 3. */
    static final String WAIT_AN_HOUR =
            """
            {"name": "wait", "steps": [{"key": "wait", "name": "Wait", "type": "delay", "dependsOn": [],
              "config": {"seconds": 3600}}]}""";

    static final String TWO_LOGS =
            """
            {"name": "logs", "steps": [{"key": "a", "name": "A", "type": "log", "dependsOn": [], "config": {}},
              {"key": "b", "name": "B", "type": "log", "dependsOn": ["a"], "config": {}}]}""";

    final ApplicationContext context;
    final WebClient http;

    RunFixtures(ApplicationContext context) {
        this.context = context;
        var port = context.getEnvironment().getProperty("local.server.port");
        this.http = WebClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(1024 * 1024))
                .build();
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    JsonNode post(String path, String json) {
        var body = http.post()
                .uri(path)
                .header("X-Internal-Token", TENANT_A)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .retrieve()
                .bodyToMono(String.class)
                .block(Duration.ofSeconds(20));
        return JSON.readTree(body);
    }

    /** Starts a run of a new automation and waits until it has written {@code events} events. */
    UUID startRun(String automation, long events) {
        var automationId = post("/api/v1/automations", automation).path("id").asString();
        var runId = UUID.fromString(post("/api/v1/automation/run/" + automationId + "/start", "{}")
                .path("data")
                .path("runId")
                .asString());
        await(() -> eventSeq(runId) >= events, "run " + runId + " reaches event " + events);
        return runId;
    }

    void stop(UUID runId) {
        post("/api/v1/automation/run/" + runId + "/stop", "{}");
    }

    long eventSeq(UUID runId) {
        return context.getBean(DatabaseClient.class)
                .sql("SELECT event_seq FROM runs WHERE id = :id")
                .bind("id", runId)
                .map(row -> row.get("event_seq", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
    }

    /**
     * Appends {@code count} step events to the run in one transaction on this instance, announced after commit as the
     * engine's writes are; returns the last sequence.
     */
    long append(UUID runId, int count, String message) {
        return appendLater(runId, count, message).block(Duration.ofSeconds(20));
    }

    /** {@link #append} as a Mono, for callers that must not block. */
    Mono<Long> appendLater(UUID runId, int count, String message) {
        return appendLater(runId, count, message, true);
    }

    /** Appends events without announcing them, as if their notification had been lost. */
    long appendUnannounced(UUID runId, int count, String message) {
        return appendLater(runId, count, message, false).block(Duration.ofSeconds(20));
    }

    private Mono<Long> appendLater(UUID runId, int count, String message, boolean announce) {
        var db = context.getBean(DatabaseClient.class);
        var tx = context.getBean(TransactionalOperator.class);
        var publisher = context.getBean(RunEventPublisher.class);
        var now = Instant.now();
        var events = Collections.nCopies(count, RunEvent.step("x", StepStatus.RUNNING, message));
        var work = db.sql("UPDATE runs SET event_seq = event_seq + :n WHERE id = :id RETURNING event_seq")
                .bind("n", count)
                .bind("id", runId)
                .map(row -> row.get("event_seq", Long.class))
                .one()
                .flatMap(last -> db.sql(
                                """
                                INSERT INTO run_events (run_id, seq, type, step_key, status, progress, message,
                                    created_at)
                                SELECT :run, g, 'step', 'x', 'running', 0, :message, :now
                                FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) g""")
                        .bind("run", runId)
                        .bind("message", message)
                        .bind("now", now)
                        .bind("first", last - count + 1)
                        .bind("last", last)
                        .then()
                        .then(
                                announce
                                        ? publisher.afterCommit(
                                                runId, last - count + 1, Collections.nCopies(count, 0), events, now)
                                        : Mono.<Void>empty())
                        .thenReturn(last));
        return tx.transactional(work);
    }

    Flux<ServerSentEvent<String>> stream(String path, String token, String lastEventId) {
        return http.get()
                .uri(path)
                .header("X-Internal-Token", token)
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(SSE);
    }

    static String generic(UUID runId) {
        return "/api/v1/automation-runs/" + runId + "/events";
    }

    static String socialKing(UUID runId) {
        return "/api/v1/automation/run/" + runId + "/sse";
    }

    static void await(BooleanSupplier done, String what) {
        await(done, what, Duration.ofSeconds(20));
    }

    static void await(BooleanSupplier done, String what, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
