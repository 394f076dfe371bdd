package io.runway.assign.dispatch;

import io.r2dbc.spi.Readable;
import io.runway.assign.event.LinkChange;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** The statements of the dispatcher's sweep: reclaim, stale, retry, cancel, complete, queue depth. */
@Repository
class SweepRepository {

    private final DatabaseClient db;

    SweepRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Locks servers that still hold queued/running links but are dead (no heartbeat since {@code deadSince}) or taken
     * offline; skips servers locked elsewhere.
     */
    Flux<UUID> lockDeadServers(Instant deadSince, int limit) {
        return db.sql(
                        """
                        SELECT s.id FROM servers s LEFT JOIN server_health h ON h.server_id = s.id
                        WHERE (COALESCE(h.last_health_check, s.created_at) < :deadSince
                               OR s.status IN ('offline', 'inactive'))
                          AND (s.active_tasks > 0 OR EXISTS (SELECT 1 FROM links l
                               WHERE l.server_id = s.id AND l.status IN ('queued', 'running')))
                        ORDER BY s.id LIMIT :limit
                        FOR UPDATE OF s SKIP LOCKED
                        """)
                .bind("deadSince", deadSince)
                .bind("limit", limit)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /** Puts the servers' queued/running links back in the pool, fenced: a late write from the old owner no longer matches. */
    Flux<LinkChange> reclaim(UUID[] servers, Instant now) {
        return db.sql(
                        """
                        UPDATE links l SET status = 'pending', server_id = NULL, attempt = l.attempt + 1,
                            assigned_at = NULL, started_at = NULL, next_attempt_at = NULL, updated_at = :now,
                            note = 'reclaimed from server ' || l.server_id
                        WHERE l.id IN (SELECT id FROM links
                                       WHERE server_id = ANY (:servers) AND status IN ('queued', 'running')
                                       FOR UPDATE SKIP LOCKED)
                        RETURNING l.id, l.request_id
                        """)
                .bind("servers", servers)
                .bind("now", now)
                .map(row ->
                        new LinkChange(row.get("id", UUID.class), row.get("request_id", UUID.class), null, "pending"))
                .all();
    }

    /** Fails running/connecting links started before {@code startedBefore}; the old owner is fenced off. */
    Flux<LinkChange> failStale(Instant startedBefore, Duration timeout, Instant now, int limit) {
        return db.sql(
                        """
                        UPDATE links l SET status = 'failed', attempt = l.attempt + 1, updated_at = :now,
                            error_message = 'stale: ' || l.status || ' for longer than ' || :minutes
                                            || ' minutes on server ' || COALESCE(l.server_id::text, 'none')
                        WHERE l.id IN (SELECT id FROM links
                                       WHERE status IN ('running', 'connecting') AND started_at < :before
                                       ORDER BY started_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING l.id, l.request_id, l.server_id
                        """)
                .bind("before", startedBefore)
                .bind("minutes", String.valueOf(timeout.toMinutes()))
                .bind("now", now)
                .bind("limit", limit)
                .map(row -> change(row, "failed"))
                .all();
    }

    /** Failed links of running requests with retries left go back to pending, due after their back-off. */
    Flux<LinkChange> retryFailed(Duration base, Duration max, Instant now, int limit) {
        return db.sql(
                        """
                        UPDATE links l SET status = 'pending', retry_count = l.retry_count + 1, server_id = NULL,
                            next_attempt_at = :now + make_interval(secs =>
                                LEAST(:baseSeconds * power(2, LEAST(l.retry_count, 20)), :maxSeconds)),
                            updated_at = :now
                        WHERE l.id IN (SELECT f.id FROM links f JOIN requests r ON r.id = f.request_id
                                       WHERE f.status = 'failed' AND f.retry_count < f.max_retries
                                         AND r.status = 'running'
                                       ORDER BY f.id LIMIT :limit FOR UPDATE OF f SKIP LOCKED)
                        RETURNING l.id, l.request_id
                        """)
                .bind("baseSeconds", base.toMillis() / 1000.0)
                .bind("maxSeconds", max.toMillis() / 1000.0)
                .bind("now", now)
                .bind("limit", limit)
                .map(row ->
                        new LinkChange(row.get("id", UUID.class), row.get("request_id", UUID.class), null, "pending"))
                .all();
    }

    /** Failed links whose retries are used up become canceled (final failed). */
    Flux<LinkChange> cancelExhausted(Instant now, int limit) {
        return db.sql(
                        """
                        UPDATE links l SET status = 'canceled', updated_at = :now
                        WHERE l.id IN (SELECT id FROM links WHERE status = 'failed' AND retry_count >= max_retries
                                       ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
                        RETURNING l.id, l.request_id, l.server_id
                        """)
                .bind("now", now)
                .bind("limit", limit)
                .map(row -> change(row, "canceled"))
                .all();
    }

    /** Locks running/connecting requests that look finished by their counters; skips requests locked elsewhere. */
    Flux<UUID> lockFinishedRequests(int limit) {
        return db.sql(
                        """
                        SELECT r.id FROM requests r
                        WHERE r.status IN ('running', 'connecting')
                          AND EXISTS (SELECT 1 FROM request_link_counts c WHERE c.request_id = r.id AND c.count > 0)
                          AND NOT EXISTS (SELECT 1 FROM request_link_counts c WHERE c.request_id = r.id
                              AND c.count > 0 AND c.status IN ('pending', 'queued', 'running', 'connect', 'connecting'))
                        ORDER BY r.id LIMIT :limit
                        FOR UPDATE OF r SKIP LOCKED
                        """)
                .bind("limit", limit)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /** Completes the locked requests that, seen after the lock, have no active link and no retry left to make. */
    Flux<UUID> complete(UUID[] requests, Instant now) {
        return db.sql(
                        """
                        UPDATE requests r SET status = 'completed', completed_at = :now, updated_at = :now
                        WHERE r.id = ANY (:requests) AND r.status IN ('running', 'connecting')
                          AND NOT EXISTS (SELECT 1 FROM request_link_counts c WHERE c.request_id = r.id
                              AND c.count > 0 AND c.status IN ('pending', 'queued', 'running', 'connect', 'connecting'))
                          AND NOT EXISTS (SELECT 1 FROM links l WHERE l.request_id = r.id AND l.status = 'failed'
                              AND l.retry_count < l.max_retries)
                        RETURNING r.id
                        """)
                .bind("requests", requests)
                .bind("now", now)
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    /** Pending links per service type, from the counters. */
    Flux<Depth> queueDepth() {
        return db.sql(
                        """
                        SELECT r.service_type, sum(c.count)::bigint AS pending
                        FROM request_link_counts c JOIN requests r ON r.id = c.request_id
                        WHERE c.status = 'pending' AND c.count > 0
                        GROUP BY r.service_type
                        """)
                .map(row -> new Depth(row.get("service_type", String.class), row.get("pending", Long.class)))
                .all();
    }

    private static LinkChange change(Readable row, String status) {
        return new LinkChange(
                row.get("id", UUID.class), row.get("request_id", UUID.class), row.get("server_id", UUID.class), status);
    }

    /** Pending links of one service type. */
    record Depth(String serviceType, long pending) {}
}
