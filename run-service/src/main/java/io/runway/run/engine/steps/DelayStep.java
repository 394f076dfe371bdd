package io.runway.run.engine.steps;

import io.runway.run.automation.StepDefinition;
import io.runway.run.engine.StepContext;
import io.runway.run.engine.StepOutcome;
import io.runway.run.engine.StepType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code delay}: waits {@code config.seconds} (0 to 86400, fractions allowed). */
@Component
final class DelayStep implements StepType {

    static final double MAX_SECONDS = 86_400;

    @Override
    public String name() {
        return "delay";
    }

    @Override
    public List<String> validate(StepDefinition step, Map<String, StepDefinition> all) {
        var seconds = step.config().path("seconds");
        if (!seconds.isNumber() || seconds.asDouble() < 0 || seconds.asDouble() > MAX_SECONDS) {
            return List.of("config.seconds must be a number from 0 to 86400");
        }
        return List.of();
    }

    @Override
    public Optional<StepOutcome> immediate(StepContext context) {
        var seconds = context.config().path("seconds").asDouble();
        return seconds <= 0
                ? Optional.of(StepOutcome.success(
                        JsonNodeFactory.instance.objectNode().put("seconds", seconds)))
                : Optional.empty();
    }

    @Override
    public Mono<StepOutcome> execute(StepContext context) {
        var seconds = context.config().path("seconds").asDouble();
        var result = JsonNodeFactory.instance.objectNode().put("seconds", seconds);
        if (seconds <= 0) {
            return Mono.just(StepOutcome.success(result));
        }
        return Mono.delay(Duration.ofMillis(Math.round(seconds * 1000))).thenReturn(StepOutcome.success(result));
    }
}
