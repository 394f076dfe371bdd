package io.runway.run.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.MutableClock;
import io.runway.run.automation.StepDefinition;
import io.runway.run.engine.StepContext;
import io.runway.run.runs.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.node.JsonNodeFactory;

class ScheduleStepTests {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    private final ScheduleStep schedule = new ScheduleStep(new MutableClock(NOW));

    private static StepContext context(String field, String value, boolean skip) {
        var config = JsonNodeFactory.instance.objectNode().put(field, value);
        var step = new StepDefinition("when", "when", "schedule", List.of(), config);
        return new StepContext(UUID.randomUUID(), "tenant", skip, step, Map.of());
    }

    @Test
    void waitsUntilTheInstantThenFires() {
        StepVerifier.withVirtualTime(() -> schedule.execute(context("at", "2026-01-01T10:05:00Z", false)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(5).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(outcome -> {
                    assertThat(outcome.status()).isEqualTo(StepStatus.SUCCESS);
                    assertThat(outcome.result().path("firedAt").asString()).isEqualTo("2026-01-01T10:05:00Z");
                })
                .verifyComplete();
    }

    @Test
    void waitsForTheNextCronTimeInUtc() {
        StepVerifier.withVirtualTime(() -> schedule.execute(context("cron", "0 30 * * * *", false)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(30).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(outcome ->
                        assertThat(outcome.result().path("firedAt").asString()).isEqualTo("2026-01-01T10:30:00Z"))
                .verifyComplete();
    }

    @Test
    void anInstantInThePastFiresAtOnce() {
        StepVerifier.create(schedule.execute(context("at", "2025-01-01T00:00:00Z", false)))
                .assertNext(outcome -> assertThat(outcome.status()).isEqualTo(StepStatus.SUCCESS))
                .verifyComplete();
    }

    @Test
    void aRunThatSkipsScheduleNodesSkipsItAtOnce() {
        assertThat(schedule.immediate(context("at", "2027-01-01T00:00:00Z", true)))
                .hasValueSatisfying(outcome -> assertThat(outcome.status()).isEqualTo(StepStatus.SKIPPED));
    }

    @Test
    void needsExactlyOneValidTime() {
        assertThat(schedule.validate(context("at", "yesterday", false).step(), Map.of()))
                .containsExactly("config.at is not an ISO-8601 instant");
        assertThat(schedule.validate(context("cron", "every minute", false).step(), Map.of()))
                .containsExactly("config.cron is not a valid cron expression");
        var neither = new StepDefinition("w", "w", "schedule", List.of(), JsonNodeFactory.instance.objectNode());
        assertThat(schedule.validate(neither, Map.of()))
                .containsExactly("config needs exactly one of 'at' (ISO-8601 instant) or 'cron'");
    }
}
