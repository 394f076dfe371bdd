package io.runway.run.app;

import io.runway.common.error.ApiException;
import io.runway.common.id.UuidV7;
import io.runway.common.tracing.MessageTracing;
import io.runway.run.automation.Automation;
import io.runway.run.automation.AutomationService;
import io.runway.run.engine.RunEngine;
import io.runway.run.runs.NewRun;
import io.runway.run.runs.Run;
import io.runway.run.runs.RunFilter;
import io.runway.run.runs.RunPage;
import io.runway.run.runs.RunQueries;
import io.runway.run.runs.RunStatus;
import io.runway.run.runs.RunStore;
import io.runway.run.runs.RunWithSteps;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What both API faces do with runs: start, stop, retry and read them; the faces only translate. */
@Service
public class RunService {

    private final AutomationService automations;
    private final RunStore store;
    private final RunQueries queries;
    private final RunEngine engine;
    private final Clock clock;
    private final MessageTracing tracing;

    public RunService(
            AutomationService automations,
            RunStore store,
            RunQueries queries,
            RunEngine engine,
            Clock clock,
            MessageTracing tracing) {
        this.automations = automations;
        this.tracing = tracing;
        this.store = store;
        this.queries = queries;
        this.engine = engine;
        this.clock = clock;
    }

    public Mono<Run> start(String tenantId, String userId, UUID automationId, StartOptions options) {
        return automations.forStart(tenantId, automationId).flatMap(automation -> byIdempotencyKey(
                        tenantId, automation, options)
                .switchIfEmpty(Mono.defer(() -> applyConflictPolicy(tenantId, options)
                        .then(insert(tenantId, userId, automation, options, true))
                        .switchIfEmpty(
                                Mono.defer(() -> startWithCurrentVersion(tenantId, userId, options, automation))))));
    }

    /** The version remembered for starts was replaced meanwhile (by another instance): start with the current one. */
    private Mono<Run> startWithCurrentVersion(
            String tenantId, String userId, StartOptions options, Automation remembered) {
        automations.forget(tenantId, remembered.id());
        return automations
                .get(tenantId, remembered.id())
                .flatMap(current -> insert(tenantId, userId, current, options, false));
    }

    private Mono<Run> byIdempotencyKey(String tenantId, Automation automation, StartOptions options) {
        if (options.idempotencyKey() == null) {
            return Mono.empty();
        }
        return queries.findByIdempotencyKey(tenantId, options.idempotencyKey())
                .flatMap(existing -> existing.automationId().equals(automation.id())
                        ? Mono.just(existing)
                        : Mono.error(ApiException.conflict(
                                "idempotency_key_reused",
                                "This Idempotency-Key was already used for another automation")));
    }

    private Mono<Void> applyConflictPolicy(String tenantId, StartOptions options) {
        if (options.concurrencyKey() == null || StartOptions.QUEUE.equals(options.onConflict())) {
            return Mono.empty();
        }
        var holders = queries.activeWithKey(tenantId, options.concurrencyKey());
        if (StartOptions.REJECT.equals(options.onConflict())) {
            return holders.hasElements()
                    .flatMap(busy -> busy
                            ? Mono.error(ApiException.conflict(
                                    "concurrency_conflict",
                                    "A run with concurrencyKey '" + options.concurrencyKey() + "' is already active"))
                            : Mono.empty());
        }
        return holders.filter(run -> run.status() == RunStatus.RUNNING)
                .concatMap(run -> cancel(tenantId, run.id(), "superseded", false))
                .then();
    }

    /**
     * Inserts the run; empty only when the automation version had to be current and is not (an idempotency key already
     * used answers that key's run).
     */
    private Mono<Run> insert(
            String tenantId, String userId, Automation automation, StartOptions options, boolean versionMustBeCurrent) {
        // The start request's trace is kept with the run, so that its execution continues it wherever that happens.
        return Mono.deferContextual(context -> {
            var trace = tracing.current(context);
            return insert(
                    tenantId,
                    userId,
                    automation,
                    options,
                    versionMustBeCurrent,
                    trace == null ? null : trace.traceparent());
        });
    }

    private Mono<Run> insert(
            String tenantId,
            String userId,
            Automation automation,
            StartOptions options,
            boolean versionMustBeCurrent,
            String traceparent) {
        var run = new NewRun(
                UuidV7.next(clock),
                tenantId,
                automation.id(),
                automation.automationVersionId(),
                automation.versionNumber(),
                options.triggerType(),
                userId,
                options.skipScheduleNode(),
                options.concurrencyKey(),
                options.idempotencyKey(),
                clock.instant(),
                traceparent);
        // Without a concurrency key nothing can hold the run back: insert it running under our lease, no claim.
        var lease = options.concurrencyKey() == null ? engine.leaseForNewRun() : Optional.<RunEngine.Lease>empty();
        var owner = lease.map(RunEngine.Lease::owner).orElse(null);
        var expires = lease.map(RunEngine.Lease::expires).orElse(null);
        return store.insert(run, automation.steps(), owner, expires, versionMustBeCurrent)
                .flatMap(inserted -> {
                    if (owner != null) {
                        engine.adopt(inserted, automation.steps());
                        return Mono.just(inserted);
                    }
                    return engine.tryStart(inserted.id()).then(store.findRun(inserted.id()));
                })
                // Lost a race with a concurrent start using the same Idempotency-Key: answer with that run.
                .switchIfEmpty(Mono.defer(() -> byIdempotencyKey(tenantId, automation, options)));
    }

    public Mono<Run> get(String tenantId, UUID runId) {
        return queries.find(tenantId, runId).switchIfEmpty(Mono.error(() -> ApiException.notFound("Run not found")));
    }

    public Mono<RunWithSteps> steps(String tenantId, UUID runId) {
        return get(tenantId, runId)
                .flatMap(run -> queries.steps(runId).collectList().map(steps -> new RunWithSteps(run, steps)));
    }

    public Mono<Run> stop(String tenantId, String userId, UUID runId) {
        return cancel(tenantId, runId, "user:" + userId, true).then(get(tenantId, runId));
    }

    private Mono<Void> cancel(String tenantId, UUID runId, String by, boolean startNext) {
        return store.cancel(runId, tenantId, by)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Run not found")))
                .flatMap(outcome -> {
                    if (!outcome.canceled()) {
                        return Mono.error(ApiException.conflict(
                                "run_not_active",
                                "Run is already " + outcome.run().status().db()));
                    }
                    engine.canceled(runId);
                    return startNext
                            ? engine.startNextQueued(tenantId, outcome.run().concurrencyKey())
                                    .then()
                            : Mono.empty();
                });
    }

    public Mono<Run> retry(String tenantId, UUID runId, RetryMode mode, String stepKey) {
        return steps(tenantId, runId).flatMap(current -> {
            if (current.run().status().isActive()) {
                return Mono.error(ApiException.conflict(
                        "run_active", "Run is still " + current.run().status().db() + "; stop it before retrying"));
            }
            var reset = RetryPlanner.stepsToReset(current.steps(), mode, stepKey);
            if (reset.isEmpty()) {
                return Mono.error(ApiException.conflict("nothing_to_retry", "Run has no failed or unfinished steps"));
            }
            long kept = current.steps().stream()
                    .filter(step -> !reset.contains(step.key()) && step.status().isFinished())
                    .count();
            int progress = (int) (kept * 100 / current.steps().size());
            return store.reopen(runId, tenantId, List.copyOf(reset), progress)
                    .flatMap(reopened -> reopened
                            ? engine.tryStart(runId).then(get(tenantId, runId))
                            : Mono.error(ApiException.conflict("run_active", "Run was started again meanwhile")));
        });
    }

    public Flux<Run> active(String tenantId, int limit) {
        return queries.active(tenantId, limit);
    }

    public Mono<RunPage> page(RunFilter filter) {
        return queries.page(filter);
    }
}
