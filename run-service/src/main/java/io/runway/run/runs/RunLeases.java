package io.runway.run.runs;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Run leases: claiming pending runs, taking over runs whose lease expired, renewing and releasing an owner's leases.
 * A claim that starts a run commits its {@code running} event with it.
 */
@Repository
public class RunLeases {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final RunEventLog events;

    RunLeases(DatabaseClient db, TransactionalOperator tx, Clock clock, RunEventLog events) {
        this.db = db;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
    }

    /** Makes a pending run running under the owner's lease, unless another run holds its concurrency key. */
    public Mono<Boolean> claimPending(UUID runId, String owner, Instant expires) {
        var now = clock.instant();
        var work = db.sql(
                        """
                        UPDATE runs SET status = 'running', lease_owner = :owner, lease_expires_at = :expires,
                            started_at = COALESCE(started_at, :now), updated_at = :now, event_seq = event_seq + 1
                        WHERE id = :id AND status = 'pending'
                          AND (concurrency_key IS NULL OR NOT EXISTS (
                              SELECT 1 FROM runs o WHERE o.tenant_id = runs.tenant_id
                                AND o.concurrency_key = runs.concurrency_key AND o.status = 'running'))
                        RETURNING event_seq, progress""")
                .bind("owner", owner)
                .bind("expires", expires)
                .bind("now", now)
                .bind("id", runId)
                .map(row -> new long[] {row.get("event_seq", Long.class), row.get("progress", Integer.class)})
                .one()
                .flatMap(seq -> events.append(
                                runId, seq[0], (int) seq[1], List.of(RunEvent.run(RunStatus.RUNNING, "Running")), now)
                        .thenReturn(true));
        return tx.transactional(work)
                .defaultIfEmpty(false)
                // Another run took the concurrency slot between our check and our write: stay queued.
                .onErrorResume(DataIntegrityViolationException.class, e -> Mono.just(false));
    }

    /** Takes over a running run whose lease has expired. */
    public Mono<Boolean> takeOver(UUID runId, String owner, Instant expires) {
        return db.sql(
                        """
                        UPDATE runs SET lease_owner = :owner, lease_expires_at = :expires, updated_at = :now
                        WHERE id = :id AND status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < :now)
                        RETURNING id""")
                .bind("owner", owner)
                .bind("expires", expires)
                .bind("now", clock.instant())
                .bind("id", runId)
                .map(row -> true)
                .one()
                .defaultIfEmpty(false);
    }

    /** Unfinished runs nobody executes: pending ones free to start, and running ones whose lease expired. */
    public Flux<UUID> claimable(int limit) {
        return db.sql(
                        """
                        SELECT id FROM runs c
                        WHERE status IN ('pending', 'running')
                          AND (lease_expires_at IS NULL OR lease_expires_at < :now)
                          AND NOT (status = 'pending' AND concurrency_key IS NOT NULL AND EXISTS (
                              SELECT 1 FROM runs o WHERE o.tenant_id = c.tenant_id
                                AND o.concurrency_key = c.concurrency_key AND o.status = 'running'))
                        ORDER BY id
                        LIMIT :limit""")
                .bind("now", clock.instant())
                .bind("limit", limit)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /**
     * Renews the leases of the given runs and returns those this owner no longer executes (canceled, ended or taken
     * over). Rows locked by a write in progress are skipped rather than waited for: their lease is renewed next time,
     * and renewal never queues behind, or blocks, the engine's own transactions. Runs are found by id alone, as in
     * {@link RunTransitions}: a status condition in the scan would read every finished run's index entry.
     */
    public Flux<UUID> renewAndFindLost(String owner, List<UUID> runIds, Instant expires) {
        if (runIds.isEmpty()) {
            return Flux.empty();
        }
        return db.sql(
                        """
                        WITH candidates AS MATERIALIZED (
                            SELECT id, lease_owner, status FROM runs WHERE id = ANY(CAST(:ids AS uuid[]))
                            FOR UPDATE SKIP LOCKED),
                        mine AS (
                            SELECT id FROM candidates WHERE lease_owner = :owner AND status = 'running'),
                        renewed AS (
                            UPDATE runs SET lease_expires_at = :expires FROM mine WHERE runs.id = mine.id
                            RETURNING runs.id)
                        SELECT given.id FROM unnest(CAST(:ids AS uuid[])) AS given(id)
                        LEFT JOIN runs r ON r.id = given.id
                        WHERE r.id IS NULL OR r.lease_owner IS DISTINCT FROM :owner OR r.status <> 'running'""")
                .bind("expires", expires)
                .bind("owner", owner)
                .bind("ids", runIds.stream().map(UUID::toString).toArray(String[]::new))
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /** Lets other instances resume this owner's runs at once (graceful stop). */
    public Mono<Long> release(String owner) {
        return db.sql("UPDATE runs SET lease_expires_at = :now WHERE lease_owner = :owner AND status = 'running'")
                .bind("now", clock.instant())
                .bind("owner", owner)
                .fetch()
                .rowsUpdated();
    }

    /** The oldest pending run waiting for a concurrency key. */
    public Mono<UUID> nextQueued(String tenantId, String concurrencyKey) {
        return db.sql(
                        """
                        SELECT id FROM runs WHERE tenant_id = :tenant AND concurrency_key = :key AND status = 'pending'
                        ORDER BY id LIMIT 1""")
                .bind("tenant", tenantId)
                .bind("key", concurrencyKey)
                .map(row -> row.get("id", UUID.class))
                .one();
    }
}
