package io.runway.run.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The {@code run_events} log: appends a run's events with their sequence numbers and progress inside the caller's
 * transaction (which holds the run row's lock), and hands them to {@link CommittedEvents} for after the commit.
 */
@Component
final class RunEventLog {

    private static final String APPEND =
            """
            INSERT INTO run_events (run_id, seq, type, step_key, status, progress, message, created_at)
            SELECT run_id, seq, type, step_key, status, progress, message, :now
            FROM %s"""
                    .formatted(EventColumns.UNNEST);

    private final DatabaseClient db;
    private final CommittedEvents committed;

    RunEventLog(DatabaseClient db, CommittedEvents committed) {
        this.db = db;
        this.committed = committed;
    }

    Mono<Boolean> commit(LockedRun locked, int progress, List<RunEvent> events, Instant now) {
        if (events.isEmpty()) {
            return Mono.just(true);
        }
        return db.sql(
                        """
                        UPDATE runs SET event_seq = :seq, progress = :progress, updated_at = :now WHERE id = :run""")
                .bind("seq", locked.eventSeq() + events.size())
                .bind("progress", progress)
                .bind("now", now)
                .bind("run", locked.id())
                .then()
                .then(append(locked.id(), locked.eventSeq() + 1, progress, events, now))
                .thenReturn(true);
    }

    /**
     * Each event's progress when a transition writes several: a step's end raises it as it happens, so events committed
     * together still rise one by one (a step that starts shows the progress before it, the run's end the final one).
     */
    static List<Integer> progressOfEach(List<RunEvent> events, Transition transition, int before, int atTheEnd) {
        int finished = transition.finishedSteps()
                - (int) events.stream().filter(RunEventLog::endsAStep).count();
        var progress = new ArrayList<Integer>(events.size());
        for (var event : events) {
            if (endsAStep(event)) {
                finished++;
            }
            progress.add(event.type().equals("run") ? atTheEnd : Math.max(before, transition.percent(finished)));
        }
        return progress;
    }

    private static boolean endsAStep(RunEvent event) {
        return event.type().equals("step") && StepStatus.fromDb(event.status()).isFinished();
    }

    Mono<Void> append(UUID runId, long firstSeq, int progress, List<RunEvent> events, Instant now) {
        return append(runId, firstSeq, Collections.nCopies(events.size(), progress), events, now);
    }

    Mono<Void> append(UUID runId, long firstSeq, List<Integer> progress, List<RunEvent> events, Instant now) {
        return appendAll(List.of(new AppendedEvents(runId, firstSeq, progress, events, now)), now);
    }

    /** Appends the events of several runs in one statement (each run's rows locked by the caller's transaction). */
    Mono<Void> appendAll(List<AppendedEvents> appended, Instant now) {
        var events = new EventColumns();
        appended.forEach(run -> events.add(run.runId(), run.firstSeq(), run.events(), run.progress()));
        if (events.isEmpty()) {
            return Mono.empty();
        }
        var insert = events.bind(db.sql(APPEND)).bind("now", now).then();
        return insert.then(committed.afterCommit(appended));
    }
}
