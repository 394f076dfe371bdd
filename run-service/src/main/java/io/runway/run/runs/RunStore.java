package io.runway.run.runs;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import io.runway.run.automation.StepDefinition;
import io.runway.run.config.BatchedCalls;
import io.runway.run.config.JsonColumns;
import io.runway.run.config.RunEngineProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every write to runs and run steps. Each write is one transaction that first locks the run row, so the per-run event
 * sequence is handed out in order and the event is committed together with the change it describes. Engine writes are
 * fenced: they apply only while the run is running under the caller's lease.
 */
@Repository
public class RunStore {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonColumns json;
    private final RunRows rows;
    private final Clock clock;
    private final RunEventLog eventLog;
    private final BatchedCalls<RunInsert, Run> inserts;
    private final BatchedCalls<TransitionWrite, LockedRun> transitions;

    RunStore(
            DatabaseClient db,
            TransactionalOperator tx,
            JsonColumns json,
            RunRows rows,
            Clock clock,
            RunEventLog eventLog,
            RunInserts batchInserts,
            RunTransitions batchTransitions,
            RunEngineProperties properties,
            MeterRegistry registry) {
        this.db = db;
        this.tx = tx;
        this.json = json;
        this.rows = rows;
        this.clock = clock;
        this.eventLog = eventLog;
        var writes = properties.writes();
        this.inserts =
                new BatchedCalls<>("start", writes.maxBatch(), writes.maxInFlight(), batchInserts::insertAll, registry);
        this.transitions = new BatchedCalls<>(
                "decision", writes.maxBatch(), writes.maxInFlight(), batchTransitions::applyAll, registry);
    }

    /**
     * Inserts a run with its steps: pending, or already running under {@code owner}'s lease when an owner is given (a
     * run without concurrency key needs no claim). Empty when the tenant already used this idempotency key, or when
     * {@code versionMustBeCurrent} and the run's automation version is no longer the current one.
     */
    public Mono<Run> insert(
            NewRun run, List<StepDefinition> steps, String owner, Instant leaseExpires, boolean versionMustBeCurrent) {
        return inserts.submit(new RunInsert(run, steps, owner, leaseExpires, versionMustBeCurrent));
    }

    public Mono<Run> findRun(UUID id) {
        return db.sql("SELECT " + RunRows.RUN_COLUMNS + " FROM runs WHERE id = :id")
                .bind("id", id)
                .map(rows::run)
                .one();
    }

    /**
     * Applies one engine decision in one transaction; emits the locked run as it was before, or nothing when the owner
     * no longer executes the run (canceled, or its lease was taken over).
     */
    public Mono<LockedRun> apply(UUID runId, String owner, Transition transition) {
        return transitions.submit(new TransitionWrite(runId, owner, transition));
    }

    /** Records the end of steps (or skips them) and raises progress; false when the owner no longer executes it. */
    public Mono<Boolean> finishSteps(UUID runId, String owner, List<StepFinish> finishes, int progress) {
        var now = clock.instant();
        return fenced(runId, owner, locked -> Flux.fromIterable(finishes)
                .concatMap(finish -> finishOne(runId, finish, now))
                .collectList()
                .flatMap(events -> eventLog.commit(locked, Math.max(locked.progress(), progress), events, now)));
    }

    private Flux<RunEvent> finishOne(UUID runId, StepFinish finish, Instant now) {
        var spec = db.sql(
                        """
                        UPDATE run_steps SET status = :status, result = :result, result_truncated = :truncated,
                            error = :error, decision_id = :decision, completed_at = :now,
                            started_at = CASE WHEN :startedNow THEN :now ELSE started_at END
                        WHERE run_id = :run AND step_key = :key AND status IN ('pending', 'running')""")
                .bind("startedNow", finish.startedNow())
                .bind("status", finish.status().db())
                .bind("truncated", finish.resultTruncated())
                .bind("now", now)
                .bind("run", runId)
                .bind("key", finish.key());
        spec = json.bindJson(spec, "result", finish.result());
        spec = json.bindJson(spec, "error", finish.error());
        spec = JsonColumns.bind(spec, "decision", finish.decisionId(), String.class);
        return spec.fetch()
                .rowsUpdated()
                .filter(n -> n > 0)
                .flatMapMany(n -> finish.startedNow()
                        ? Flux.just(
                                RunEvent.step(finish.key(), StepStatus.RUNNING, "Step started"),
                                RunEvent.step(finish.key(), finish.status(), finish.message()))
                        : Flux.just(RunEvent.step(finish.key(), finish.status(), finish.message())));
    }

    /** Puts interrupted steps back to pending for another attempt, keeping the interrupted attempt in history. */
    public Mono<Boolean> rerunSteps(UUID runId, String owner, List<String> keys) {
        var now = clock.instant();
        return fenced(runId, owner, locked -> resetSteps(runId, keys, now)
                .map(key -> RunEvent.step(key, StepStatus.PENDING, "Re-run after its engine stopped"))
                .collectList()
                .flatMap(events -> eventLog.commit(locked, locked.progress(), events, now)));
    }

    /** Cancels an active run of the tenant: running steps end canceled; empty when there is no such run. */
    public Mono<CancelOutcome> cancel(UUID runId, String tenantId, String by) {
        var now = clock.instant();
        var work = lock(runId)
                .filter(locked -> locked.tenantId().equals(tenantId))
                .flatMap(locked -> {
                    if (!locked.status().isActive()) {
                        return Mono.just(new CancelOutcome(locked, false));
                    }
                    return db.sql(
                                    """
                            UPDATE run_steps SET status = 'canceled', completed_at = :now,
                                error = '{"code":"canceled","message":"Run canceled"}'
                            WHERE run_id = :run AND status = 'running'
                            RETURNING step_key""")
                            .bind("now", now)
                            .bind("run", runId)
                            .map(row ->
                                    RunEvent.step(row.get("step_key", String.class), StepStatus.CANCELED, "Canceled"))
                            .all()
                            .collectList()
                            .flatMap(events -> {
                                var all = new ArrayList<>(events);
                                all.add(RunEvent.run(RunStatus.CANCELED, "Canceled by " + by));
                                return db.sql(
                                                """
                                        UPDATE runs SET status = 'canceled', canceled_by = :by, canceled_at = :now,
                                            completed_at = :now, updated_at = :now, lease_owner = NULL,
                                            lease_expires_at = NULL, event_seq = :seq
                                        WHERE id = :run""")
                                        .bind("by", by)
                                        .bind("now", now)
                                        .bind("seq", locked.eventSeq() + all.size())
                                        .bind("run", runId)
                                        .then()
                                        .then(eventLog.append(
                                                runId, locked.eventSeq() + 1, locked.progress(), all, now));
                            })
                            .thenReturn(new CancelOutcome(locked, true));
                });
        return tx.transactional(work);
    }

    /** Re-opens a finished run: the given steps go back to pending (their attempt kept in history). */
    public Mono<Boolean> reopen(UUID runId, String tenantId, List<String> keys, int progress) {
        var now = clock.instant();
        var work = lock(runId)
                .filter(locked ->
                        locked.tenantId().equals(tenantId) && !locked.status().isActive())
                .flatMap(locked -> resetSteps(runId, keys, now)
                        .map(key -> RunEvent.step(key, StepStatus.PENDING, "Retry"))
                        .collectList()
                        .flatMap(events -> {
                            var all = new ArrayList<>(events);
                            all.add(RunEvent.run(RunStatus.PENDING, "Retry queued"));
                            return db.sql(
                                            """
                                            UPDATE runs SET status = 'pending', error = NULL, completed_at = NULL,
                                                canceled_by = NULL, canceled_at = NULL, lease_owner = NULL,
                                                lease_expires_at = NULL, progress = :progress, updated_at = :now,
                                                event_seq = :seq
                                            WHERE id = :run""")
                                    .bind("progress", progress)
                                    .bind("now", now)
                                    .bind("seq", locked.eventSeq() + all.size())
                                    .bind("run", runId)
                                    .then()
                                    .then(eventLog.append(runId, locked.eventSeq() + 1, progress, all, now));
                        })
                        .thenReturn(true));
        return tx.transactional(work).defaultIfEmpty(false);
    }

    private Flux<String> resetSteps(UUID runId, List<String> keys, Instant now) {
        if (keys.isEmpty()) {
            return Flux.empty();
        }
        var archive = bindList(
                        db.sql(
                                """
                                INSERT INTO run_step_attempts (run_id, step_key, attempt, status, result,
                                    result_truncated, error, decision_id, started_at, completed_at, archived_at)
                                SELECT run_id, step_key, attempt, status, result, result_truncated, error, decision_id,
                                    started_at, completed_at, :now
                                FROM run_steps
                                WHERE run_id = :run AND step_key IN (%s) AND (status <> 'pending' OR started_at IS NOT NULL)"""
                                        .formatted(inList("k", keys.size()))),
                        "k",
                        keys)
                .bind("now", now)
                .bind("run", runId);
        var reset = bindList(
                        db.sql(
                                """
                                UPDATE run_steps SET
                                    attempt = attempt + CASE WHEN status <> 'pending' OR started_at IS NOT NULL
                                        THEN 1 ELSE 0 END,
                                    status = 'pending', result = NULL, result_truncated = false, error = NULL,
                                    decision_id = NULL, started_at = NULL, completed_at = NULL
                                WHERE run_id = :run AND step_key IN (%s)
                                RETURNING step_key"""
                                        .formatted(inList("k", keys.size()))),
                        "k",
                        keys)
                .bind("run", runId);
        return archive.then()
                .thenMany(reset.map(row -> row.get("step_key", String.class)).all());
    }

    private Mono<Boolean> fenced(UUID runId, String owner, Function<LockedRun, Mono<Boolean>> work) {
        return tx.transactional(
                        lock(runId).filter(locked -> locked.executedBy(owner)).flatMap(work))
                .defaultIfEmpty(false);
    }

    private Mono<LockedRun> lock(UUID runId) {
        return db.sql(
                        """
                        SELECT id, tenant_id, status, lease_owner, event_seq, progress, concurrency_key
                        FROM runs WHERE id = :id FOR UPDATE""")
                .bind("id", runId)
                .map(RunStore::lockedRun)
                .one();
    }

    static LockedRun lockedRun(Readable row) {
        return new LockedRun(
                row.get("id", UUID.class),
                row.get("tenant_id", String.class),
                RunStatus.fromDb(row.get("status", String.class)),
                row.get("lease_owner", String.class),
                row.get("event_seq", Long.class),
                row.get("progress", Integer.class),
                row.get("concurrency_key", String.class));
    }

    private static String inList(String prefix, int size) {
        var names = new ArrayList<String>();
        for (int i = 0; i < size; i++) {
            names.add(":" + prefix + i);
        }
        return String.join(", ", names);
    }

    private static GenericExecuteSpec bindList(GenericExecuteSpec spec, String prefix, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            spec = spec.bind(prefix + i, values.get(i));
        }
        return spec;
    }

    /** What a cancel found: the locked run, and whether it was active (and is now canceled). */
    public record CancelOutcome(LockedRun run, boolean canceled) {}
}
