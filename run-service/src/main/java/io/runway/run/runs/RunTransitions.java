package io.runway.run.runs;

import io.runway.run.config.JsonColumns;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Writes the decisions of many runs in one statement, whatever the number of runs and steps: it locks the runs, changes
 * their steps, changes the runs and appends their events, so a decision costs one round trip and one commit. Each
 * decision is fenced as it is alone: it applies only while its run is running under the deciding engine's lease, and
 * its answer is empty otherwise.
 *
 * <p>The events are worked out before the statement: under the run's lock and its lease nobody but the deciding engine
 * moves the run's steps, so every step change of a fenced-in decision applies. Their numbers and progress are relative
 * to the locked row (its {@code event_seq} and {@code progress}), which the statement reads and answers.
 *
 * <p>The runs are found by id alone and fenced after they are locked ({@code candidates} is materialized so that the
 * fence cannot move into the scan). A status condition in the scan lets the planner read the partial indexes of
 * unfinished runs, which keep an entry for every run that has finished since the last VACUUM: a decision for one run
 * then read tens of thousands of them (~7 ms at 25,000 finished runs) where the primary key reads three pages.
 */
@Component
class RunTransitions {

    private static final String DECIDE =
            """
            WITH d AS (
                SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:owners AS text[]), CAST(:eventCounts AS int[]),
                    CAST(:runProgress AS smallint[]), CAST(:ends AS text[]), CAST(:endErrors AS text[]))
                    AS d(run_id, owner, event_count, progress, end_status, error)
            ), candidates AS MATERIALIZED (
                SELECT r.id, r.tenant_id, r.status, r.lease_owner, r.event_seq, r.progress, r.concurrency_key,
                    d.owner AS deciding_owner
                FROM runs r JOIN d ON d.run_id = r.id
                ORDER BY r.id FOR UPDATE OF r
            ), locked AS (
                SELECT id, tenant_id, status, lease_owner, event_seq, progress, concurrency_key FROM candidates
                WHERE status = 'running' AND lease_owner = deciding_owner
            ), steps AS (
                UPDATE run_steps s SET status = v.status, result = CAST(v.result AS jsonb),
                    result_truncated = v.truncated, error = CAST(v.error AS jsonb), decision_id = v.decision,
                    started_at = CASE WHEN v.starts OR v.started_now THEN :now ELSE s.started_at END,
                    completed_at = CASE WHEN v.starts THEN NULL ELSE :now END
                FROM unnest(CAST(:stepRuns AS uuid[]), CAST(:keys AS text[]), CAST(:statuses AS text[]),
                    CAST(:results AS text[]), CAST(:truncated AS boolean[]), CAST(:errors AS text[]),
                    CAST(:decisions AS text[]), CAST(:startedNow AS boolean[]), CAST(:starts AS boolean[]))
                    AS v(run_id, step_key, status, result, truncated, error, decision, started_now, starts)
                JOIN locked l ON l.id = v.run_id
                WHERE s.run_id = v.run_id AND s.step_key = v.step_key
                  AND (s.status = 'pending' OR (s.status = 'running' AND NOT v.starts))
            ), changed AS (
                UPDATE runs r SET event_seq = l.event_seq + d.event_count, progress = GREATEST(l.progress, d.progress),
                    updated_at = :now, status = COALESCE(d.end_status, r.status),
                    error = COALESCE(CAST(d.error AS jsonb), r.error),
                    completed_at = CASE WHEN d.end_status IS NULL THEN r.completed_at ELSE :now END,
                    lease_owner = CASE WHEN d.end_status IS NULL THEN r.lease_owner END,
                    lease_expires_at = CASE WHEN d.end_status IS NULL THEN r.lease_expires_at END
                FROM locked l JOIN d ON d.run_id = l.id
                WHERE r.id = l.id
            ), appended AS (
                INSERT INTO run_events (run_id, seq, type, step_key, status, progress, message, created_at)
                SELECT e.run_id, l.event_seq + e.seq, e.type, e.step_key, e.status, GREATEST(l.progress, e.progress),
                    e.message, :now
                FROM %s
                JOIN locked l ON l.id = e.run_id
            )
            SELECT id, tenant_id, status, lease_owner, event_seq, progress, concurrency_key FROM locked"""
                    .formatted(EventColumns.UNNEST);

    private final DatabaseClient db;
    private final JsonColumns json;
    private final Clock clock;
    private final CommittedEvents committed;

    RunTransitions(DatabaseClient db, JsonColumns json, Clock clock, CommittedEvents committed) {
        this.db = db;
        this.json = json;
        this.clock = clock;
        this.committed = committed;
    }

    Mono<List<Optional<LockedRun>>> applyAll(List<TransitionWrite> writes) {
        var now = clock.instant();
        var decisions = writes.stream().map(Decision::of).toList();
        return bind(db.sql(DECIDE), decisions)
                .bind("now", now)
                .map(RunStore::lockedRun)
                .all()
                .collectMap(LockedRun::id)
                .flatMap(locked -> {
                    var appended = new ArrayList<AppendedEvents>();
                    var answers = new ArrayList<Optional<LockedRun>>(writes.size());
                    for (var decision : decisions) {
                        var run =
                                Optional.ofNullable(locked.get(decision.write().runId()));
                        run.ifPresent(before -> appended.add(decision.appended(before, now)));
                        answers.add(run);
                    }
                    committed.committed(appended);
                    return Mono.just(answers);
                });
    }

    private DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, List<Decision> decisions) {
        int size = decisions.size();
        var ids = new String[size];
        var owners = new String[size];
        var eventCounts = new Integer[size];
        var runProgress = new Integer[size];
        var ends = new String[size];
        var endErrors = new String[size];
        var stepRuns = new ArrayList<String>();
        var keys = new ArrayList<String>();
        var statuses = new ArrayList<String>();
        var results = new ArrayList<String>();
        var truncated = new ArrayList<Boolean>();
        var errors = new ArrayList<String>();
        var decisionIds = new ArrayList<String>();
        var startedNow = new ArrayList<Boolean>();
        var starts = new ArrayList<Boolean>();
        var events = new EventColumns();
        for (int i = 0; i < size; i++) {
            var decision = decisions.get(i);
            var write = decision.write();
            var transition = write.transition();
            var run = write.runId().toString();
            ids[i] = run;
            owners[i] = write.owner();
            eventCounts[i] = decision.events().size();
            runProgress[i] = decision.progress();
            ends[i] = transition.end() == null ? null : transition.end().db();
            endErrors[i] = text(transition.endError());
            for (var finish : transition.finishes()) {
                stepRuns.add(run);
                keys.add(finish.key());
                statuses.add(finish.status().db());
                results.add(text(finish.result()));
                truncated.add(finish.resultTruncated());
                errors.add(text(finish.error()));
                decisionIds.add(finish.decisionId());
                startedNow.add(finish.startedNow());
                starts.add(false);
            }
            for (var key : transition.starts()) {
                stepRuns.add(run);
                keys.add(key);
                statuses.add(StepStatus.RUNNING.db());
                results.add(null);
                truncated.add(false);
                errors.add(null);
                decisionIds.add(null);
                startedNow.add(false);
                starts.add(true);
            }
            // numbered from 1 after the locked run's last event
            events.add(write.runId(), 1, decision.events(), decision.progressOfEach());
        }
        return events.bind(spec)
                .bind("ids", ids)
                .bind("owners", owners)
                .bind("eventCounts", eventCounts)
                .bind("runProgress", runProgress)
                .bind("ends", ends)
                .bind("endErrors", endErrors)
                .bind("stepRuns", stepRuns.toArray(String[]::new))
                .bind("keys", keys.toArray(String[]::new))
                .bind("statuses", statuses.toArray(String[]::new))
                .bind("results", results.toArray(String[]::new))
                .bind("truncated", truncated.toArray(Boolean[]::new))
                .bind("errors", errors.toArray(String[]::new))
                .bind("decisions", decisionIds.toArray(String[]::new))
                .bind("startedNow", startedNow.toArray(Boolean[]::new))
                .bind("starts", starts.toArray(Boolean[]::new));
    }

    private String text(Object value) {
        return value == null ? null : json.json(value).asString();
    }

    /**
     * One engine decision with the events it announces. Their progress is the least each may show: the statement raises
     * it to the locked run's progress, as {@link #appended} does for what is announced after the commit.
     */
    record Decision(TransitionWrite write, List<RunEvent> events, List<Integer> progressOfEach, int progress) {

        static Decision of(TransitionWrite write) {
            var transition = write.transition();
            var events = new ArrayList<RunEvent>();
            for (var finish : transition.finishes()) {
                if (finish.startedNow()) {
                    events.add(RunEvent.step(finish.key(), StepStatus.RUNNING, "Step started"));
                }
                events.add(RunEvent.step(finish.key(), finish.status(), finish.message()));
            }
            for (var key : transition.starts()) {
                events.add(RunEvent.step(key, StepStatus.RUNNING, "Step started"));
            }
            int progress = transition.end() == RunStatus.SUCCESS ? 100 : transition.progress();
            if (transition.end() != null) {
                events.add(RunEvent.run(transition.end(), transition.end() == RunStatus.SUCCESS ? "Done" : "Failed"));
            }
            return new Decision(write, events, RunEventLog.progressOfEach(events, transition, 0, progress), progress);
        }

        AppendedEvents appended(LockedRun before, Instant at) {
            var progress = progressOfEach.stream()
                    .map(least -> Math.max(before.progress(), least))
                    .toList();
            return new AppendedEvents(
                    before.id(),
                    before.eventSeq() + 1,
                    progress,
                    events,
                    at,
                    write.transition().traceparent());
        }
    }
}
