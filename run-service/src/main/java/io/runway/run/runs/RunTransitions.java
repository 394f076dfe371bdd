package io.runway.run.runs;

import io.runway.run.config.JsonColumns;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Writes the decisions of many runs in one transaction of four statements, whatever the number of runs and steps:
 * lock the runs, change their steps, change the runs, append their events. Each decision is fenced as it is alone: it
 * applies only while its run is running under the deciding engine's lease, and its answer is empty otherwise.
 */
@Component
class RunTransitions {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final JsonColumns json;
    private final Clock clock;
    private final RunEventLog eventLog;

    RunTransitions(DatabaseClient db, TransactionalOperator tx, JsonColumns json, Clock clock, RunEventLog eventLog) {
        this.db = db;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.eventLog = eventLog;
    }

    Mono<List<Optional<LockedRun>>> applyAll(List<TransitionWrite> writes) {
        var now = clock.instant();
        var work = lock(writes).flatMap(locked -> {
            var applied = writes.stream()
                    .filter(write -> {
                        var run = locked.get(write.runId());
                        return run != null && run.executedBy(write.owner());
                    })
                    .toList();
            var appliedRuns = applied.stream().map(TransitionWrite::runId).collect(Collectors.toSet());
            return changeSteps(applied, now).flatMap(changed -> {
                var runs = new ArrayList<RunChange>();
                for (var write : applied) {
                    var change = RunChange.of(locked.get(write.runId()), write.transition(), changed);
                    if (!change.events().isEmpty()) {
                        runs.add(change);
                    }
                }
                return changeRuns(runs, now)
                        .then(eventLog.appendAll(
                                runs.stream()
                                        .map(change -> change.appended(now))
                                        .toList(),
                                now))
                        .thenReturn(writes.stream()
                                .map(write -> appliedRuns.contains(write.runId())
                                        ? Optional.of(locked.get(write.runId()))
                                        : Optional.<LockedRun>empty())
                                .toList());
            });
        });
        return tx.transactional(work);
    }

    private Mono<Map<UUID, LockedRun>> lock(List<TransitionWrite> writes) {
        return db.sql(
                        """
                        SELECT id, tenant_id, status, lease_owner, event_seq, progress, concurrency_key
                        FROM runs WHERE id = ANY(CAST(:ids AS uuid[])) ORDER BY id FOR UPDATE""")
                .bind("ids", writes.stream().map(w -> w.runId().toString()).toArray(String[]::new))
                .map(RunStore::lockedRun)
                .all()
                .collectMap(LockedRun::id);
    }

    /**
     * Ends and starts steps in one statement; answers which of them changed (a step another writer already moved is
     * left alone and announces nothing), as keys {@code runId/stepKey} with {@code +} for starts.
     */
    private Mono<Set<String>> changeSteps(List<TransitionWrite> writes, Instant now) {
        var runs = new ArrayList<String>();
        var keys = new ArrayList<String>();
        var statuses = new ArrayList<String>();
        var results = new ArrayList<String>();
        var truncated = new ArrayList<Boolean>();
        var errors = new ArrayList<String>();
        var decisions = new ArrayList<String>();
        var startedNow = new ArrayList<Boolean>();
        var starts = new ArrayList<Boolean>();
        for (var write : writes) {
            for (var finish : write.transition().finishes()) {
                runs.add(write.runId().toString());
                keys.add(finish.key());
                statuses.add(finish.status().db());
                results.add(text(finish.result()));
                truncated.add(finish.resultTruncated());
                errors.add(text(finish.error()));
                decisions.add(finish.decisionId());
                startedNow.add(finish.startedNow());
                starts.add(false);
            }
            for (var key : write.transition().starts()) {
                runs.add(write.runId().toString());
                keys.add(key);
                statuses.add(StepStatus.RUNNING.db());
                results.add(null);
                truncated.add(false);
                errors.add(null);
                decisions.add(null);
                startedNow.add(false);
                starts.add(true);
            }
        }
        if (runs.isEmpty()) {
            return Mono.just(Set.of());
        }
        return db.sql(
                        """
                        UPDATE run_steps s SET status = v.status, result = CAST(v.result AS jsonb),
                            result_truncated = v.truncated, error = CAST(v.error AS jsonb), decision_id = v.decision,
                            started_at = CASE WHEN v.starts OR v.started_now THEN :now ELSE s.started_at END,
                            completed_at = CASE WHEN v.starts THEN NULL ELSE :now END
                        FROM unnest(CAST(:runs AS uuid[]), CAST(:keys AS text[]), CAST(:statuses AS text[]),
                            CAST(:results AS text[]), CAST(:truncated AS boolean[]), CAST(:errors AS text[]),
                            CAST(:decisions AS text[]), CAST(:startedNow AS boolean[]), CAST(:starts AS boolean[]))
                            AS v(run_id, step_key, status, result, truncated, error, decision, started_now, starts)
                        WHERE s.run_id = v.run_id AND s.step_key = v.step_key
                          AND (s.status = 'pending' OR (s.status = 'running' AND NOT v.starts))
                        RETURNING s.run_id, s.step_key, v.starts""")
                .bind("runs", runs.toArray(String[]::new))
                .bind("keys", keys.toArray(String[]::new))
                .bind("statuses", statuses.toArray(String[]::new))
                .bind("results", results.toArray(String[]::new))
                .bind("truncated", truncated.toArray(Boolean[]::new))
                .bind("errors", errors.toArray(String[]::new))
                .bind("decisions", decisions.toArray(String[]::new))
                .bind("startedNow", startedNow.toArray(Boolean[]::new))
                .bind("starts", starts.toArray(Boolean[]::new))
                .bind("now", now)
                .map(row -> changedKey(
                        row.get("run_id", UUID.class),
                        row.get("step_key", String.class),
                        Boolean.TRUE.equals(row.get("starts", Boolean.class))))
                .all()
                .collect(HashSet::new, Set::add);
    }

    private Mono<Void> changeRuns(List<RunChange> changes, Instant now) {
        if (changes.isEmpty()) {
            return Mono.empty();
        }
        int size = changes.size();
        var ids = new String[size];
        var seqs = new Long[size];
        var progress = new Integer[size];
        var ends = new String[size];
        var errors = new String[size];
        for (int i = 0; i < size; i++) {
            var change = changes.get(i);
            ids[i] = change.run().id().toString();
            seqs[i] = change.run().eventSeq() + change.events().size();
            progress[i] = change.progress();
            ends[i] = change.transition().end() == null
                    ? null
                    : change.transition().end().db();
            errors[i] = text(change.transition().endError());
        }
        return db.sql(
                        """
                        UPDATE runs r SET event_seq = v.seq, progress = v.progress, updated_at = :now,
                            status = COALESCE(v.end_status, r.status), error = COALESCE(CAST(v.error AS jsonb), r.error),
                            completed_at = CASE WHEN v.end_status IS NULL THEN r.completed_at ELSE :now END,
                            lease_owner = CASE WHEN v.end_status IS NULL THEN r.lease_owner END,
                            lease_expires_at = CASE WHEN v.end_status IS NULL THEN r.lease_expires_at END
                        FROM unnest(CAST(:ids AS uuid[]), CAST(:seqs AS bigint[]), CAST(:progress AS smallint[]),
                            CAST(:ends AS text[]), CAST(:errors AS text[])) AS v(id, seq, progress, end_status, error)
                        WHERE r.id = v.id""")
                .bind("ids", ids)
                .bind("seqs", seqs)
                .bind("progress", progress)
                .bind("ends", ends)
                .bind("errors", errors)
                .bind("now", now)
                .then();
    }

    private String text(Object value) {
        return value == null ? null : json.json(value).asString();
    }

    static String changedKey(UUID runId, String stepKey, boolean start) {
        return runId + "/" + stepKey + (start ? "+" : "");
    }

    /** What one decision changes in its run: the events it announces and the progress it reaches. */
    record RunChange(
            LockedRun run, Transition transition, List<RunEvent> events, List<Integer> progressOfEach, int progress) {

        static RunChange of(LockedRun run, Transition transition, Set<String> changedSteps) {
            var events = new ArrayList<RunEvent>();
            for (var finish : transition.finishes()) {
                if (changedSteps.contains(changedKey(run.id(), finish.key(), false))) {
                    if (finish.startedNow()) {
                        events.add(RunEvent.step(finish.key(), StepStatus.RUNNING, "Step started"));
                    }
                    events.add(RunEvent.step(finish.key(), finish.status(), finish.message()));
                }
            }
            for (var key : transition.starts()) {
                if (changedSteps.contains(changedKey(run.id(), key, true))) {
                    events.add(RunEvent.step(key, StepStatus.RUNNING, "Step started"));
                }
            }
            int progress = Math.max(run.progress(), transition.progress());
            if (transition.end() != null) {
                progress = transition.end() == RunStatus.SUCCESS ? 100 : progress;
                events.add(RunEvent.run(transition.end(), transition.end() == RunStatus.SUCCESS ? "Done" : "Failed"));
            }
            return new RunChange(
                    run,
                    transition,
                    events,
                    RunEventLog.progressOfEach(events, transition, run.progress(), progress),
                    progress);
        }

        AppendedEvents appended(Instant at) {
            return new AppendedEvents(run.id(), run.eventSeq() + 1, progressOfEach, events, at);
        }
    }
}
