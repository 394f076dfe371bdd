package io.runway.run.runs;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import io.runway.common.id.UuidV7;
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
        this.inserts = new BatchedCalls<>(
                "start", writes.maxBatch(), writes.maxInFlight(), batchInserts::insertAll, this::insertAlone, registry);
        this.transitions = new BatchedCalls<>(
                "decision",
                writes.maxBatch(),
                writes.maxInFlight(),
                batchTransitions::applyAll,
                write -> applyAlone(write.runId(), write.owner(), write.transition()),
                registry);
    }

    /**
     * Inserts a run with its steps: pending, or already running under {@code owner}'s lease when an owner is given (a
     * run without concurrency key needs no claim). Empty when the tenant already used this idempotency key.
     */
    public Mono<Run> insert(NewRun run, List<StepDefinition> steps, String owner, Instant leaseExpires) {
        return inserts.submit(new RunInsert(run, steps, owner, leaseExpires));
    }

    private Mono<Run> insertAlone(RunInsert insert) {
        var run = insert.run();
        var owner = insert.owner();
        var leaseExpires = insert.leaseExpires();
        var steps = insert.steps();
        var insertRun = db.sql(
                        """
                        INSERT INTO runs (id, tenant_id, automation_id, automation_version_id, version_number, status,
                            trigger_type, trigger_source_type, trigger_source_id, skip_schedule_node, concurrency_key,
                            idempotency_key, event_seq, created_at, updated_at, lease_owner, lease_expires_at,
                            started_at)
                        VALUES (:id, :tenant, :automation, :version, :versionNumber, :status, :trigger, 'user',
                            :source, :skip, :concurrencyKey, :idempotencyKey, :seq, :now, :now, :owner, :expires,
                            :startedAt)
                        ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                        RETURNING id""")
                .bind("id", run.id())
                .bind("tenant", run.tenantId())
                .bind("automation", run.automationId())
                .bind("version", run.automationVersionId())
                .bind("versionNumber", run.versionNumber())
                .bind("trigger", run.triggerType().db())
                .bind("skip", run.skipScheduleNode())
                .bind("now", run.now())
                .bind("status", owner == null ? "pending" : "running")
                .bind("seq", owner == null ? 1 : 2);
        insertRun = JsonColumns.bind(insertRun, "owner", owner, String.class);
        insertRun = JsonColumns.bind(insertRun, "expires", owner == null ? null : leaseExpires, Instant.class);
        insertRun = JsonColumns.bind(insertRun, "startedAt", owner == null ? null : run.now(), Instant.class);
        insertRun = JsonColumns.bind(insertRun, "source", run.triggerSourceId(), String.class);
        insertRun = JsonColumns.bind(insertRun, "concurrencyKey", run.concurrencyKey(), String.class);
        insertRun = JsonColumns.bind(insertRun, "idempotencyKey", run.idempotencyKey(), String.class);
        var work = insertRun.map(row -> row.get("id", UUID.class)).one().flatMap(id -> insertSteps(id, steps)
                .then(eventLog.append(id, 1, 0, insert.events(), run.now()))
                .then(findRun(id)));
        return tx.transactional(work);
    }

    private Mono<Void> insertSteps(UUID runId, List<StepDefinition> steps) {
        var values = new ArrayList<String>();
        for (int i = 0; i < steps.size(); i++) {
            values.add("(:id%1$d, :run, %1$d, :key%1$d, :name%1$d, :type%1$d, :deps%1$d, :config%1$d, 'pending')"
                    .formatted(i));
        }
        var spec = db.sql(
                        "INSERT INTO run_steps (id, run_id, position, step_key, name, type, depends_on, config, status)"
                                + " VALUES " + String.join(", ", values))
                .bind("run", runId);
        for (int i = 0; i < steps.size(); i++) {
            var step = steps.get(i);
            spec = spec.bind("id" + i, UuidV7.next(clock))
                    .bind("key" + i, step.key())
                    .bind("name" + i, step.name())
                    .bind("type" + i, step.type())
                    .bind("deps" + i, json.json(step.dependsOn()))
                    .bind("config" + i, json.json(step.config()));
        }
        return spec.then();
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

    private Mono<LockedRun> applyAlone(UUID runId, String owner, Transition transition) {
        var now = clock.instant();
        var work = lock(runId).filter(locked -> locked.executedBy(owner)).flatMap(locked -> {
            var finished = Flux.fromIterable(transition.finishes()).concatMap(finish -> finishOne(runId, finish, now));
            var started = transition.starts().isEmpty()
                    ? Flux.<RunEvent>empty()
                    : bindList(
                                    db.sql(
                                            """
                                            UPDATE run_steps SET status = 'running', started_at = :now,
                                                completed_at = NULL
                                            WHERE run_id = :run AND status = 'pending' AND step_key IN (%s)
                                            RETURNING step_key"""
                                                    .formatted(inList(
                                                            "k",
                                                            transition.starts().size()))),
                                    "k",
                                    transition.starts())
                            .bind("now", now)
                            .bind("run", runId)
                            .map(row -> RunEvent.step(
                                    row.get("step_key", String.class), StepStatus.RUNNING, "Step started"))
                            .all();
            return finished.concatWith(started).collectList().flatMap(events -> {
                var all = new ArrayList<>(events);
                int progress = Math.max(locked.progress(), transition.progress());
                if (transition.end() != null) {
                    progress = transition.end() == RunStatus.SUCCESS ? 100 : progress;
                    all.add(RunEvent.run(transition.end(), transition.end() == RunStatus.SUCCESS ? "Done" : "Failed"));
                }
                var progressOfEach = RunEventLog.progressOfEach(all, transition, locked.progress(), progress);
                if (all.isEmpty()) {
                    return Mono.just(locked);
                }
                var spec = db.sql(
                                """
                                UPDATE runs SET event_seq = :seq, progress = :progress, updated_at = :now,
                                    status = COALESCE(:end, status), error = COALESCE(:error, error),
                                    completed_at = CASE WHEN :ended THEN :now ELSE completed_at END,
                                    lease_owner = CASE WHEN :ended THEN NULL ELSE lease_owner END,
                                    lease_expires_at = CASE WHEN :ended THEN NULL ELSE lease_expires_at END
                                WHERE id = :run""")
                        .bind("seq", locked.eventSeq() + all.size())
                        .bind("progress", progress)
                        .bind("now", now)
                        .bind("ended", transition.end() != null)
                        .bind("run", runId);
                spec = JsonColumns.bind(
                        spec,
                        "end",
                        transition.end() == null ? null : transition.end().db(),
                        String.class);
                spec = json.bindJson(spec, "error", transition.endError());
                return spec.then()
                        .then(eventLog.append(runId, locked.eventSeq() + 1, progressOfEach, all, now))
                        .thenReturn(locked);
            });
        });
        return tx.transactional(work);
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
