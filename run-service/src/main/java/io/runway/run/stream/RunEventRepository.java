package io.runway.run.stream;

import io.r2dbc.spi.Readable;
import io.runway.run.runs.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads the run-event log: a run's head, replays by sequence, and the heads of the runs streamed here. */
@Repository
public class RunEventRepository {

    private final DatabaseClient db;

    RunEventRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The run's owner, state, last event sequence and trace. */
    Mono<RunHead> head(UUID runId) {
        return db.sql("SELECT id, tenant_id, status, event_seq, traceparent FROM runs WHERE id = :id")
                .bind("id", runId)
                .map(row -> new RunHead(
                        row.get("id", UUID.class),
                        row.get("tenant_id", String.class),
                        RunStatus.fromDb(row.get("status", String.class)),
                        row.get("event_seq", Long.class),
                        row.get("traceparent", String.class)))
                .one();
    }

    /** Events with {@code after < seq <= upTo}, in order, at most {@code limit}. */
    Flux<StoredEvent> between(UUID runId, long after, long upTo, int limit) {
        return db.sql(
                        """
                        SELECT run_id, seq, type, step_key, status, progress, message, created_at
                        FROM run_events WHERE run_id = :run AND seq > :after AND seq <= :upTo
                        ORDER BY seq LIMIT :limit""")
                .bind("run", runId)
                .bind("after", after)
                .bind("upTo", upTo)
                .bind("limit", limit)
                .map(RunEventRepository::event)
                .all();
    }

    /** The run's state as of event {@code seq}: the status of its last run event at or before it. */
    public Mono<RunStatus> runStatusAt(UUID runId, long seq) {
        return db.sql(
                        """
                        SELECT status FROM run_events WHERE run_id = :run AND type = 'run' AND seq <= :seq
                        ORDER BY seq DESC LIMIT 1""")
                .bind("run", runId)
                .bind("seq", seq)
                .map(row -> RunStatus.fromDb(row.get("status", String.class)))
                .one();
    }

    /** The last event sequence of each of the given runs. */
    Flux<RunHead> heads(List<UUID> runIds) {
        return db.sql(
                        """
                        SELECT id, tenant_id, status, event_seq FROM runs WHERE id = ANY(CAST(:ids AS uuid[]))""")
                .bind("ids", runIds.stream().map(UUID::toString).toArray(String[]::new))
                .map(row -> new RunHead(
                        row.get("id", UUID.class),
                        row.get("tenant_id", String.class),
                        RunStatus.fromDb(row.get("status", String.class)),
                        row.get("event_seq", Long.class)))
                .all();
    }

    private static StoredEvent event(Readable row) {
        return new StoredEvent(
                row.get("run_id", UUID.class),
                row.get("seq", Long.class),
                row.get("type", String.class),
                row.get("step_key", String.class),
                row.get("status", String.class),
                row.get("progress", Integer.class),
                row.get("message", String.class),
                row.get("created_at", Instant.class),
                null);
    }

    /** A run's owner, state, last event sequence and, when read, its trace (the start request's traceparent). */
    record RunHead(UUID runId, String tenantId, RunStatus status, long eventSeq, String traceparent) {

        RunHead(UUID runId, String tenantId, RunStatus status, long eventSeq) {
            this(runId, tenantId, status, eventSeq, null);
        }

        /** Runs {@code log} with the run's trace ids in the MDC. */
        void inTrace(Runnable log) {
            RunTraces.inMdc(traceparent, log);
        }
    }
}
