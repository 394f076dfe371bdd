package io.runway.run.engine;

import io.runway.run.automation.StepDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** A kind of step ({@code log}, {@code delay}, {@code http}...): how its config is checked and how it runs. */
public interface StepType {

    /** The {@code type} value that selects this step type. */
    String name();

    /** What is wrong with the step's config (empty when valid); {@code all} is the whole automation by key. */
    List<String> validate(StepDefinition step, Map<String, StepDefinition> all);

    /**
     * The outcome when the step can finish at once without I/O ({@code log}, {@code delay 0}...): the engine then
     * records its start and end in the same transaction as the decision that started it.
     */
    default Optional<StepOutcome> immediate(StepContext context) {
        return Optional.empty();
    }

    /** Runs the step; cancelling the subscription must interrupt it. */
    Mono<StepOutcome> execute(StepContext context);

    /**
     * Whether a step found mid-flight after its engine stopped may simply run again. Steps that may have had an
     * outside effect (non-idempotent HTTP calls) say no and are failed instead.
     */
    default boolean safeToRerun(JsonNode config) {
        return true;
    }
}
