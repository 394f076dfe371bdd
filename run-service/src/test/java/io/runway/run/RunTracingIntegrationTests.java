package io.runway.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * A run continues the trace of the request that started it: the trace is stored with the run, the engine's step lines
 * log with its id, and the run events carry it through Redis; what callers get (the start answer, the SSE frames)
 * keeps its shape.
 */
class RunTracingIntegrationTests extends RunApiTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final List<String> EVENT_FIELDS =
            List.of("seq", "runId", "type", "stepKey", "status", "progress", "message", "createdAt");

    @Autowired
    ReactiveRedisConnectionFactory connections;

    @Value("${app.redis.key-prefix}")
    String prefix;

    @Test
    void aRunsStepsAndEventsCarryTheTraceOfItsStartRequest() {
        var stepLog = (Logger) LoggerFactory.getLogger("io.runway.run.engine.steps.LogStep");
        var lines = new ListAppender<ILoggingEvent>();
        lines.start();
        var level = stepLog.getLevel();
        stepLog.setLevel(Level.DEBUG);
        stepLog.addAppender(lines);
        var notifications = new CopyOnWriteArrayList<String>();
        var container = new ReactiveRedisMessageListenerContainer(connections);
        var listening = container
                .receiveLater(ChannelTopic.of(prefix + "run-events"))
                .block(Duration.ofSeconds(5))
                .subscribe(message -> notifications.add(message.getMessage()));
        String runId;
        try {
            var automation = api.automation(LOG_CHAIN);
            var started = api.json(
                    client.post()
                            .uri("/api/v1/automation/run/" + automation + "/start")
                            .header("X-Internal-Token", TestTokens.user("u1", "tenant-a"))
                            .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue("{}")
                            .exchange(),
                    200);
            assertThat(started.propertyNames()).containsExactlyInAnyOrder("success", "data");
            runId = started.path("data").path("runId").asString();
            api.awaitStatus(runId, "completed");
        } finally {
            listening.dispose();
            container.destroy();
            stepLog.detachAppender(lines);
            stepLog.setLevel(level);
        }

        var stored = db.sql("SELECT traceparent FROM runs WHERE id = CAST(:id AS uuid)")
                .bind("id", runId)
                .map(row -> row.get("traceparent", String.class))
                .one()
                .block();
        assertThat(stored).startsWith("00-" + TRACE_ID + "-").hasSize(55);

        var steps = lines.list.stream()
                .filter(line -> line.getFormattedMessage().startsWith("run " + runId))
                .toList();
        assertThat(steps).hasSize(2).allSatisfy(line -> assertThat(
                        line.getMDCPropertyMap().get("traceId"))
                .isEqualTo(TRACE_ID));

        var events = new ArrayList<JsonNode>();
        for (var text : notifications) {
            RunApi.JSON.readTree(text).path("events").forEach(event -> {
                if (event.path("runId").asString().equals(runId)) {
                    events.add(event);
                }
            });
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(8).allSatisfy(event -> assertThat(
                        event.path("traceparent").asString())
                .matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01"));

        var frames = api.sse("/api/v1/automation-runs/" + runId + "/events", null);
        assertThat(frames).hasSizeGreaterThanOrEqualTo(8).allSatisfy(frame -> assertThat(
                        RunApi.JSON.readTree(frame.data()).propertyNames())
                .isSubsetOf(EVENT_FIELDS));
    }
}
