package io.runway.run.engine;

import io.runway.common.tracing.MessageTracing;
import io.runway.common.work.PeriodicWork;
import io.runway.run.automation.StepDefinition;
import io.runway.run.config.RunEngineProperties;
import io.runway.run.runs.LockedRun;
import io.runway.run.runs.Run;
import io.runway.run.runs.RunLeases;
import io.runway.run.runs.RunQueries;
import io.runway.run.runs.RunStatus;
import io.runway.run.runs.RunStep;
import io.runway.run.runs.RunStore;
import io.runway.run.runs.StepFinish;
import io.runway.run.runs.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Executes runs on this instance under renewable leases. Runs are claimed when started here, and by a periodic sweep
 * that picks up pending runs nobody started and running runs whose lease expired (their instance is gone).
 */
@Component
public class RunEngine implements SmartLifecycle {

    private static final Duration FIRST_TICK = Duration.ofMillis(50);

    private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

    private final RunLeases leases;
    private final ExecutionStore stored;
    private final StepTypes types;
    private final RunEngineProperties properties;
    private final RunMetrics metrics;
    private final Clock clock;
    private final MessageTracing tracing;
    private final String owner;
    private final Map<UUID, RunExecution> executions = new ConcurrentHashMap<>();
    private volatile Disposable timers = Disposables.disposed();
    private volatile boolean running;

    public RunEngine(
            RunLeases leases,
            RunStore store,
            RunQueries queries,
            StepTypes types,
            RunEngineProperties properties,
            RunMetrics metrics,
            Clock clock,
            MessageTracing tracing) {
        this.leases = leases;
        this.stored = new StoredRuns(store, queries);
        this.types = types;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
        this.tracing = tracing;
        this.owner = properties.instanceId().isBlank()
                ? "engine-" + UUID.randomUUID().toString().substring(0, 8)
                : properties.instanceId();
    }

    /** This instance's lease owner id. */
    public String owner() {
        return owner;
    }

    /** Claims a pending run and executes it here; false when it must wait (concurrency key) or is taken. */
    public Mono<Boolean> tryStart(UUID runId) {
        if (!running) {
            return Mono.just(false);
        }
        return leases.claimPending(runId, owner, leaseEnd()).doOnNext(claimed -> {
            if (claimed) {
                metrics.started();
                launch(runId);
            }
        });
    }

    /** The lease owner and lease end for a run inserted already running here, or empty when this engine is stopped. */
    public java.util.Optional<Lease> leaseForNewRun() {
        return running ? java.util.Optional.of(new Lease(owner, leaseEnd())) : java.util.Optional.empty();
    }

    /** Executes here a run that was just inserted running under this engine's lease, with its steps all pending. */
    public void adopt(Run inserted, List<StepDefinition> steps) {
        metrics.started();
        launch(inserted.id(), execution -> execution.executeNew(inserted, steps));
    }

    /** A lease to insert a run under. */
    public record Lease(String owner, Instant expires) {}

    /** Stops the local execution of a run that was canceled: its running steps are interrupted at once. */
    public void interrupt(UUID runId) {
        var execution = executions.get(runId);
        if (execution != null) {
            execution.abandon();
        }
    }

    /** Counts a run that was canceled and stops its local execution, if it runs here. */
    public void canceled(UUID runId) {
        metrics.finished(RunStatus.CANCELED);
        interrupt(runId);
    }

    /** Starts the next run queued behind a concurrency key, if any. */
    public Mono<Boolean> startNextQueued(String tenantId, String concurrencyKey) {
        if (concurrencyKey == null) {
            return Mono.just(false);
        }
        return leases.nextQueued(tenantId, concurrencyKey)
                .flatMap(this::tryStart)
                .defaultIfEmpty(false);
    }

    private void launch(UUID runId) {
        launch(runId, RunExecution::execute);
    }

    private void launch(UUID runId, Function<RunExecution, Mono<RunExecution.Ended>> execute) {
        var execution = new RunExecution(runId, owner, stored, types, metrics, tracing);
        if (executions.putIfAbsent(runId, execution) != null) {
            return;
        }
        execute.apply(execution)
                .flatMap(this::afterEnd)
                .doFinally(signal -> executions.remove(runId, execution))
                .subscribe(
                        null,
                        error -> execution.inTrace(
                                () -> log.warn("run {} stopped executing here: {}", runId, error.toString())));
    }

    private Mono<Boolean> afterEnd(RunExecution.Ended ended) {
        metrics.finished(ended.status());
        return startNextQueued(ended.run().tenantId(), ended.run().concurrencyKey());
    }

    Mono<Void> sweep() {
        return leases.claimable(properties.sweepBatch())
                .collectList()
                .doOnNext(found -> metrics.unowned(found.size()))
                .flatMapIterable(found -> found)
                .filter(id -> !executions.containsKey(id))
                .concatMap(id -> leases.claimPending(id, owner, leaseEnd())
                        .doOnNext(claimed -> {
                            if (claimed) {
                                metrics.started();
                            }
                        })
                        .flatMap(claimed -> claimed ? Mono.just(true) : takeOver(id))
                        .doOnNext(claimed -> {
                            if (claimed) {
                                log.info("run {} claimed by {}", id, owner);
                                launch(id);
                            }
                        }))
                .then();
    }

    private Mono<Boolean> takeOver(UUID runId) {
        return leases.takeOver(runId, owner, leaseEnd()).doOnNext(taken -> {
            if (taken) {
                metrics.takenOver();
            }
        });
    }

    Mono<Void> renew() {
        return leases.renewAndFindLost(owner, List.copyOf(executions.keySet()), leaseEnd())
                .doOnNext(id -> {
                    log.info("run {} is no longer executed by {}", id, owner);
                    interrupt(id);
                })
                .then();
    }

    private Instant leaseEnd() {
        return clock.instant().plus(properties.lease());
    }

    @Override
    public void start() {
        running = true;
        timers = Disposables.composite(
                PeriodicWork.every(FIRST_TICK, properties.renewEvery(), "lease renewal", this::renew),
                PeriodicWork.every(FIRST_TICK, properties.sweepEvery(), "recovery sweep", this::sweep));
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        timers.dispose();
        executions.values().forEach(RunExecution::abandon);
        // Hand our runs over at once instead of letting their leases run out.
        leases.release(owner)
                .doOnError(error -> log.warn("could not release leases of {}: {}", owner, error.toString()))
                .doFinally(signal -> callback.run())
                .subscribe(null, error -> {});
    }

    @Override
    public void stop() {
        stop(() -> {});
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Stop before the web server and the connection pool go away.
        return SmartLifecycle.DEFAULT_PHASE - 100;
    }

    /** Executions read and write through the run store, and read steps through the run queries. */
    private record StoredRuns(RunStore store, RunQueries queries) implements ExecutionStore {

        @Override
        public Mono<Run> findRun(UUID runId) {
            return store.findRun(runId);
        }

        @Override
        public Flux<RunStep> steps(UUID runId) {
            return queries.steps(runId);
        }

        @Override
        public Mono<LockedRun> apply(UUID runId, String owner, Transition transition) {
            return store.apply(runId, owner, transition);
        }

        @Override
        public Mono<Boolean> rerunSteps(UUID runId, String owner, List<String> keys) {
            return store.rerunSteps(runId, owner, keys);
        }

        @Override
        public Mono<Boolean> finishSteps(UUID runId, String owner, List<StepFinish> finishes, int progress) {
            return store.finishSteps(runId, owner, finishes, progress);
        }
    }
}
