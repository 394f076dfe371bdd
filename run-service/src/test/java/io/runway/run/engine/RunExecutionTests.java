package io.runway.run.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runway.common.tracing.MessageTracing;
import io.runway.run.automation.StepDefinition;
import io.runway.run.runs.LockedRun;
import io.runway.run.runs.Run;
import io.runway.run.runs.RunStatus;
import io.runway.run.runs.RunStep;
import io.runway.run.runs.StepFinish;
import io.runway.run.runs.StepStatus;
import io.runway.run.runs.TestSteps;
import io.runway.run.runs.Transition;
import io.runway.run.runs.TriggerType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The engine's decisions for one run, against a store kept in memory: which steps start, what ends, and when the run
 * ends. Steps of type {@code manual} end when the test says; {@code instant} ones end at once.
 */
class RunExecutionTests {

    private static final String OWNER = "engine-test";

    private final UUID runId = UUID.randomUUID();
    private final FakeStore store = new FakeStore();
    private final ManualSteps manual = new ManualSteps();
    private final StepTypes types = new StepTypes(List.of(manual, new InstantStep()));
    private final RunMetrics metrics = new RunMetrics(new SimpleMeterRegistry());

    @Test
    void aDiamondStartsEachStepOnceAllItsDependenciesAreDoneAndEndsWithTheLast() {
        var ended = execute(
                step("a", "manual"), step("b", "manual", "a"), step("c", "manual", "a"), step("d", "manual", "b", "c"));

        assertThat(store.transitions).singleElement().satisfies(t -> assertThat(t.starts())
                .containsExactly("a"));
        manual.succeed("a");
        assertThat(last().finishes()).extracting(StepFinish::key).containsExactly("a");
        assertThat(last().starts()).containsExactly("b", "c");
        manual.succeed("c");
        assertThat(last().finishes()).extracting(StepFinish::key).containsExactly("c");
        assertThat(last().starts()).isEmpty();
        assertThat(manual.running).containsExactly("b");
        manual.succeed("b");
        assertThat(last().starts()).containsExactly("d");
        assertThat(ended).isNotDone();
        manual.succeed("d");

        assertThat(last().end()).isEqualTo(RunStatus.SUCCESS);
        assertThat(last().progress()).isEqualTo(100);
        assertThat(store.transitions).hasSize(5);
        assertThat(ended)
                .isCompletedWithValueMatching(
                        run -> run.isPresent() && run.get().id().equals(runId));
    }

    @Test
    void stepsThatEndAtOnceAreRecordedInTheDecisionThatStartedThem() {
        execute(step("a", "instant"), step("b", "instant", "a"), step("c", "manual", "b"));

        assertThat(store.transitions).hasSize(1);
        var first = last();
        assertThat(first.finishes()).extracting(StepFinish::key).containsExactly("a", "b");
        assertThat(first.finishes()).allMatch(StepFinish::startedNow);
        assertThat(first.starts()).containsExactly("c");
        assertThat(first.finishedSteps()).isEqualTo(2);
    }

    @Test
    void aFailedStepEndsTheRunFailedAndItsDependentsNeverStart() {
        var ended = execute(step("a", "manual"), step("b", "manual", "a"), step("side", "manual"));
        manual.succeed("side");
        manual.fail("a");

        var end = last();
        assertThat(end.finishes())
                .extracting(StepFinish::key, StepFinish::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", StepStatus.FAILED));
        assertThat(end.starts()).isEmpty();
        assertThat(end.end()).isEqualTo(RunStatus.FAILED);
        assertThat(end.endError().path("code").asString()).isEqualTo("step_failed");
        assertThat(end.endError().path("stepKey").asString()).isEqualTo("a");
        assertThat(manual.started).doesNotContain("b");
        assertThat(ended).isCompleted();
    }

    @Test
    void aFailedStepWaitsForTheStepsStillRunningBeforeTheRunEnds() {
        execute(step("a", "manual"), step("b", "manual"));
        manual.fail("a");
        assertThat(last().end()).isNull();
        manual.succeed("b");
        assertThat(last().end()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void anExecutionWhoseDecisionIsRefusedStopsWithoutWritingAgainAndInterruptsItsSteps() {
        var ended = execute(step("a", "manual"), step("b", "manual"), step("c", "manual", "a"));
        store.leaseLost = true;
        manual.succeed("a");

        assertThat(ended).isCompletedWithValue(Optional.empty());
        assertThat(manual.canceled).containsExactly("b");
        int written = store.transitions.size();
        manual.succeed("b");
        assertThat(store.transitions).hasSize(written);
        assertThat(manual.started).doesNotContain("c");
    }

    @Test
    void aResumedRunRunsAgainTheStepsInFlightThatAreSafeToRepeat() {
        store.stored = List.of(
                TestSteps.step(runId, "a", "manual", StepStatus.SUCCESS),
                TestSteps.step(runId, "b", "manual", StepStatus.RUNNING),
                TestSteps.step(runId, "c", "manual", StepStatus.PENDING, "b"));
        var ended = new RunExecution(runId, OWNER, store, types, metrics, MessageTracing.none())
                .execute()
                .map(done -> Optional.of(done.run()))
                .defaultIfEmpty(Optional.empty())
                .toFuture();

        assertThat(store.reruns).containsExactly("b");
        assertThat(last().starts()).containsExactly("b");
        manual.succeed("b");
        assertThat(last().starts()).containsExactly("c");
        manual.succeed("c");
        assertThat(last().end()).isEqualTo(RunStatus.SUCCESS);
        assertThat(ended).isCompleted();
    }

    private CompletableFuture<Optional<LockedRun>> execute(StepDefinition... steps) {
        return new RunExecution(runId, OWNER, store, types, metrics, MessageTracing.none())
                .executeNew(run(), List.of(steps))
                .map(ended -> Optional.of(ended.run()))
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }

    private Transition last() {
        return store.transitions.get(store.transitions.size() - 1);
    }

    private static StepDefinition step(String key, String type, String... dependsOn) {
        return new StepDefinition(key, key, type, List.of(dependsOn), JsonNodeFactory.instance.objectNode());
    }

    private Run run() {
        var now = Instant.now();
        return new Run(
                runId,
                "tenant",
                UUID.randomUUID(),
                UUID.randomUUID(),
                1,
                RunStatus.RUNNING,
                TriggerType.API,
                "user",
                null,
                false,
                null,
                null,
                0,
                null,
                OWNER,
                now,
                null,
                null,
                now,
                now,
                now,
                null,
                null);
    }

    /** Decisions kept in a list; every decision is accepted until the lease is said to be lost. */
    private final class FakeStore implements ExecutionStore {

        final List<Transition> transitions = new ArrayList<>();
        final List<String> reruns = new ArrayList<>();
        List<RunStep> stored = List.of();
        boolean leaseLost;

        @Override
        public Mono<Run> findRun(UUID id) {
            return Mono.just(run());
        }

        @Override
        public Flux<RunStep> steps(UUID id) {
            return Flux.fromIterable(stored);
        }

        @Override
        public Mono<LockedRun> apply(UUID id, String owner, Transition transition) {
            if (leaseLost) {
                return Mono.empty();
            }
            transitions.add(transition);
            return Mono.just(new LockedRun(id, "tenant", RunStatus.RUNNING, owner, transitions.size(), 0, null));
        }

        @Override
        public Mono<Boolean> rerunSteps(UUID id, String owner, List<String> keys) {
            reruns.addAll(keys);
            return Mono.just(true);
        }

        @Override
        public Mono<Boolean> finishSteps(UUID id, String owner, List<StepFinish> finishes, int progress) {
            return Mono.just(true);
        }
    }

    /** {@code manual}: runs until the test ends it. */
    private static final class ManualSteps implements StepType {

        final Map<String, Sinks.One<StepOutcome>> outcomes = new HashMap<>();
        final List<String> started = new ArrayList<>();
        final Set<String> running = new HashSet<>();
        final List<String> canceled = new ArrayList<>();

        @Override
        public String name() {
            return "manual";
        }

        @Override
        public List<String> validate(StepDefinition step, Map<String, StepDefinition> all) {
            return List.of();
        }

        @Override
        public Mono<StepOutcome> execute(StepContext context) {
            var key = context.step().key();
            var outcome = Sinks.<StepOutcome>one();
            outcomes.put(key, outcome);
            started.add(key);
            running.add(key);
            return outcome.asMono().doOnCancel(() -> canceled.add(key)).doFinally(signal -> running.remove(key));
        }

        void succeed(String key) {
            outcomes.get(key).tryEmitValue(StepOutcome.success(result(key)));
        }

        void fail(String key) {
            outcomes.get(key).tryEmitValue(StepOutcome.failed("boom", "step " + key + " failed"));
        }

        private static JsonNode result(String key) {
            return JsonNodeFactory.instance.objectNode().put("step", key);
        }
    }

    /** {@code instant}: ends as soon as it is started. */
    private static final class InstantStep implements StepType {

        @Override
        public String name() {
            return "instant";
        }

        @Override
        public List<String> validate(StepDefinition step, Map<String, StepDefinition> all) {
            return List.of();
        }

        @Override
        public Optional<StepOutcome> immediate(StepContext context) {
            return Optional.of(StepOutcome.success(JsonNodeFactory.instance.objectNode()));
        }

        @Override
        public Mono<StepOutcome> execute(StepContext context) {
            return Mono.just(immediate(context).orElseThrow());
        }
    }
}
