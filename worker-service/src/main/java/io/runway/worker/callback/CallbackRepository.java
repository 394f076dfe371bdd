package io.runway.worker.callback;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class CallbackRepository {

    // `mine`: the caller holds at least one link of the request (links_request_status_idx narrows to the request).
    private static final String LOCK_REQUEST =
            """
            SELECT r.status,
                   EXISTS (SELECT 1 FROM links l WHERE l.request_id = r.id AND l.server_id = :server) AS mine
            FROM requests r WHERE r.id = :id FOR UPDATE OF r
            """;

    private static final String UPDATE_REQUEST =
            """
            UPDATE requests SET status = :status,
                started_at = CASE WHEN :status = 'running' THEN coalesce(started_at, :now::timestamptz)
                                  ELSE started_at END,
                completed_at = CASE WHEN :status IN ('completed', 'failed', 'canceled') THEN :now::timestamptz
                                    ELSE completed_at END,
                updated_at = :now::timestamptz
            WHERE id = :id
            """;

    // `mine`: the caller was given at least one link made with this account (links_account_assigned_idx).
    private static final String LOCK_ACCOUNT =
            """
            SELECT a.status,
                   EXISTS (SELECT 1 FROM links l WHERE l.account_id = a.id AND l.server_id = :server) AS mine
            FROM accounts a WHERE a.id = :id FOR UPDATE OF a
            """;

    private static final String UPDATE_ACCOUNT =
            """
            UPDATE accounts SET status = :status, updated_at = :now::timestamptz WHERE id = :id
            """;

    private final DatabaseClient db;

    CallbackRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Owned> lockRequest(UUID id, UUID server) {
        return lock(LOCK_REQUEST, id, server);
    }

    Mono<Owned> lockAccount(UUID id, UUID server) {
        return lock(LOCK_ACCOUNT, id, server);
    }

    Mono<Long> updateRequest(UUID id, String status, Instant now) {
        return update(UPDATE_REQUEST, id, status, now);
    }

    Mono<Long> updateAccount(UUID id, String status, Instant now) {
        return update(UPDATE_ACCOUNT, id, status, now);
    }

    private Mono<Owned> lock(String sql, UUID id, UUID server) {
        return db.sql(sql)
                .bind("id", id)
                .bind("server", server)
                .map(row ->
                        new Owned(row.get("status", String.class), Boolean.TRUE.equals(row.get("mine", Boolean.class))))
                .one();
    }

    private Mono<Long> update(String sql, UUID id, String status, Instant now) {
        return db.sql(sql)
                .bind("id", id)
                .bind("status", status)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    /** The current status of a row and whether the calling server has links on it. */
    record Owned(String status, boolean mine) {}
}
