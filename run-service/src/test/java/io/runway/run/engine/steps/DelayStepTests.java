package io.runway.run.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.run.automation.StepDefinition;
import io.runway.run.engine.StepContext;
import io.runway.run.engine.StepOutcome;
import io.runway.run.runs.StepStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.node.JsonNodeFactory;

class DelayStepTests {

    private final DelayStep delay = new DelayStep();

    private static StepContext context(double seconds) {
        var config = JsonNodeFactory.instance.objectNode().put("seconds", seconds);
        var step = new StepDefinition("wait", "wait", "delay", List.of(), config);
        return new StepContext(UUID.randomUUID(), "tenant", false, step, Map.of());
    }

    @Test
    void succeedsOnlyOnceTheDelayHasPassed() {
        StepVerifier.withVirtualTime(() -> delay.execute(context(90.5)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(90_499))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(outcome -> {
                    assertThat(outcome.status()).isEqualTo(StepStatus.SUCCESS);
                    assertThat(outcome.result().path("seconds").asDouble()).isEqualTo(90.5);
                })
                .verifyComplete();
    }

    @Test
    void aZeroDelayEndsAtOnceWithoutWaiting() {
        assertThat(delay.immediate(context(0))).map(StepOutcome::status).contains(StepStatus.SUCCESS);
        assertThat(delay.immediate(context(1))).isEmpty();
    }

    @Test
    void secondsMustBeANumberFromZeroToADay() {
        assertThat(delay.validate(context(86_400).step(), Map.of())).isEmpty();
        assertThat(delay.validate(context(86_401).step(), Map.of()))
                .containsExactly("config.seconds must be a number from 0 to 86400");
        assertThat(delay.validate(context(-1).step(), Map.of())).hasSize(1);
    }
}
