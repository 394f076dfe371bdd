package io.runway.run.engine.steps;

import io.runway.run.automation.StepDefinition;
import io.runway.run.engine.StepContext;
import io.runway.run.engine.StepOutcome;
import io.runway.run.engine.StepType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code log}: writes {@code config.message} to the service log; the message is the step's result. */
@Component
final class LogStep implements StepType {

    private static final Logger log = LoggerFactory.getLogger(LogStep.class);

    @Override
    public String name() {
        return "log";
    }

    @Override
    public List<String> validate(StepDefinition step, Map<String, StepDefinition> all) {
        var message = step.config().path("message");
        return message.isMissingNode() || message.isString() ? List.of() : List.of("config.message must be a string");
    }

    @Override
    public Optional<StepOutcome> immediate(StepContext context) {
        var message = context.config().path("message").asString("");
        log.debug("run {} step {}: {}", context.runId(), context.step().key(), message);
        return Optional.of(
                StepOutcome.success(JsonNodeFactory.instance.objectNode().put("message", message)));
    }

    @Override
    public Mono<StepOutcome> execute(StepContext context) {
        return Mono.fromSupplier(() -> immediate(context).orElseThrow());
    }
}
