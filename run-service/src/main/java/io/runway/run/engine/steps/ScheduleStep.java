package io.runway.run.engine.steps;

import io.runway.run.automation.StepDefinition;
import io.runway.run.engine.StepContext;
import io.runway.run.engine.StepOutcome;
import io.runway.run.engine.StepType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code schedule}: waits until {@code config.at} (ISO-8601 instant) or the next time of {@code config.cron} (Spring
 * six-field cron, UTC). A run started with {@code skipScheduleNode: true} (the default) skips it at once.
 */
@Component
final class ScheduleStep implements StepType {

    private final Clock clock;

    ScheduleStep(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public List<String> validate(StepDefinition step, Map<String, StepDefinition> all) {
        var at = step.config().path("at");
        var cron = step.config().path("cron");
        if (at.isMissingNode() == cron.isMissingNode()) {
            return List.of("config needs exactly one of 'at' (ISO-8601 instant) or 'cron'");
        }
        try {
            target(step.config(), Instant.EPOCH);
            return List.of();
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return List.of(
                    at.isMissingNode()
                            ? "config.cron is not a valid cron expression"
                            : "config.at is not an ISO-8601 instant");
        }
    }

    @Override
    public Optional<StepOutcome> immediate(StepContext context) {
        return context.skipScheduleNode() ? Optional.of(StepOutcome.skipped("skip_schedule_node")) : Optional.empty();
    }

    @Override
    public Mono<StepOutcome> execute(StepContext context) {
        if (context.skipScheduleNode()) {
            return Mono.just(StepOutcome.skipped("skip_schedule_node"));
        }
        var now = clock.instant();
        var target = target(context.config(), now);
        var wait = target.isAfter(now) ? Duration.between(now, target) : Duration.ZERO;
        var result = JsonNodeFactory.instance.objectNode().put("firedAt", target.toString());
        return Mono.delay(wait).thenReturn(StepOutcome.success(result));
    }

    private static Instant target(JsonNode config, Instant now) {
        if (config.has("at")) {
            return Instant.parse(config.path("at").asString());
        }
        var next = CronExpression.parse(config.path("cron").asString()).next(now.atZone(ZoneOffset.UTC));
        if (next == null) {
            throw new IllegalArgumentException("cron never fires");
        }
        return next.toInstant();
    }
}
