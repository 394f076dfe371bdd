package io.runway.run.events;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/**
 * The events of one run after a given sequence, read from {@code run_events} and then followed live, ending after the
 * event that ends the run. Reading by sequence is what makes a resume by {@code Last-Event-ID} exact: no gap, no
 * duplicate.
 */
@Service
public class RunEventStream {

    private static final int BATCH = 500;

    private final DatabaseClient db;
    private final RunEventSignals signals;
    private final RunEventsProperties properties;

    RunEventStream(DatabaseClient db, RunEventSignals signals, RunEventsProperties properties) {
        this.db = db;
        this.signals = signals;
        this.properties = properties;
    }

    public Flux<RunEventRow> follow(UUID runId, long afterSeq) {
        return Flux.defer(() -> {
            var last = new AtomicLong(afterSeq);
            var ended = new AtomicBoolean();
            var wakeUps = Flux.merge(
                            Flux.just(0L),
                            Flux.interval(properties.pollEvery()),
                            signals.changes().filter(runId::equals).map(id -> 0L))
                    .onBackpressureLatest();
            return wakeUps.takeWhile(tick -> !ended.get())
                    .concatMap(tick -> after(runId, last.get()).collectList(), 1)
                    .concatMapIterable(batch -> {
                        if (!batch.isEmpty()) {
                            var newest = batch.get(batch.size() - 1);
                            last.set(newest.seq());
                            ended.set(newest.endsRun() && batch.size() < BATCH);
                        }
                        return batch;
                    })
                    .takeUntil(event -> ended.get() && event.seq() == last.get());
        });
    }

    private Flux<RunEventRow> after(UUID runId, long seq) {
        return db.sql(
                        """
                        SELECT run_id, seq, type, step_key, status, progress, message, created_at
                        FROM run_events WHERE run_id = :run AND seq > :seq ORDER BY seq LIMIT :limit""")
                .bind("run", runId)
                .bind("seq", seq)
                .bind("limit", BATCH)
                .map(row -> new RunEventRow(
                        row.get("run_id", UUID.class),
                        row.get("seq", Long.class),
                        row.get("type", String.class),
                        row.get("step_key", String.class),
                        row.get("status", String.class),
                        row.get("progress", Integer.class),
                        row.get("message", String.class),
                        row.get("created_at", Instant.class)))
                .all();
    }

    public RunEventsProperties properties() {
        return properties;
    }
}
