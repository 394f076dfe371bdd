package io.runway.run.engine;

import io.micrometer.tracing.Span;
import io.runway.common.tracing.MessageTracing;
import io.runway.common.tracing.TraceHeaders;
import io.runway.common.tracing.TraceMdc;
import io.runway.run.automation.StepDefinition;
import io.runway.run.runs.LockedRun;
import io.runway.run.runs.Run;
import io.runway.run.runs.RunStatus;
import io.runway.run.runs.RunStep;
import io.runway.run.runs.StepFinish;
import io.runway.run.runs.StepStatus;
import io.runway.run.runs.Transition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Drives one run on this instance: starts the steps whose dependencies are done, records each outcome, prunes branches
 * a condition did not take, and ends the run. Signals are handled one at a time, so the in-memory view of the steps and
 * the writes to PostgreSQL never race; the steps themselves run concurrently.
 *
 * <p>The work continues the trace of the run's start request (stored with the run): its decisions log with that trace's
 * ids, and each step execution does too, in a span of its own when the trace is sampled.
 */
final class RunExecution {

    private sealed interface Signal permits Advance, StepDone, Abandon {}

    private record Advance() implements Signal {}

    private record StepDone(String key, StepOutcome outcome) implements Signal {}

    private record Abandon() implements Signal {}

    private final UUID runId;
    private final String owner;
    private final ExecutionStore store;
    private final StepTypes types;
    private final Sinks.Many<Signal> inbox = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable.Composite inFlight = Disposables.composite();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, JsonNode> results = new ConcurrentHashMap<>();
    private volatile boolean abandoned;
    private Run run;
    private final RunMetrics metrics;
    private final MessageTracing tracing;
    private Ended ended;
    private TraceHeaders trace;

    RunExecution(
            UUID runId,
            String owner,
            ExecutionStore store,
            StepTypes types,
            RunMetrics metrics,
            MessageTracing tracing) {
        this.runId = runId;
        this.owner = owner;
        this.store = store;
        this.types = types;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** A run this execution drove to its end, with the status it ended in. */
    record Ended(LockedRun run, RunStatus status) {}

    /** Executes the run to its end; emits the ended run, or nothing when this instance lost or gave up the run. */
    Mono<Ended> execute() {
        return Mono.zip(store.findRun(runId), store.steps(runId).collectList())
                .flatMap(loaded -> {
                    loaded(loaded.getT1());
                    for (var step : loaded.getT2()) {
                        nodes.put(step.key(), new Node(step));
                        if (step.status() == StepStatus.SUCCESS && step.result() != null) {
                            results.put(step.key(), step.result());
                        }
                    }
                    return recoverInterrupted();
                })
                .then(Mono.defer(this::drive));
    }

    /**
     * Executes a run this instance has just inserted running: its row and its steps (all pending) are known, so nothing
     * is read back.
     */
    Mono<Ended> executeNew(Run inserted, List<StepDefinition> steps) {
        loaded(inserted);
        for (var step : steps) {
            nodes.put(step.key(), new Node(step));
        }
        return drive();
    }

    private void loaded(Run run) {
        this.run = run;
        this.trace = TraceHeaders.of(run.traceparent(), null);
    }

    /** Runs {@code work} with the run's trace ids in the MDC, for a log line about this run written off its engine. */
    void inTrace(Runnable work) {
        if (trace == null) {
            work.run();
            return;
        }
        TraceMdc.run(trace.traceId(), trace.spanId(), work);
    }

    private Mono<Ended> drive() {
        return Flux.defer(() -> {
                    signal(new Advance());
                    return inbox.asFlux();
                })
                .concatMap(this::handle)
                .then(Mono.fromSupplier(() -> ended))
                .doFinally(signal -> inFlight.dispose());
    }

    /** Stops executing here without writing anything: the run was canceled, or another instance owns it now. */
    void abandon() {
        abandoned = true;
        inFlight.dispose();
        signal(new Abandon());
    }

    private synchronized void signal(Signal signal) {
        inbox.tryEmitNext(signal);
    }

    private synchronized void close() {
        inbox.tryEmitComplete();
    }

    private Mono<Void> handle(Signal signal) {
        if (abandoned || signal instanceof Abandon) {
            close();
            return Mono.empty();
        }
        var finishes = new ArrayList<StepFinish>();
        if (signal instanceof StepDone done) {
            finishes.add(recordOutcome(done.key(), done.outcome(), false));
        }
        // a run started without a trace costs nothing more
        return trace == null
                ? decide(finishes)
                : TraceMdc.call(trace.traceId(), trace.spanId(), () -> decide(finishes));
    }

    private StepFinish recordOutcome(String key, StepOutcome outcome, boolean startedNow) {
        var node = nodes.get(key);
        node.status = outcome.status();
        node.result = outcome.result();
        node.decisionId = outcome.decisionId();
        if (outcome.status() == StepStatus.SUCCESS && outcome.result() != null) {
            results.put(key, outcome.result());
        }
        var message =
                switch (outcome.status()) {
                    case SUCCESS -> "Step done";
                    case SKIPPED -> "Step skipped";
                    default -> "Step failed";
                };
        return new StepFinish(
                key,
                outcome.status(),
                outcome.result(),
                outcome.resultTruncated(),
                outcome.error(),
                outcome.decisionId(),
                message,
                startedNow);
    }

    /**
     * Works out what follows from the current state (branches to skip, steps to start, or the end of the run) and
     * writes it, together with the outcome that led to it, in one transaction.
     */
    private Mono<Void> decide(List<StepFinish> finishes) {
        var launches = new ArrayList<String>();
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            finishes.addAll(prune());
            var failed = nodes.values().stream().anyMatch(n -> n.status == StepStatus.FAILED);
            for (var key : failed ? List.<String>of() : ready()) {
                var node = nodes.get(key);
                node.status = StepStatus.RUNNING;
                var now = types.find(node.definition.type()).flatMap(type -> type.immediate(context(node)));
                if (now.isPresent()) {
                    finishes.add(recordOutcome(key, now.get(), true));
                    progressed = true;
                } else {
                    launches.add(key);
                }
            }
        }
        var ready = launches;
        var running = nodes.values().stream().anyMatch(n -> n.status == StepStatus.RUNNING);
        var blocking = running
                ? null
                : nodes.values().stream()
                        .filter(n -> n.status != StepStatus.SUCCESS && n.status != StepStatus.SKIPPED)
                        .findFirst()
                        .orElse(null);
        var end = running ? null : blocking == null ? RunStatus.SUCCESS : RunStatus.FAILED;
        JsonNode error = blocking == null
                ? null
                : JsonNodeFactory.instance
                        .objectNode()
                        .put("code", "step_failed")
                        .put("stepKey", blocking.key)
                        .put("message", "Step '" + blocking.key + "' " + blocking.status.db());
        var transition =
                new Transition(finishes, ready, end, error, (int) finishedCount(), nodes.size(), run.traceparent());
        if (transition.isEmpty()) {
            return Mono.empty();
        }
        long writing = System.nanoTime();
        return store.apply(runId, owner, transition)
                .doOnNext(locked -> {
                    metrics.transition(System.nanoTime() - writing);
                    if (end != null) {
                        ended = new Ended(locked, end);
                        close();
                    } else {
                        ready.forEach(this::launch);
                    }
                })
                .switchIfEmpty(Mono.fromRunnable(this::abandon))
                .then();
    }

    private void launch(String key) {
        if (trace == null) {
            launch(key, null);
            return;
        }
        var span = tracing.startIfSampled(trace, "run step");
        if (span == null) {
            TraceMdc.run(trace.traceId(), trace.spanId(), () -> launch(key, null));
            return;
        }
        span.tag("run.id", runId.toString()).tag("step.key", key);
        TraceMdc.run(span.context().traceId(), span.context().spanId(), () -> launch(key, span));
    }

    /** Starts a step's execution; {@code span}, when the trace is sampled, ends with it. */
    private void launch(String key, Span span) {
        var node = nodes.get(key);
        var type = types.find(node.definition.type());
        if (type.isEmpty()) {
            if (span != null) {
                span.end();
            }
            signal(new StepDone(
                    key, StepOutcome.failed("unknown_type", "unknown step type " + node.definition.type())));
            return;
        }
        var context =
                new StepContext(runId, run.tenantId(), run.skipScheduleNode(), node.definition, Map.copyOf(results));
        var execution = Mono.defer(() -> type.get().execute(context))
                .onErrorResume(
                        error -> Mono.just(StepOutcome.failed("step_error", String.valueOf(error.getMessage()))));
        if (span != null) {
            execution = execution.doFinally(end -> span.end());
        }
        inFlight.add(execution.subscribe(outcome -> signal(new StepDone(key, outcome))));
    }

    private StepContext context(Node node) {
        return new StepContext(runId, run.tenantId(), run.skipScheduleNode(), node.definition, Map.copyOf(results));
    }

    /** Pending steps whose dependencies all ended successfully or were skipped. */
    private List<String> ready() {
        var ready = new ArrayList<String>();
        for (var node : nodes.values()) {
            if (node.status == StepStatus.PENDING
                    && node.definition.dependsOn().stream()
                            .map(nodes::get)
                            .allMatch(dep -> dep.status == StepStatus.SUCCESS || dep.status == StepStatus.SKIPPED)) {
                ready.add(node.key);
            }
        }
        return ready;
    }

    /**
     * Pending steps to skip: those named in the branch a decided condition did not take, and those whose dependencies
     * were all skipped that way.
     */
    private List<StepFinish> prune() {
        var notTaken = new HashSet<String>();
        for (var node : nodes.values()) {
            if (node.decisionId != null && node.status == StepStatus.SUCCESS) {
                var other = node.decisionId.equals("then") ? "else" : "then";
                node.definition.config().path(other).forEach(key -> notTaken.add(key.asString()));
            }
        }
        var finishes = new ArrayList<StepFinish>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var node : nodes.values()) {
                if (node.status == StepStatus.PENDING && (notTaken.contains(node.key) || allDependenciesPruned(node))) {
                    node.status = StepStatus.SKIPPED;
                    node.result = JsonNodeFactory.instance.objectNode().put("reason", RunStep.BRANCH_NOT_TAKEN);
                    finishes.add(new StepFinish(
                            node.key, StepStatus.SKIPPED, node.result, false, null, null, "Branch not taken", false));
                    changed = true;
                }
            }
        }
        return finishes;
    }

    private boolean allDependenciesPruned(Node node) {
        var deps = node.definition.dependsOn();
        return !deps.isEmpty() && deps.stream().map(nodes::get).allMatch(Node::isPruned);
    }

    /**
     * Steps found running were in flight when their engine stopped: they run again when their type says that is safe,
     * and fail otherwise (see docs/run-engine.md, "Resuming").
     */
    private Mono<Void> recoverInterrupted() {
        var rerun = new ArrayList<String>();
        var fail = new ArrayList<StepFinish>();
        for (var node : nodes.values()) {
            if (node.status != StepStatus.RUNNING) {
                continue;
            }
            var safe = types.find(node.definition.type())
                    .map(type -> type.safeToRerun(node.definition.config()))
                    .orElse(false);
            if (safe) {
                rerun.add(node.key);
                node.status = StepStatus.PENDING;
            } else {
                node.status = StepStatus.FAILED;
                var error = JsonNodeFactory.instance
                        .objectNode()
                        .put("code", "interrupted")
                        .put("message", "The step was in flight when its engine stopped and is not safe to repeat");
                fail.add(new StepFinish(
                        node.key, StepStatus.FAILED, null, false, error, null, "Step interrupted", false));
            }
        }
        var reruns = rerun.isEmpty() ? Mono.just(true) : store.rerunSteps(runId, owner, rerun);
        var failures = fail.isEmpty() ? Mono.just(true) : store.finishSteps(runId, owner, fail, progress());
        return reruns.flatMap(ok -> ok ? failures : Mono.just(false)).flatMap(ok -> {
            if (!ok) {
                abandoned = true;
            }
            return Mono.empty();
        });
    }

    private int progress() {
        return nodes.isEmpty() ? 100 : (int) (finishedCount() * 100 / nodes.size());
    }

    private long finishedCount() {
        return nodes.values().stream().filter(n -> n.status.isFinished()).count();
    }

    /** The engine's in-memory view of one step. */
    private static final class Node {

        final String key;
        final StepDefinition definition;
        StepStatus status;
        JsonNode result;
        String decisionId;

        Node(RunStep step) {
            this.key = step.key();
            this.definition = new StepDefinition(step.key(), step.name(), step.type(), step.dependsOn(), step.config());
            this.status = step.status();
            this.result = step.result();
            this.decisionId = step.decisionId();
        }

        Node(StepDefinition definition) {
            this.key = definition.key();
            this.definition = definition;
            this.status = StepStatus.PENDING;
        }

        boolean isPruned() {
            return status == StepStatus.SKIPPED
                    && result != null
                    && RunStep.BRANCH_NOT_TAKEN.equals(result.path("reason").asString(""));
        }
    }
}
